import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { run } from "../exec.js";
import { NIX_FLAKES } from "./features.js";

/** The store types of push-to's schemes, by the names `nix describe-stores --json` gives them (Nix 2.4 to 2.19). */
const DESCRIBED_AS: Record<string, string> = {
  "file:": "Local Binary Cache Store",
  "http:": "Http Binary Cache Store",
  "https:": "Http Binary Cache Store",
  "s3:": "S3 Binary Cache Store",
  "ssh:": "Legacy SSH Store",
  "ssh-ng:": "SSH Store",
};

const BINARY_CACHE = ["compression", "compression-level", "index-debug-info", "local-nar-cache", "parallel-compression", "secret-key", "write-nar-listing"];
const ANY_STORE = ["path-info-cache-size", "priority", "store", "system-features", "trusted", "want-mass-query"];
const SSH = ["base64-ssh-public-host-key", "compress", "max-connections", "remote-program", "remote-store", "ssh-key"];
/** Binary-cache settings Nix 2.34 has and 2.8 and 2.26 do not. */
const BINARY_CACHE_2_34 = ["secret-keys", "narinfo-compression", "ls-compression", "log-compression"];

/**
 * What a Nix that cannot say (neither `nix describe-stores --json` nor `nix help-stores` answers, as
 * a fork may) is taken to accept: every setting that Nix 2.8, 2.26 or 2.34 listed for the scheme's
 * store (measured with each). A union, so a setting one of them takes is never refused; a misspelt
 * one is. S3: 2.34's list (Debian's 2.8 and 2.26 have no S3 store), and `buffer-size`, which older
 * S3 stores took.
 */
export const RECORDED_SETTINGS: Record<string, readonly string[]> = {
  "file:": [...ANY_STORE, ...BINARY_CACHE, ...BINARY_CACHE_2_34],
  "http:": [...ANY_STORE, ...BINARY_CACHE, ...BINARY_CACHE_2_34, "tls-certificate", "tls-private-key"],
  "https:": [...ANY_STORE, ...BINARY_CACHE, ...BINARY_CACHE_2_34, "tls-certificate", "tls-private-key"],
  "s3:": [
    ...ANY_STORE, ...BINARY_CACHE, ...BINARY_CACHE_2_34, "tls-certificate", "tls-private-key",
    "addressing-style", "buffer-size", "endpoint", "multipart-chunk-size", "multipart-threshold", "multipart-upload", "profile", "region", "scheme", "storage-class",
  ],
  "ssh:": [...ANY_STORE, ...SSH, "log-fd"],
  "ssh-ng:": [...ANY_STORE, ...SSH, "max-connection-age"],
};

/** `nix describe-stores --json` (Nix 2.4 to 2.19): each store type's settings, by push-to scheme. */
export function parseDescribeStores(json: string): Map<string, Set<string>> {
  const all = JSON.parse(json) as Record<string, Record<string, unknown>>;
  const out = new Map<string, Set<string>>();
  for (const [scheme, name] of Object.entries(DESCRIBED_AS)) {
    const settings = all[name];
    if (settings && typeof settings === "object") out.set(scheme, new Set(Object.keys(settings)));
  }
  return out;
}

/**
 * `nix help-stores` (Nix 2.20 on): one section per store type, its schemes on a line
 * `Store URL format: http://..., https://...`, then its settings as one-word bullets (`· name`,
 * in the text rendering). By scheme (with its colon, as PushTarget's).
 */
export function parseHelpStores(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let current: Set<string>[] = [];
  for (const line of text.split("\n")) {
    if (/^\s*Store URL format:/.test(line)) {
      current = [...line.matchAll(/([a-z][a-z0-9+.-]*):\/\//g)].map((m) => {
        const set = out.get(`${m[1]}:`) ?? new Set<string>();
        out.set(`${m[1]}:`, set);
        return set;
      });
      continue;
    }
    const bullet = line.match(/^\s*[·*-]\s+`?([a-z][a-z0-9-]*)`?\s*$/);
    if (bullet) for (const s of current) s.add(bullet[1]);
  }
  // a section whose settings were not recognised says nothing (it must not make every setting unknown)
  for (const [scheme, set] of out) if (set.size === 0) out.delete(scheme);
  return out;
}

/** The settings the Nix in use takes for each scheme, and how that was learnt (for the log and errors). */
export interface StoreSettings {
  byScheme: Map<string, Set<string>>;
  /** "nix describe-stores --json", "nix help-stores", or "a recorded table" */
  source: string;
  /** Whether `nix store info` exists (help-stores did answer): else `nix store ping`. */
  hasStoreInfo: boolean;
}

/** Asks the Nix on PATH which settings each store type takes; a Nix that cannot say gets RECORDED_SETTINGS. */
export async function storeSettings(env: NodeJS.ProcessEnv): Promise<StoreSettings> {
  const described = await run("nix", [...NIX_FLAKES, "describe-stores", "--json"], { env, timeoutMs: 30_000 });
  if (described.code === 0) {
    try {
      const byScheme = parseDescribeStores(described.stdout);
      if (byScheme.size > 0) return { byScheme, source: "nix describe-stores --json", hasStoreInfo: false };
    } catch {
      /* not its JSON: try the next way */
    }
  }
  const help = await run("nix", [...NIX_FLAKES, "help-stores"], { env: { ...env, NO_COLOR: "1", PAGER: "cat" }, timeoutMs: 30_000 });
  if (help.code === 0) {
    const byScheme = parseHelpStores(help.stdout);
    if (byScheme.size > 0) return { byScheme, source: "nix help-stores", hasStoreInfo: true };
  }
  const byScheme = new Map(Object.entries(RECORDED_SETTINGS).map(([s, names]) => [s, new Set(names)]));
  return { byScheme, source: "a recorded table (this Nix answers neither nix describe-stores --json nor nix help-stores)", hasStoreInfo: false };
}

/** A setting Nix refused when it opened a store, with Nix's own words. */
export interface Refusal {
  name: string;
  message: string;
}

/**
 * Opens a stand-in local binary cache (a folder of its own, removed after) with `settings`, which
 * must be settings of a Local Binary Cache Store: Nix checks their values as it opens it (a Boolean
 * that is not one, a number that is not one; 2.34 a compression method too). Nothing reaches the
 * real cache. The refused setting, or undefined; `unclear`: Nix failed for another reason (its
 * words), and nothing is known about the values.
 */
export async function standInRefusal(settings: [string, string][], hasStoreInfo: boolean, env: NodeJS.ProcessEnv): Promise<Refusal | { unclear: string } | undefined> {
  if (settings.length === 0) return undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), "nix-runner-settings-"));
  try {
    const query = new URLSearchParams(settings).toString();
    const r = await run("nix", [...NIX_FLAKES, "store", hasStoreInfo ? "info" : "ping", "--store", `file://${dir}?${query}`], { env, timeoutMs: 30_000 });
    if (r.code === 0) return undefined;
    const line = r.stderr.split("\n").find((l) => l.startsWith("error:"))?.replace(/^error:\s*/, "").trim() ?? (r.timedOut ? "timed out" : r.stderr.trim());
    const name = line.match(/(?:setting|option) '([^']+)' has invalid value/)?.[1];
    return name ? { name, message: line } : { unclear: line };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
