import { type ExecResult, run } from "../exec.js";
import type { PushTarget } from "../push-target.js";
import { backoffBefore, type Limits } from "./limits.js";
import { classifyFailure, type Copied, copyLogDoubt, parseCopyLog } from "./report.js";
import { copyArgs } from "./url.js";

/** Keep each nix command line well under Linux's argument limit (2 MB with the default stack). */
const ARGV_BUDGET = 256 * 1024;

/** Splits a path list so no command line exceeds ARGV_BUDGET; almost always a single chunk. */
export function chunks(paths: string[], budget = ARGV_BUDGET): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let size = 0;
  for (const p of paths) {
    if (cur.length > 0 && size + p.length + 1 > budget) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(p);
    size += p.length + 1;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/**
 * How long the copies may take. Post has one deadline for its whole push: a copy that times out has
 * used it up. The background pusher gives every copy the full timeout, since the job runs on
 * meanwhile: a copy that timed out is tried again like any failed one.
 */
export type Budget = { deadline: number } | { eachCopyMs: number };

function remaining(b: Budget): number {
  return "deadline" in b ? b.deadline - Date.now() : b.eachCopyMs;
}

/** Where and how the paths go: the same for every chunk and every attempt. */
export interface CopyTo {
  target: PushTarget;
  /** The `nix copy --to` URL (buildPushUrl). */
  url: string;
  /** What the URL's secret-key=/dev/fd/3 reads; every attempt gets it through a fresh pipe. */
  key?: string;
  /** The uploads' env (TMPDIR in the job's folder). */
  env: NodeJS.ProcessEnv;
  limits: Limits;
  budget: Budget;
  /** What every attempt uploaded, added up (parseCopyLog). */
  copied: Copied;
  /**
   * skip-upstream's front (src/push/skip.ts): each attempt first has it vouch for what an upstream
   * serves of the paths' closure, then copies to its URL instead of `url`.
   */
  via?: { url: string; prepare(paths: string[], timeoutMs: number): Promise<void> };
}

/** What the caller says, and decides, while a chunk is copied. Every message is the caller's. */
export interface CopyEvents {
  /** A retry: attempt `attempt` starts after `waitMs`. */
  waiting?(attempt: number, waitMs: number): void;
  /** Attempt `attempt` starts now, of `paths`. */
  starting?(attempt: number, paths: string[]): void;
  /** nix copy succeeded but its log is not what the action understands (the reason). */
  notUnderstood?(why: string): void;
  /**
   * A failed copy, before it counts as an attempt: the paths to copy again at once, as the same
   * attempt (some were found gone from the store), or undefined when the failure stands.
   */
  recheck?(paths: string[], r: ExecResult): Promise<string[] | undefined>;
  /** A failed attempt; `final`: no more will be made. */
  failed?(attempt: number, r: ExecResult, final: boolean): void;
}

export type CopyOutcome =
  /** `uploaded`: the paths the last attempt's log counted that no earlier copy had */
  | { ok: true; paths: string[]; uploaded: number }
  | { ok: false; attempt: number; paths: string[]; r: ExecResult }
  /** the deadline passed before an attempt could start */
  | { ok: false; attempt: number; paths: string[]; r?: undefined };

/**
 * Copies one chunk (≤ ARGV_BUDGET) of paths with nix copy, retried with backoff on a transient
 * failure, at most `limits.attempts` times, within the budget. Never throws for a failed copy.
 */
export async function copyChunk(to: CopyTo, given: string[], on: CopyEvents = {}): Promise<CopyOutcome> {
  let paths = given;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) {
      const wait = backoffBefore(attempt, to.limits, remaining(to.budget));
      on.waiting?.(attempt, wait);
      await new Promise((r) => setTimeout(r, wait));
    }
    if (remaining(to.budget) <= 0) return { ok: false, attempt, paths };
    on.starting?.(attempt, paths);
    await to.via?.prepare(paths, remaining(to.budget));
    const r = await run("nix", copyArgs(to.via?.url ?? to.url, paths), { env: to.env, timeoutMs: remaining(to.budget), secret: to.key, spool: true });
    const before = to.copied.paths.size;
    parseCopyLog(r.stderr + r.stdout, to.target.binaryCache, to.copied);
    if (r.code === 0) {
      const unclear = copyLogDoubt(r.stderr + r.stdout, paths.length, to.target.binaryCache);
      if (unclear) on.notUnderstood?.(unclear);
      return { ok: true, paths, uploaded: to.copied.paths.size - before };
    }
    const again = await on.recheck?.(paths, r);
    if (again !== undefined) {
      paths = again;
      if (paths.length === 0) return { ok: true, paths, uploaded: 0 };
      attempt--;
      continue;
    }
    const permanent = r.timedOut ? "deadline" in to.budget : classifyFailure(r.stderr) === "permanent";
    const final = permanent || attempt >= to.limits.attempts || remaining(to.budget) <= 0;
    on.failed?.(attempt, r, final);
    if (final) return { ok: false, attempt, paths, r };
  }
}
