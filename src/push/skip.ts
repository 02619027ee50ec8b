import { stat } from "node:fs/promises";
import { run } from "../exec.js";
import { NIX_COMMAND } from "../nix/features.js";
import { configShowArgs, parseShowConfig } from "../nix/config.js";
import { pathInfoJsonArgs } from "../nix/path-info.js";
import type { NixVersion } from "../nix/version.js";
import type { PushTarget } from "../push-target.js";
import { chunks } from "./copy.js";
import { type Front, startFront } from "./front.js";
import { errorLine } from "./report.js";
import { buildPushUrl } from "./url.js";
import type { Upstream } from "../skip-upstream.js";
import { hashPart, type PathMeta, parsePathMetas, upstreamOf } from "./upstream.js";

/** Narinfo lookups at once, and the bound of each: an upstream that is slow or down only means "push it". */
const PARALLEL = 32;
const LOOKUP_MS = 10_000;
/** All of one check's lookups: a cache that is down costs at most this, not a timeout per path. */
const CHECK_MS = 30_000;

/** What the skip left out so far. */
export interface Skipped {
  paths: number;
  narBytes: number;
}

/**
 * skip-upstream at work for one process (post or the background pusher): a front (src/push/front.ts)
 * in front of push-to, and before each copy the paths of its closure that a named upstream signed
 * and still serves, vouched for there. Nothing here fails a push: what could not be checked is sent.
 */
export interface Skipper {
  /** The `nix copy --to` URL: the front's, with push-to's settings and the key's path. */
  url: string;
  prepare(paths: string[], timeoutMs: number): Promise<void>;
  skipped(): Skipped;
  stop(): Promise<void>;
}

/** Schemes the front can stand in front of; s3:// and ssh:// get whole closures. */
export function frontCovers(target: PushTarget): boolean {
  return ["file:", "http:", "https:"].includes(target.scheme);
}

export interface SkipOptions {
  target: PushTarget;
  upstreams: Upstream[];
  netrc: string;
  keyFile: string | undefined;
  nixVersion: NixVersion | undefined;
  env?: NodeJS.ProcessEnv;
  log: (msg: string) => void;
}

export async function startSkipper(o: SkipOptions): Promise<Skipper> {
  const front: Front = await startFront(o.target, o.netrc);
  const decided = new Set<string>();
  const count: Skipped = { paths: 0, narBytes: 0 };
  const { url } = buildPushUrl({ ...o.target, base: front.base }, { keyFile: o.keyFile });
  return {
    url,
    skipped: () => ({ ...count }),
    stop: () => front.stop(),
    prepare: async (paths, timeoutMs) => {
      const t0 = Date.now();
      const metas = await closureMetas(paths, o, timeoutMs);
      if (!metas) return;
      const open = metas.filter((m) => !decided.has(m.path));
      for (const m of open) decided.add(m.path);
      const candidates = open.flatMap((m) => {
        const u = upstreamOf(m, o.upstreams);
        return u ? [{ m, u }] : [];
      });
      const ask = lookups(Math.min(timeoutMs, CHECK_MS));
      const served = await mapLimit(candidates, PARALLEL, async ({ m, u }) => ((await ask(u.url, m.path)) ? m : undefined));
      const vouched = served.filter((m): m is PathMeta => m !== undefined);
      front.vouch(vouched);
      for (const m of vouched) {
        count.paths++;
        count.narBytes += m.narSize;
      }
      if (candidates.length > 0) {
        o.log(`skip-upstream: ${vouched.length} of ${candidates.length} upstream-signed path(s) in the closure are served upstream and not sent (${open.length} new path(s) looked at in ${Date.now() - t0} ms)`);
      }
    },
  };
}

/** The closure of `paths` with each path's metadata, or undefined (logged) when Nix could not say. */
async function closureMetas(paths: string[], o: SkipOptions, timeoutMs: number): Promise<PathMeta[] | undefined> {
  // this Nix's likeliest spelling only: a refusal pushes the closure whole, as any failure here does
  const [args] = await pathInfoJsonArgs(o.nixVersion);
  const out: PathMeta[] = [];
  for (const chunk of chunks(paths)) {
    const r = await run("nix", [...NIX_COMMAND, "path-info", ...args, "-r", ...chunk], { env: o.env, timeoutMs });
    if (r.code !== 0) {
      o.log(`skip-upstream: could not read the closure (${r.timedOut ? "timed out" : errorLine(r.stderr)}); it is pushed whole`);
      return undefined;
    }
    try {
      out.push(...parsePathMetas(r.stdout));
    } catch (e) {
      o.log(`skip-upstream: nix path-info's JSON was not understood (${(e as Error).message}); the closure is pushed whole`);
      return undefined;
    }
  }
  return out;
}

