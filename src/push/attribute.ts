import { opendir, readlink } from "node:fs/promises";
import path from "node:path";
import { ActionError } from "../errors.js";
import { run } from "../exec.js";
import { chunks } from "./copy.js";
import { storePathLines } from "./outputs.js";
import { errorLine } from "./report.js";
import { storePathOf } from "./select.js";

/**
 * Which of the store diff's new paths this job can be shown to have produced or used. Through a
 * daemon, the diff sees every build of every client; only the GC roots this job's builds left in its
 * own folders (`result` links) tie a path to it. Their closures are the job's; the rest is left out.
 */

/** The job's own folders: its workspace and its temp folder (Actions, then GitLab), each once, never `/`. */
export function jobFolders(env: NodeJS.ProcessEnv): string[] {
  const named = [env.GITHUB_WORKSPACE || env.CI_PROJECT_DIR, env.RUNNER_TEMP || env.RUNNER_TEMP_PROJECT_DIR];
  const out: string[] = [];
  for (const n of named) {
    if (!n || !path.isAbsolute(n)) continue;
    const d = path.resolve(n);
    if (d !== "/" && !out.includes(d)) out.push(d);
  }
  return out;
}

export interface Root {
  link: string;
  /** The top-level store path the link points into. */
  target: string;
}

/**
 * `nix-store --gc --print-roots` lines, `LINK -> TARGET`: Nix 2.8 prints the link bare, 2.34 in
 * double quotes (backslash-escaped inside). Roots of other users' processes read `{censored}` or
 * `{memory:…}` for a client the daemon does not trust; they are not files, so they are skipped.
 */
export function parseRoots(text: string, storeDir: string): Root[] {
  const out: Root[] = [];
  for (const line of text.split("\n")) {
    const m = line.match(/^(?:"((?:[^"\\]|\\.)*)"|(\/.*?)) -> (\/\S+)\s*$/);
    if (!m) continue;
    const link = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
    const target = storePathOf(m[3], storeDir);
    if (target) out.push({ link, target });
  }
  return out;
}

/** The roots whose link lies in one of `folders`. */
export function rootsUnder(roots: Root[], folders: string[]): Root[] {
  return roots.filter((r) => folders.some((f) => r.link.startsWith(f.endsWith("/") ? f : `${f}/`)));
}

/** How far the walk of the job's folders goes: most `result` links sit at the top of a checkout. */
export const WALK_BOUND = { depth: 4, entries: 20_000 };
/** Folders that hold no result links worth the walk, and can hold very many files. */
const SKIP_DIRS = new Set([".git", "node_modules"]);

/**
 * Symlinks into the store under `folders`, depth- and count-bounded; symlinked folders are not
 * followed. `complete` is false when the bound stopped the walk.
 */
export async function storeLinksUnder(folders: string[], storeDir: string, bound = WALK_BOUND): Promise<{ links: Root[]; complete: boolean }> {
  const links: Root[] = [];
  let seen = 0;
  const queue = folders.map((dir) => ({ dir, depth: 0 }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    let entries;
    try {
      entries = await opendir(next.dir);
    } catch {
      continue;
    }
    for await (const e of entries) {
      if (++seen > bound.entries) return { links, complete: false };
      const full = path.join(next.dir, e.name);
      if (e.isSymbolicLink()) {
        const target = storePathOf(await readlink(full).catch(() => ""), storeDir);
        if (target) links.push({ link: full, target });
      } else if (e.isDirectory() && !SKIP_DIRS.has(e.name) && next.depth + 1 < bound.depth) {
        queue.push({ dir: full, depth: next.depth + 1 });
      }
    }
  }
  return { links, complete: true };
}

export interface Attribution {
  /** The job's roots: where they were found, and the store paths they point to. */
  roots: Root[];
  /** The closure of those roots: every path the job can be shown to have produced or used. */
  closure: Set<string>;
  /** Notes for the log: a source that could not be read, a bound that was reached. */
  notes: string[];
}

/**
 * The job's roots, from the daemon's list (a root registered anywhere under the job's folders) and a
 * bounded walk of those folders (the daemon cannot read links inside a container it does not share),
 * and their closure. `valid` keeps the store paths still valid. Throws when the closure cannot be
 * asked: without it nothing can be attributed.
 */
export async function attribute(folders: string[], storeDir: string, valid: (paths: string[]) => Promise<string[]>, timeoutMs: () => number): Promise<Attribution> {
  const notes: string[] = [];
  const listed = await run("nix-store", ["--gc", "--print-roots"], { timeoutMs: Math.min(60_000, timeoutMs()) });
  const fromDaemon = listed.code === 0 ? rootsUnder(parseRoots(listed.stdout, storeDir), folders) : [];
  if (listed.code !== 0) notes.push(`the daemon's GC roots could not be listed (${listed.timedOut ? "timed out" : errorLine(listed.stderr)}); the job's folders are searched instead`);
  const walked = await storeLinksUnder(folders, storeDir);
  if (!walked.complete) notes.push(`the search of ${folders.join(" and ")} for result links stopped after ${WALK_BOUND.entries} entries`);
  const roots = [...fromDaemon, ...walked.links.filter((l) => !fromDaemon.some((d) => d.link === l.link))];
  const targets = await valid([...new Set(roots.map((r) => r.target))]);
  const closure = new Set<string>();
  for (const chunk of chunks(targets)) {
    const r = await run("nix-store", ["--query", "--requisites", ...chunk], { timeoutMs: timeoutMs() });
    if (r.code !== 0) throw new ActionError(`could not ask the store for the closure of this job's GC roots: ${r.timedOut ? "timed out" : errorLine(r.stderr)}`);
    for (const p of storePathLines(r.stdout, storeDir).paths) closure.add(p);
  }
  return { roots, closure, notes };
}

/** The candidates in the job's closure, in order, and how many were not. */
export function onlyAttributed(candidates: string[], closure: Set<string>): { keep: string[]; leftOut: number } {
  const keep = candidates.filter((p) => closure.has(p));
  return { keep, leftOut: candidates.length - keep.length };
}
