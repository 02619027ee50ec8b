// The built background pusher (dist/pusher) and SIGUSR1, which Node answers, until a handler is set,
// by opening its inspector: the bundle must ignore it from its first moment, before its handoff
// arrives. The drain signal itself: drain-signal.test.ts.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/runner.mjs";
import { INSPECTOR } from "../helpers/inspector.js";

describe("the pusher's bundle and SIGUSR1", () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it("the pusher's bundle ignores SIGUSR1 from its first moment (still waiting for its handoff): no inspector", async () => {
    const bundle = path.join(ROOT, "dist/pusher/index.js");
    const child = spawn(process.execPath, [bundle], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on("close", (code, signal) => r({ code, signal })));
    stop = () => child.kill("SIGKILL");
    // the handler is set before the bundle reads stdin; wait until node has loaded it
    await new Promise((r) => setTimeout(r, 500));
    process.kill(child.pid ?? 0, "SIGUSR1");
    await new Promise((r) => setTimeout(r, 500));
    expect(out).not.toMatch(INSPECTOR);
    // still waiting for its handoff, so still alive (SIGUSR1 neither ended it nor was taken for a
    // request): the SIGTERM is what ends it, before it has a handler of its own for that
    child.kill("SIGTERM");
    expect(await ended).toEqual({ code: null, signal: "SIGTERM" });
  });
});