/**
 * Narinfo lookups within `totalMs` for all: `ask(url, path)` is true when the binary cache at `url`
 * answers for `path`'s narinfo (a HEAD, or the file). Any doubt is false; a cache that did not answer
 * at all (down, unreachable, slow past LOOKUP_MS) is not asked again, and past `totalMs` none is.
 */
export function lookups(totalMs: number): (url: string, storePath: string) => Promise<boolean> {
  const all = AbortSignal.timeout(Math.max(1, totalMs));
  const down = new Set<string>();
  return async (url, storePath) => {
    const name = `${hashPart(storePath)}.narinfo`;
    if (down.has(url) || all.aborted) return false;
    try {
      if (url.startsWith("file:")) return (await stat(`${decodeURIComponent(new URL(url).pathname).replace(/\/+$/, "")}/${name}`)).isFile();
      const r = await fetch(`${url.replace(/\/+$/, "")}/${name}`, { method: "HEAD", signal: AbortSignal.any([all, AbortSignal.timeout(LOOKUP_MS)]) });
      return r.ok;
    } catch {
      if (!url.startsWith("file:")) down.add(url);
      return false;
    }
  };
}

/** `f` over `items`, at most `limit` at once, results in order. */
export async function mapLimit<T, R>(items: T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** What the job's own substituters also serve of a push (skip-upstream off): told in the summary. */
export interface AlsoServed {
  paths: number;
  narBytes: number;
  /** The entry per key that would skip them (`key=substituter`), the first substituter found serving each. */
  entries: string[];
}

/**
 * Of the `uploaded` paths, those signed by a key the job trusts (not `ownKey`, signing-key's name)
 * that one of its http(s)/file substituters serves. Bounded (parallel lookups of bounded time);
 * undefined when anything could not be asked: it is only a hint.
 */
export async function alsoServed(uploaded: string[], ownKey: string, nixVersion: NixVersion | undefined, timeoutMs: number): Promise<AlsoServed | undefined> {
  // one budget for all of it, not one per command: it runs within the push's bound
  const deadline = Date.now() + timeoutMs;
  const left = () => deadline - Date.now();
  if (uploaded.length === 0 || left() <= 0) return undefined;
  const conf = await run("nix", [...NIX_COMMAND, ...(await configShowArgs(nixVersion))[0]], { timeoutMs: left() });
  if (conf.code !== 0) return undefined;
  const { substituters, trustedPublicKeys } = parseShowConfig(conf.stdout);
  const trusted = new Set(trustedPublicKeys.map((k) => k.slice(0, k.indexOf(":"))).filter((k) => k && k !== ownKey));
  const subs = substituters.filter((s) => /^(https?|file):/.test(s));
  if (trusted.size === 0 || subs.length === 0) return undefined;
  const metas: PathMeta[] = [];
  for (const chunk of chunks(uploaded)) {
    if (left() <= 0) return undefined;
    const r = await run("nix", [...NIX_COMMAND, "path-info", ...(await pathInfoJsonArgs(nixVersion))[0], ...chunk], { timeoutMs: left() });
    if (r.code !== 0) return undefined;
    try {
      metas.push(...parsePathMetas(r.stdout));
    } catch {
      return undefined;
    }
  }
  const signed = metas.flatMap((m) => {
    const key = m.signatures.map((s) => s.slice(0, s.indexOf(":"))).find((k) => trusted.has(k));
    return key ? [{ m, key }] : [];
  });
  if (left() <= 0) return undefined;
  const ask = lookups(left());
  const found = await mapLimit(signed, PARALLEL, async ({ m, key }) => {
    for (const s of subs) if (await ask(s, m.path)) return { m, entry: `${key}=${s.replace(/\/+$/, "")}` };
    return undefined;
  });
  const hits = found.filter((f) => f !== undefined);
  return { paths: hits.length, narBytes: hits.reduce((n, h) => n + h.m.narSize, 0), entries: [...new Set(hits.map((h) => h.entry))] };
}
