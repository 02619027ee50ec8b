import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stopChild } from "./process.js";

/**
 * Settings every test's Nix needs on this machine: no build users, no sandbox (Debian's nix-bin,
 * root), and no cache.nixos.org, which is out of reach here and must not be asked.
 */
export const TEST_NIX_CONFIG = "build-users-group =\nsandbox = false\nextra-experimental-features = nix-command\nsubstituters =";

export const UNPRIVILEGED = "nixtest";

/** A non-root user for daemon tests (created when missing; tests run as root). */
export function ensureUser(name = UNPRIVILEGED): { uid: number; gid: number; name: string } {
  if (spawnSync("id", ["-u", name]).status !== 0) execFileSync("useradd", ["--create-home", "--shell", "/bin/sh", name]);
  const uid = Number(execFileSync("id", ["-u", name]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", name]).toString().trim());
  return { uid, gid, name };
}

export interface Daemon {
  socket: string;
  /** Env for a client of this daemon. */
  clientEnv: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
}

/**
 * A real nix-daemon on a private socket (NIX_DAEMON_SOCKET_PATH), so tests never touch a system
 * daemon. Its nix.conf (TEST_NIX_CONFIG plus `conf`: trusted-users, trusted-substituters, …) lives in
 * its own NIX_CONF_DIR, which clients get too: like a host's /etc/nix/nix.conf, the daemon and the
 * job's Nix read the same file, while the job's NIX_CONFIG reaches only the client.
 */
export async function startDaemon(conf = ""): Promise<Daemon> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-daemon-"));
  execFileSync("chmod", ["755", dir]);
  writeFileSync(path.join(dir, "nix.conf"), `${TEST_NIX_CONFIG}\n${conf}\n`);
  const socket = path.join(dir, "socket");
  const env: NodeJS.ProcessEnv = { ...process.env, NIX_DAEMON_SOCKET_PATH: socket, NIX_CONF_DIR: dir };
  delete env.NIX_CONFIG;
  const child: ChildProcess = spawn("nix-daemon", [], { env, stdio: "ignore" });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(socket)) {
    child.kill("SIGKILL");
    throw new Error("nix-daemon did not create its socket within 5 s");
  }
  return {
    socket,
    clientEnv: { NIX_DAEMON_SOCKET_PATH: socket, NIX_REMOTE: "daemon", NIX_CONF_DIR: dir },
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A derivation that builds offline with /bin/sh; `salt` makes its output path unique to a test run. */
export function trivialDrv(name: string, salt: string, body = "echo hello > $out"): string {
  return `derivation { name = "${name}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "${body.replace(/"/g, '\\"')}" ]; salt = "${salt}"; }`;
}
