// Stopping what a test, a benchmark or a script started: by its ChildProcess or by PID (a negative
// PID: a process group), SIGTERM first, SIGKILL after a grace period. Shared by test/, bench/ and
// scripts/; also a program, for bash:
//   node scripts/lib/process.mjs stop [--grace-ms N] PID...   (default grace 3000 ms; -PGID for a group)
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
