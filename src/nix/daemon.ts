import { closeSync, openSync } from "node:fs";
import * as io from "../step-io.js";
import { readFile, rm, stat } from "node:fs/promises";
import { childEnv, run } from "../exec.js";
import { daemonPidFile } from "../job-dir.js";
import { ActionError } from "../errors.js";

/** Where Nix looks for the daemon: a `unix://` NIX_REMOTE, NIX_DAEMON_SOCKET_PATH, else the standard path. */
export function daemonSocketPath(env: NodeJS.ProcessEnv): string {
  const remote = env.NIX_REMOTE ?? "";
  if (remote.startsWith("unix://")) return remote.slice("unix://".length).split("?")[0];
  return env.NIX_DAEMON_SOCKET_PATH || "/nix/var/nix/daemon-socket/socket";
}

async function isSocket(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isSocket();
  } catch {
    return false;
  }
}

/** True when something accepts connections on the unix socket `socket` (a stale socket file does not). */
export async function socketAnswers(socket: string, timeoutMs = 2000): Promise<boolean> {
  // node:net loads only here: most jobs have no daemon socket to try
  const { createConnection } = await import("node:net");
  return new Promise((resolve) => {
    const conn = createConnection({ path: socket });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      conn.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    conn.once("connect", () => done(true));
    conn.once("error", () => done(false));
  });
}

/**
 * Polls until something accepts connections on `socket`, at most `timeoutMs`. Accepting, not just
 * existing: a killed daemon leaves its socket file behind, and the new one replaces it a moment later.
 */
export async function waitForSocket(socket: string, timeoutMs: number, stillAlive: () => boolean = () => true): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await isSocket(socket)) && (await socketAnswers(socket, 1000))) return true;
    if (!stillAlive() || Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface StartedDaemon {
  pid: number;
  socket: string;
  log: string;
}

/**
 * Starts `argv` (nix-daemon, maybe behind sudo) detached from this step, so it outlives it and
 * serves the job's later steps, and waits at most `timeoutMs` for its socket. On timeout or early
 * exit it stops the process it started and says why, with the end of the daemon's log.
 */
export async function startDaemon(argv: string[], socket: string, logFile: string, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<StartedDaemon> {
  const { spawn } = await import("node:child_process");
  const fd = openSync(logFile, "a", 0o600);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const child = spawn(argv[0], argv.slice(1), { env: childEnv(env), detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  child.on("exit", (code, signal) => (exited = { code, signal }));
  child.on("error", (e) => (spawnError = e));
  const pid = child.pid;
  const up = await waitForSocket(socket, timeoutMs, () => exited === undefined && spawnError === undefined);
  if (up && pid !== undefined) {
    child.unref();
    return { pid, socket, log: logFile };
  }
  const timedOut = exited === undefined && spawnError === undefined;
  if (pid !== undefined && exited === undefined) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  }
  const tail = (await readFile(logFile, "utf8").catch(() => "")).trim().split("\n").slice(-5).join(" | ");
  const why = spawnError
    ? `could not be started (${spawnError.message})`
    : timedOut || !exited
      ? `did not create its socket ${socket} within ${Math.round(timeoutMs / 1000)} s and was stopped`
      : `exited (${exited.signal ?? `code ${exited.code}`}) before creating its socket ${socket}`;
  throw new ActionError(`nix-daemon (${argv[argv.length - 1]}${argv[0] === "sudo" ? ", through sudo" : ""}) ${why}${tail ? `; its log ends: ${tail}` : ""}`);
}

function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the nix-daemon that main started for this job (its PID is in the job dir), after the push
 * has used it: the daemon served this job only and must not outlive it on a runner that is reused.
 * It leads its own process group (spawned detached), so the group is signalled; behind sudo, a
 * non-root job signals it through `sudo -n kill`.
 */
export async function stopOwnDaemon(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const pidFile = daemonPidFile(env);
  const text = await readFile(pidFile, "utf8").catch(() => "");
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 1) return;
  if (signal(pid, 0) || (await run("sudo", ["-n", "kill", "-0", String(pid)], { env })).code === 0) {
    if (!signal(-pid, "SIGTERM") && !signal(pid, "SIGTERM")) {
      await run("sudo", ["-n", "kill", "-TERM", "--", `-${pid}`], { env });
    }
    for (let i = 0; i < 50 && signal(pid, 0); i++) await new Promise((r) => setTimeout(r, 100));
    io.info(`Stopped the nix-daemon (pid ${pid}) this job started`);
  }
  await rm(pidFile, { force: true });
}
