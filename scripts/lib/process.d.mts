import type { ChildProcess } from "node:child_process";

export function alive(pid: number): boolean;
export function groupAlive(pgid: number): boolean;
export function stopChild(child: ChildProcess, graceMs?: number): Promise<void>;
/** SIGTERM, up to `graceMs` (default 3000) to exit, then SIGKILL; a negative PID is a process group. */
export function stopPids(pids: number[], graceMs?: number): Promise<void>;
/**
 * Starts a daemon in a session of its own (its PID in `pidFile`, its output in `log`) and waits up to
 * `waitMs` for its socket; throws with its log, having killed it, when it exits first or makes none.
 */
export function startDetached(o: { command: string; args: string[]; env: NodeJS.ProcessEnv; socket: string; pidFile: string; log: string; waitMs: number }): Promise<number>;
/** The PID a pid file holds, or undefined. */
export function pidFrom(file: string): number | undefined;
/**
 * Runs a command in a process group of its own, its output as its log, bounded by `timeoutMs` (the
 * group stopped then: code 124); whatever of its group outlives it is killed (leftRunning).
 */
export function runGroup(
  cmd: string,
  args: string[],
  o: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; graceMs?: number; onStart?: (group: number) => void },
): Promise<{ code: number; log: string; timedOut: boolean; leftRunning: boolean }>;
