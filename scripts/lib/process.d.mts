import type { ChildProcess } from "node:child_process";

export function alive(pid: number): boolean;
export function stopChild(child: ChildProcess, graceMs?: number): Promise<void>;
export function stopPids(pids: number[]): Promise<void>;
