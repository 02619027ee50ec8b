import type { ChildProcess } from "node:child_process";

export function alive(pid: number): boolean;
export function stopChild(child: ChildProcess, graceMs?: number): Promise<void>;
/** SIGTERM, up to `graceMs` (default 3000) to exit, then SIGKILL; a negative PID is a process group. */
export function stopPids(pids: number[], graceMs?: number): Promise<void>;
