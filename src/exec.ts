import { closeSync, fstatSync, openSync, readSync, unlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Writable } from "node:stream";
import type { ChildProcess, spawn as spawnType } from "node:child_process";
import * as io from "./step-io.js";

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  /** true when the command was killed because it ran past `timeoutMs`. */
  timedOut: boolean;
}

export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Text for the command's stdin (not with `secret`, where stdin is /dev/null). */
  input?: string;
  /** Print the command line and stream its output to the log. Default: quiet. */
  echo?: boolean;
  timeoutMs?: number;
  /** Write the command's stdout to this file (created 0600, or truncated) instead of collecting it: for output too large to hold, like an image archive. */
  stdoutFile?: string;
  /**
   * Text the command reads from `SECRET_FD_PATH` (a signing key): handed over through a pipe on fd 3,
   * so it is never in a file, the environment or the command line. See `run`.
   */
  secret?: string;
  /**
   * Collect stdout and stderr through files instead of pipes, and read them once the command has
   * ended. For a command that prints a line per path while it keeps every core busy (`nix copy -v`
   * of 500 paths): through a pipe, this process wakes for each line, and on a 2-core runner that
   * took 100–140 ms of CPU from the copy itself. The files are unlinked as soon as they are opened,
   * so nothing stays on disk; where none can be made, pipes are used. Not with `echo` or `stdoutFile`.
   */
  spool?: boolean;
}

type Spawn = typeof spawnType;

/** Where a command started with `secret` reads it. */
export const SECRET_FD_PATH = "/dev/fd/3";

/**
 * Node gives a child its extra stdio as a socket, and Linux refuses to open a socket through
 * /dev/fd ("No such device or address"), which is how Nix reads a key file. So the command runs
 * behind a shell pipeline: `cat` moves the secret from node's socket into a real pipe, which the
 * command gets as fd 3. The pipeline's status is the command's.
 */
const SECRET_PIPE = 'cat <&3 | "$0" "$@" 3<&0 0</dev/null';

/**
 * The env a child process gets: the given one without the step's inputs. The runner hands a step its
 * inputs as INPUT_* variables, secrets among them (signing-key, access-tokens, netrc); no command
 * this action runs needs them, and nix would pass them on to builders, hooks and ssh.
 */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !/^INPUT_/i.test(k)) out[k] = v;
  return out;
}

/** Process groups of the detached commands still running (their leaders' pids). */
const running = new Set<number>();

/**
 * Kills the process group of every command `run` started with a timeout that has not ended yet, and
 * returns their pids. For a step that is being cancelled: a detached group would outlive it.
 */
export function killRunning(): number[] {
  const pids = [...running];
  for (const pid of pids) killGroup(pid);
  running.clear();
  return pids;
}

/** Process groups of the commands with a timeout still running (for a status another process reads). */
export function runningGroups(): number[] {
  return [...running];
}

/** Kills process group `pgid` (a detached command's). */
export function killGroupOf(pgid: number): void {
  killGroup(pgid);
}

/**
 * The one place this action starts processes. It never throws for a non-zero exit: callers decide.
 * Built on node's spawn rather than @actions/exec because the push needs a hard timeout and a
 * kill of the whole process, which @actions/exec does not offer.
 */
export async function run(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  if (opts.echo) io.info(`[command]${[cmd, ...args].join(" ")}`);
  // loaded on first use: where Nix lives in the store, the main step starts no process at all
  const { spawn } = await import("node:child_process");
  let outFd: number | undefined;
  try {
    if (opts.stdoutFile !== undefined) outFd = openSync(opts.stdoutFile, "w", 0o600);
  } catch (err) {
    return { code: 126, stdout: "", stderr: String(err), timedOut: false };
  }
  const spool = opts.spool && !opts.echo && outFd === undefined ? spoolFiles() : undefined;
  const result = await startAndWait(spawn, cmd, args, opts, spool?.[0] ?? outFd, spool?.[1]);
  if (outFd !== undefined) closeSync(outFd);
  if (spool) {
    result.stdout += readSpooled(spool[0]);
    result.stderr = readSpooled(spool[1]) + result.stderr;
  }
  return result;
}

/** The command's result; one that cannot be started at all is exit 127. */
async function startAndWait(spawn: Spawn, cmd: string, args: string[], opts: ExecOptions, out: number | undefined, err: number | undefined): Promise<ExecResult> {
  let child: ChildProcess;
  try {
    child = start(spawn, cmd, args, opts, out, err);
  } catch (e) {
    return { code: 127, stdout: "", stderr: String(e), timedOut: false };
  }
  const ended = outcome(child, opts);
  feed(child, opts);
  return ended;
}

