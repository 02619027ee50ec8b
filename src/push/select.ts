import type { Facts } from "../detect/classify.js";
import type { Trust } from "../nix/trust.js";

/** How the post step finds what this job built. */
export type PathMethod = "hook" | "diff" | "paths";

export interface MethodChoice {
  method: PathMethod;
  /** One sentence for the log: why this method. */
  why: string;
}

/** push-paths set: that decides it, wherever the job runs. */
export const PUSH_PATHS_CHOICE: MethodChoice = { method: "paths", why: "push-paths is set, so exactly those closures are pushed" };

/**
 * The hook is exact and costs nothing per path, so it wins wherever Nix will run it for this job:
 * a store opened directly, or a daemon that trusts us and can see our script (on the host, or in our
 * own container; not the host's daemon behind a mounted socket, which cannot reach a container's
 * files). Otherwise the store listing taken in main is diffed.
 */
export function chooseMethod(
  pushPaths: string[],
  facts: Pick<Facts, "viaDaemon" | "daemonSharesConfig" | "user">,
  trust: Trust,
): MethodChoice {
  if (pushPaths.length > 0) return PUSH_PATHS_CHOICE;
  if (!facts.viaDaemon) {
    return { method: "hook", why: "Nix opens the store directly, so it runs this job's post-build-hook after every build" };
  }
  if (trust.trusted !== true) {
    const reason =
      trust.trusted === false
        ? `the Nix daemon does not trust user "${facts.user}", so it ignores a post-build-hook from this job`
        : `it is unknown whether the daemon trusts user "${facts.user}" (${trust.how}), so a post-build-hook may be ignored`;
    return { method: "diff", why: `${reason}; the store listing taken now is compared with the store in the post step` };
  }
  if (!facts.daemonSharesConfig) {
    return {
      method: "diff",
      why: "the daemon runs on the host and cannot run a hook script inside this container; the store listing taken now is compared in the post step",
    };
  }
  return { method: "hook", why: `the daemon trusts user "${facts.user}", so it runs this job's post-build-hook after every build` };
}

const SKIP_SUFFIXES = [".drv", ".lock", ".check"];

/** The top-level store path a path points into (`/nix/store/abc-x/bin/y` → `/nix/store/abc-x`), or undefined. */
export function storePathOf(p: string, storeDir: string): string | undefined {
  const prefix = storeDir.replace(/\/+$/, "") + "/";
  if (!p.startsWith(prefix)) return undefined;
  const name = p.slice(prefix.length).split("/")[0];
  if (!/^[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+\-._?=]+$/.test(name)) return undefined;
  return prefix + name;
}

/**
 * Candidates in, paths worth pushing out: store paths only, once each, in order, without derivations,
 * lock and check files, and without what `push-filter` matches.
 */
export function filterPaths(candidates: string[], storeDir: string, filter: string): { keep: string[]; dropped: number } {
  const re = filter ? new RegExp(filter) : undefined;
  const seen = new Set<string>();
  const keep: string[] = [];
  let dropped = 0;
  for (const c of candidates) {
    const p = storePathOf(c.trim(), storeDir);
    if (p === undefined || seen.has(p)) {
      if (c.trim() !== "" && p === undefined) dropped++;
      continue;
    }
    seen.add(p);
    if (SKIP_SUFFIXES.some((s) => p.endsWith(s)) || (re && re.test(p))) {
      dropped++;
      continue;
    }
    keep.push(p);
  }
  return { keep, dropped };
}

/** Store entries present after but not before (both as readdir names), as full paths. */
export function newEntries(before: string[], after: string[], storeDir: string): string[] {
  const had = new Set(before);
  const dir = storeDir.replace(/\/+$/, "");
  return after.filter((n) => !had.has(n) && !n.startsWith(".")).map((n) => `${dir}/${n}`);
}

/** Lines of the hook's queue file (OUT_PATHS are space-separated; each build appends one line). */
export function parseQueue(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}
