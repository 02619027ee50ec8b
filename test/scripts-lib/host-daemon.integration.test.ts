// scripts/containers/host-daemon.mjs: the "host's daemon" of the e2e's shared-store container rows,
// a nix-daemon of this machine's Nix on a private socket that outlives the program that started it
// and is stopped by its PID.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HOST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { alive } from "../../scripts/lib/process.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";

const CLI = path.join(ROOT, "scripts/containers/host-daemon.mjs");
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 });

describe("host-daemon.mjs", () => {
  it("start: a daemon on DIR/socket/socket in a session of its own, with its own nix.conf; stop: gone by its PID", () => {
    const dir = path.join(tempDir("nra-host-daemon-"), "daemon");
    const started = cli("start", dir, "trusted-users = root");
    expect(started.stderr).toBe("");
    expect(started.status).toBe(0);
    const socket = path.join(dir, "socket/socket");
    const m = new RegExp(`^NIX_DAEMON_SOCKET_PATH=${socket}\\nDAEMON_PID=(\\d+)\\n$`).exec(started.stdout);
    expect(m, started.stdout).not.toBeNull();
    const pid = Number(m![1]);
    try {
      // the program has exited; the daemon runs on, leading a session of its own
      expect(alive(pid)).toBe(true);
      expect(spawnSync("ps", ["-o", "sid=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim()).toBe(String(pid));
      expect(readFileSync(path.join(dir, "nix.conf"), "utf8")).toBe(`${HOST_NIX_CONFIG}\ntrusted-users = root\n`);
      const ping = spawnSync("nix", ["--extra-experimental-features", "nix-command", "store", "ping", "--store", `unix://${socket}`], { encoding: "utf8", timeout: 30_000 });
      expect(ping.status, ping.stderr).toBe(0);
    } finally {
      expect(cli("stop", dir).status).toBe(0);
    }
    expect(alive(pid)).toBe(false);
    expect(existsSync(path.join(dir, "pid"))).toBe(false);
    expect(cli("stop", dir).status).toBe(0); // nothing left to stop is no error
  });

  it("a daemon that exits before it makes its socket: exit 1 with its log, no pid file left", () => {
    const dir = path.join(tempDir("nra-host-daemon-"), "daemon");
    const bin = tempDir("nra-host-daemon-bin-");
    writeFileSync(path.join(bin, "nix-daemon"), "#!/bin/sh\necho 'error: cannot bind to socket' >&2\nexit 1\n", { mode: 0o755 });
    const r = spawnSync(process.execPath, [CLI, "start", dir], { encoding: "utf8", timeout: 60_000, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`host-daemon: nix-daemon exited before it made ${path.join(dir, "socket/socket")}`);
    expect(r.stderr).toContain("  | error: cannot bind to socket");
    expect(existsSync(path.join(dir, "pid"))).toBe(false);
  });
});