/**
 * Starts the command, with `out` and `err` as its stdout and stderr when given (files), else pipes.
 * With a secret it runs behind SECRET_PIPE; with a timeout it leads a process group of its own.
 */
function start(spawn: Spawn, cmd: string, args: string[], opts: ExecOptions, out: number | undefined, err: number | undefined): ChildProcess {
  const viaPipe = opts.secret !== undefined;
  return spawn(viaPipe ? "sh" : cmd, viaPipe ? ["-c", SECRET_PIPE, cmd, ...args] : args, {
    env: childEnv(opts.env ?? process.env),
    cwd: opts.cwd,
    stdio: [opts.input === undefined || viaPipe ? "ignore" : "pipe", out ?? "pipe", err ?? "pipe", ...(viaPipe ? (["pipe"] as const) : [])],
    detached: opts.timeoutMs !== undefined,
  });
}

/** Gives the command its input on stdin and its secret on fd 3. */
function feed(child: ChildProcess, opts: ExecOptions): void {
  if (opts.input !== undefined && child.stdin) child.stdin.end(opts.input);
  const secretPipe = opts.secret === undefined ? undefined : (child.stdio[3] as Writable | null);
  if (secretPipe) {
    // a command that fails before it reads the secret closes the pipe: its exit status says why
    secretPipe.on("error", () => undefined);
    secretPipe.end(opts.secret);
  }
}

/** The command's end and what it printed; past `timeoutMs`, its whole process group is killed. */
function outcome(child: ChildProcess, opts: ExecOptions): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const pid = child.pid;
    if (opts.timeoutMs !== undefined && pid !== undefined) running.add(pid);
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(pid);
          }, opts.timeoutMs);
    const done = (r: Omit<ExecResult, "timedOut">) => {
      if (timer) clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      resolve({ ...r, timedOut });
    };
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (opts.echo) io.raw(d);
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      if (opts.echo) io.raw(d);
    });
    child.on("error", (err: NodeJS.ErrnoException) => done({ code: err.code === "ENOENT" ? 127 : 126, stdout, stderr: stderr + String(err) }));
    child.on("close", (code, signal) => done({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Two unlinked files for a command's stdout and stderr, or undefined when they cannot be made. */
function spoolFiles(): [number, number] | undefined {
  const fds: number[] = [];
  try {
    for (const name of ["out", "err"]) {
      const file = path.join(os.tmpdir(), `nix-runner-action-${process.pid}-${Math.random().toString(36).slice(2)}.${name}`);
      fds.push(openSync(file, "wx+", 0o600));
      unlinkSync(file);
    }
    return [fds[0], fds[1]];
  } catch {
    for (const fd of fds) closeSync(fd);
    return undefined;
  }
}

/** What the command wrote to a spool file (read from the start: the child moved the shared offset), then closed. */
function readSpooled(fd: number): string {
  try {
    const buf = Buffer.alloc(fstatSync(fd).size);
    let at = 0;
    while (at < buf.length) {
      const n = readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    // detached children lead their own process group: a negative pid reaches nix and its helpers.
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

/** The first line of stderr (or stdout) that says something, for one-line error messages. */
export function firstError(r: ExecResult): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split("\n");
  return text.find((l) => /error/i.test(l))?.trim() ?? text[0]?.trim() ?? `exit code ${r.code}`;
}

/**
 * Starts a long-lived helper that outlives this step (the background pusher): its own session and
 * process group unless `ownGroup` is false (then it stays in this process's group, and a signal to
 * the group reaches it), the environment without INPUT_*, `input` on its stdin (a secret may travel
 * there: never through argv or env), stdout and stderr appended to `logFile`, so that it holds none
 * of this process's output open. Resolves with its pid once `input` has been handed over.
 */
export async function startDetached(
  cmd: string,
  args: string[],
  opts: { input: string; logFile: string; env?: NodeJS.ProcessEnv; ownGroup?: boolean },
): Promise<number> {
  const { spawn } = await import("node:child_process");
  const log = openSync(opts.logFile, "a", 0o600);
  try {
    const child = spawn(cmd, args, { env: childEnv(opts.env ?? process.env), stdio: ["pipe", log, log], detached: opts.ownGroup ?? true });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("spawn", () => resolve(child.pid!));
    });
    await new Promise<void>((resolve) => {
      child.stdin!.once("error", () => resolve());
      child.stdin!.end(opts.input, () => resolve());
    });
    child.stdin!.destroy();
    child.unref();
    return pid;
  } finally {
    closeSync(log);
  }
}
