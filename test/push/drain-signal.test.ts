import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { jobFiles } from "../../src/job-dir.js";
import { signalDrain } from "../../src/push/background.js";
import { DRAIN_SIGNAL } from "../../src/push/limits.js";
import { INSPECTOR } from "../helpers/inspector.js";

// Post's drain request (DRAIN_SIGNAL, SIGUSR2) must reach a pusher that is still starting: sent
// before the pusher sets its handler, it would end the pusher and the request would be lost. It was
// SIGUSR1 once, which Node answers, until a handler is set, by opening its inspector ("Debugger
// listening on ws://127.0.0.1:9229", seen in a pusher's log when the build and post came right after
// main). A stand-in pusher: Node that sets its DRAIN_SIGNAL handler, then writes its status, after
// `readyAfterMs`; on DRAIN_SIGNAL it says "drained" and exits. The built pusher's own answer to
// SIGUSR1: drain-signal.bundle.test.ts.

function standIn(dir: string, readyAfterMs: number) {
  const script = `
    const fs = require("node:fs");
    setTimeout(() => {
      process.on(${JSON.stringify(DRAIN_SIGNAL)}, () => { console.log("drained"); process.exit(0); });
      fs.writeFileSync(${JSON.stringify(jobFiles(dir).pusherStatus)}, "{}");
    }, ${readyAfterMs});
    setTimeout(() => {}, 20000);`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on("close", (code, signal) => r({ code, signal })));
  return { pid: child.pid ?? 0, ended, out: () => out, kill: () => child.kill("SIGKILL") };
}

describe("signalDrain: post's request to a background pusher that may still be starting", () => {
  let dir = "";
  let stop: (() => void) | undefined;
  afterEach(() => {
    stop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("waits until the pusher is ready, then asks it to drain: no inspector opens", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "nra-drain-"));
    const p = standIn(dir, 600);
    stop = p.kill;
    expect(await signalDrain(dir, p.pid)).toBe(true);
    expect(await p.ended).toEqual({ code: 0, signal: null });
    expect(p.out()).toContain("drained");
    expect(p.out()).not.toMatch(INSPECTOR);
  });

  it("a pusher not ready in time is stopped with SIGTERM, not sent the drain signal", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "nra-drain-"));
    const p = standIn(dir, 10_000);
    stop = p.kill;
    expect(await signalDrain(dir, p.pid, 300)).toBe(false);
    expect((await p.ended).signal).toBe("SIGTERM");
    expect(p.out()).not.toMatch(INSPECTOR);
    expect(existsSync(jobFiles(dir).pusherStatus)).toBe(false);
  });

  it("the drain signal is not SIGUSR1, which opens the inspector of a Node process without a handler for it", async () => {
    expect(DRAIN_SIGNAL).not.toBe("SIGUSR1");
    dir = mkdtempSync(path.join(os.tmpdir(), "nra-drain-"));
    const p = standIn(dir, 2_000);
    stop = p.kill;
    await new Promise((r) => setTimeout(r, 300));
    process.kill(p.pid, "SIGUSR1");
    for (let i = 0; i < 40 && !INSPECTOR.test(p.out()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(p.out()).toMatch(INSPECTOR);
    expect(p.out()).not.toContain("drained");
  });
});
