import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createConnection } from "node:net";

export class DaemonError extends Error {}

async function isSocket(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isSocket();
  } catch {
    return false;
  }
}

/** True when something accepts connections on the unix socket `socket` (a stale socket file does not). */
export function socketAnswers(socket: string, timeoutMs = 2000): Promise<boolean> {
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
  const fd = openSync(logFile, "a", 0o600);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const child = spawn(argv[0], argv.slice(1), { env, detached: true, stdio: ["ignore", fd, fd] });
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
  throw new DaemonError(`nix-daemon (${argv[argv.length - 1]}${argv[0] === "sudo" ? ", through sudo" : ""}) ${why}${tail ? `; its log ends: ${tail}` : ""}`);
}
