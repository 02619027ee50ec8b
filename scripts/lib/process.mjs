// Stopping what a test, a benchmark or a script started: by its ChildProcess or by PID, SIGTERM
// first, SIGKILL after a grace period. Shared by test/, bench/ and scripts/lib/http-server.mjs.

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

/** Stops processes known only by PID (daemons started detached): SIGTERM, up to 3 s, then SIGKILL. @param {number[]} pids */
export async function stopPids(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      continue; // already gone
    }
    for (let i = 0; i < 30 && alive(pid); i++) await sleep(100);
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
}
