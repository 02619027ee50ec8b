// Stopping what a test, a benchmark or a script started: by its ChildProcess or by PID (a negative
// PID: a process group), SIGTERM first, SIGKILL after a grace period; and starting a daemon that
// outlives its starter, to be stopped by PID (startDetached). Shared by test/, bench/ and scripts/;
// also a program, for bash:
//   node scripts/lib/process.mjs stop [--grace-ms N] PID...   (default grace 3000 ms; -PGID for a group)
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** True while a process with this PID (or, negative, process group) exists and we may signal it. @param {number} pid */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while a process of group `pgid` runs. Zombies do not count: they have ended, and only their
 * parent can reap them (an orphan's is PID 1, which on some machines reaps late), while
 * `kill(-pgid, 0)` still finds them.
 * @param {number} pgid
 */
export function groupAlive(pgid) {
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(group) === pgid && state !== "Z") return true;
    } catch {
      /* gone */
    }
  }
  return false;
}

/**
 * Stops a child this process started: SIGTERM, up to `graceMs` to exit, then SIGKILL.
 * @param {import("node:child_process").ChildProcess} child @param {number} [graceMs]
 */
export async function stopChild(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([gone, sleep(graceMs)]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/**
 * Stops processes known only by PID (daemons started detached; a negative PID is a process group):
 * SIGTERM, up to `graceMs` to exit, then SIGKILL.
 * @param {number[]} pids @param {number} [graceMs]
 */
export async function stopPids(pids, graceMs = 3000) {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      continue; // already gone
    }
    for (let waited = 0; waited < graceMs && alive(pid); waited += 100) await sleep(100);
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
}

/**
 * Runs a command in a process group of its own (a runner and all it starts), its stdout and stderr
 * together as its log, bounded by `timeoutMs` (then the group gets SIGTERM, and SIGKILL after
 * `graceMs`). Once it has exited, whatever is left of its group is killed and said in the log: the
 * workflow tests and the e2e run every runner through this. `onStart` hears the group's id (the e2e
 * records it for its watcher).
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs: number, graceMs?: number, onStart?: (group: number) => void }} o
 * @returns {Promise<{ code: number, log: string, timedOut: boolean, leftRunning: boolean }>}
 */
export async function runGroup(cmd, args, o) {
  const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const group = child.pid ?? 0;
  if (group) o.onStart?.(group);
  let log = "";
  child.stdout.on("data", (/** @type {Buffer} */ d) => (log += d.toString()));
  child.stderr.on("data", (/** @type {Buffer} */ d) => (log += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopPids([-group], o.graceMs ?? 10_000);
  }, o.timeoutMs);
  /** @type {number} */
  const code = await new Promise((resolve) => {
    child.on("error", (e) => {
      log += `\n[harness] ${cmd}: ${e.message}\n`;
      resolve(127);
    });
    child.on("close", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  clearTimeout(timer);
  if (timedOut) log += `\n[harness] timed out after ${Math.round(o.timeoutMs / 1000)} s: its process group was stopped\n`;
  const leftRunning = group > 0 && alive(-group);
  if (leftRunning) {
    await stopPids([-group], 0);
    log += `\n[harness] left running after it exited: process group ${group} (killed)\n`;
  }
  return { code: timedOut ? 124 : code, log, timedOut, leftRunning };
}

/** True when `file` is a Unix socket. @param {string} file */
function isSocket(file) {
  try {
    return fs.statSync(file).isSocket();
  } catch {
    return false;
  }
}

/**
 * Starts a daemon in a session of its own, so it outlives this process and is not stopped with the
 * caller's terminal or process group: stopped later by its PID, which goes to `pidFile`. Its output
 * goes to `log`. Waits up to `waitMs` for it to make `socket`; when it exits first or makes none in
 * time, kills it and throws with its log.
 * @param {{ command: string, args: string[], env: NodeJS.ProcessEnv, socket: string, pidFile: string, log: string, waitMs: number }} o
 * @returns {Promise<number>} its PID
 */
export async function startDetached(o) {
  fs.rmSync(o.socket, { force: true });
  const out = fs.openSync(o.log, "w");
  const child = spawn(o.command, o.args, { env: o.env, detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  let gone = false;
  child.once("exit", () => (gone = true));
  child.once("error", () => (gone = true));
  child.unref();
  if (child.pid !== undefined) fs.writeFileSync(o.pidFile, `${child.pid}\n`);
  for (let waited = 0; waited < o.waitMs && !gone && !isSocket(o.socket); waited += 50) await sleep(50);
  if (child.pid !== undefined && isSocket(o.socket)) return child.pid;
  if (!gone) child.kill("SIGKILL");
  fs.rmSync(o.pidFile, { force: true });
  const said = fs.readFileSync(o.log, "utf8").trimEnd().split("\n").map((l) => `  | ${l}`).join("\n");
  const why = gone ? "exited before it made" : `made no socket within ${o.waitMs / 1000} s at`;
  throw new Error(`${o.command} ${why} ${o.socket}; its log (${o.log}):\n${said}`);
}

/** The PID a file holds (written by startDetached), or undefined. @param {string} file */
export function pidFrom(file) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The program (see the top of this file). @param {string[]} argv */
async function main(argv) {
  const [what, ...rest] = argv;
  let graceMs = 3000;
  if (rest[0] === "--grace-ms") graceMs = Number(rest.splice(0, 2)[1]);
  const pids = rest.map(Number);
  if (what !== "stop" || !Number.isInteger(graceMs) || graceMs < 0 || pids.length === 0 || !pids.every(Number.isInteger)) {
    console.error("usage: process.mjs stop [--grace-ms N] PID...  (a negative PID: a process group)");
    process.exitCode = 2;
    return;
  }
  await stopPids(pids, graceMs);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
