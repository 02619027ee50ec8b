import type { ChildProcess } from "node:child_process";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True while a process with this PID exists (and we may signal it). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a server a test started: SIGTERM, up to `graceMs` to exit, then SIGKILL. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([gone, sleep(graceMs)]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** Stops processes known only by PID (daemons started detached): SIGTERM, up to 3 s, then SIGKILL. */
export async function stopPids(pids: number[]): Promise<void> {
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
