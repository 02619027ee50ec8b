import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ActionError } from "../../src/errors.js";
import { socketAnswers, startDaemon, waitForSocket } from "../../src/nix/daemon.js";
import { daemonCommand } from "../../src/install/installer-command.js";
import { ensureUser, TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { alive, stopPids } from "../../scripts/lib/process.mjs";

const started: number[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "nra-daemon-"));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

afterEach(async () => {
  await stopPids(started.splice(0));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("startDaemon", () => {
  it("starts a real nix-daemon detached on a private socket, and a non-root user's Nix talks to it", async () => {
    const dir = tempDir();
    const socket = path.join(dir, "socket");
    const env = { ...process.env, NIX_DAEMON_SOCKET_PATH: socket, NIX_CONFIG: TEST_NIX_CONFIG };
    // the command line the action runs as root (on a never-used store too: the CI runs this on one)
    const d = await startDaemon(daemonCommand("nix-daemon", "root", env), socket, path.join(dir, "daemon.log"), 10_000, env);
    started.push(d.pid);
    expect(alive(d.pid)).toBe(true);
    expect(existsSync(socket)).toBe(true);
    expect(await socketAnswers(socket)).toBe(true);

    // A non-root user adds a file to the store: only the daemon (running as root) can do that for it.
    const user = ensureUser();
    const file = path.join(dir, "hello.txt");
    writeFileSync(file, `hello from the daemon test ${Date.now()} ${Math.random()}\n`);
    chmodSync(file, 0o644);
    // a HOME the user owns, as a real user's is: Nix 2.26+ warns about a HOME owned by someone else
    const home = path.join(dir, "home");
    mkdirSync(home);
    chownSync(home, user.uid, user.gid);
    const r = spawnSync("nix-store", ["--add", file], {
      uid: user.uid,
      gid: user.gid,
      env: { PATH: process.env.PATH, HOME: home, NIX_DAEMON_SOCKET_PATH: socket, NIX_REMOTE: "daemon" },
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toMatch(/^\/nix\/store\/[a-z0-9]{32}-hello\.txt$/);
  });

  it("gives up after the bounded wait when the socket never appears, stops the process, and says so", async () => {
    const dir = tempDir();
    const socket = path.join(dir, "socket");
    const nap = `sleep ${(300 + Math.random()).toFixed(6)}`; // unique, to find this very process afterwards
    const t0 = Date.now();
    const err = await startDaemon(["sh", "-c", `echo starting up; exec ${nap}`], socket, path.join(dir, "daemon.log"), 1500, process.env).catch(
      (e: unknown) => e,
    );
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toMatch(/did not create its socket .*socket within 2 s and was stopped; its log ends: starting up/);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(5000);
    const ps = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" });
    expect(ps.stdout.split("\n").map((l) => l.trim())).not.toContain(nap);
  });

  it("reports a daemon that exits at once without waiting out the timeout", async () => {
    const dir = tempDir();
    const t0 = Date.now();
    const err = await startDaemon(["sh", "-c", "echo 'error: cannot open database' >&2; exit 1"], path.join(dir, "socket"), path.join(dir, "log"), 20_000, process.env).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((err as Error).message).toMatch(/exited \(code 1\) before creating its socket.*cannot open database/);
  });

  it("a stale socket file (its daemon was killed) does not count as a running daemon", async () => {
    const socket = path.join(tempDir(), "socket");
    const holder = spawn("python3", ["-c", `import socket,time\ns=socket.socket(socket.AF_UNIX)\ns.bind(${JSON.stringify(socket)})\ns.listen()\ntime.sleep(60)`], {
      stdio: "ignore",
    });
    expect(await waitForSocket(socket, 5000)).toBe(true);
    expect(await socketAnswers(socket)).toBe(true);
    const gone = new Promise((r) => holder.once("exit", r));
    holder.kill("SIGKILL");
    await gone;
    expect(existsSync(socket)).toBe(true);
    expect(await socketAnswers(socket)).toBe(false);
  });

  it("waitForSocket is bounded", async () => {
    const t0 = Date.now();
    expect(await waitForSocket(path.join(tempDir(), "never"), 300)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
