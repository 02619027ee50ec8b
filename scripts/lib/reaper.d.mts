export interface Entry {
  group?: number;
  pidDir?: string;
  stop?: string[];
  podman?: boolean;
  done?: boolean;
}
/** Adds an entry to WORK's ledger. */
export function record(work: string, entry: Entry): void;
/** Stops everything WORK's ledger names, newest first, and removes WORK (kept when `keep`); what it had to stop, a line each. */
export function reap(work: string, o?: { keep?: boolean }): Promise<string[]>;
/** Starts the watcher of WORK for PIDs; returns the function that tells it all went well. */
export function watch(work: string, pids: number[]): () => void;
