import { excerpt, UnknownAnswer } from "../nix/answer.js";
import type { Upstream } from "../skip-upstream.js";

/**
 * What an upstream-served path needs for the local front to vouch for it (src/push/front.ts), read
 * from the local store's own metadata (`nix path-info --json -r`).
 */
export interface PathMeta {
  path: string;
  /** As Nix printed it: `sha256-<base64>` (SRI, every version so far) or `sha256:<base32>`. */
  narHash: string;
  narSize: number;
  /** Full store paths. */
  references: string[];
  signatures: string[];
  ca?: string;
  deriver?: string;
}

/**
 * Reads `nix path-info --json` (with `-r`) with the fields a narinfo needs: the list of ≤ 2.18 and
 * the object keyed by store path of 2.19 on (format 1, which 2.34 prints with `--json-format 1`).
 * Paths that are not valid (null) are left out. Anything else is an UnknownAnswer.
 */
export function parsePathMetas(stdout: string): PathMeta[] {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    throw new UnknownAnswer(`not JSON (${excerpt(stdout) || "empty"})`);
  }
  if (data === null || typeof data !== "object") throw new UnknownAnswer(`${excerpt(stdout)}, not a list or an object`);
  const entries: [string, unknown][] = Array.isArray(data)
    ? data.map((e: unknown) => [String((e as { path?: unknown } | null)?.path), e])
    : Object.entries(data as Record<string, unknown>);
  const out: PathMeta[] = [];
  for (const [path, raw] of entries) {
    if (raw === null || (raw as { valid?: unknown }).valid === false) continue;
    const e = raw as Record<string, unknown>;
    const refs = e.references;
    if (typeof e.narHash !== "string" || typeof e.narSize !== "number" || !Array.isArray(refs) || !path.startsWith("/")) {
      throw new UnknownAnswer(`an entry without path, narHash, narSize or references (${excerpt(JSON.stringify(raw))})`);
    }
    out.push({
      path,
      narHash: e.narHash,
      narSize: e.narSize,
      references: refs.map(String),
      signatures: Array.isArray(e.signatures) ? e.signatures.map(String) : [],
      ca: typeof e.ca === "string" ? e.ca : undefined,
      deriver: typeof e.deriver === "string" ? e.deriver : undefined,
    });
  }
  return out;
}

/** The names of the keys that signed `m` (a signature is `name:base64`). */
export function signerNames(m: PathMeta): string[] {
  return m.signatures.map((s) => s.slice(0, Math.max(0, s.indexOf(":")))).filter(Boolean);
}

/** The first upstream whose key signed `m`, or undefined. */
export function upstreamOf(m: PathMeta, upstreams: readonly Upstream[]): Upstream | undefined {
  const names = new Set(signerNames(m));
  return upstreams.find((u) => names.has(u.key));
}

const BASE32 = "0123456789abcdfghijklmnpqrsvwxyz";

/** Nix's base-32 (its own alphabet and bit order), as in store path hashes and narinfo NarHash. */
export function nixBase32(bytes: Uint8Array): string {
  const len = Math.ceil((bytes.length * 8) / 5);
  let s = "";
  for (let n = len - 1; n >= 0; n--) {
    const b = n * 5;
    const i = Math.floor(b / 8);
    const j = b % 8;
    const c = (bytes[i] >> j) | (i + 1 < bytes.length ? bytes[i + 1] << (8 - j) : 0);
    s += BASE32[c & 0x1f];
  }
  return s;
}

/** `sha256-<base64>` (SRI) → `sha256:<base32>`, the form every Nix reads in a narinfo; other forms pass as they are. */
export function narinfoHash(hash: string): string {
  const m = hash.match(/^(sha256|sha512)-([A-Za-z0-9+/=]+)$/);
  return m ? `${m[1]}:${nixBase32(Buffer.from(m[2], "base64"))}` : hash;
}

/** The hash part of a store path (`/nix/store/<hash>-name` → `<hash>`): the name of its narinfo. */
export function hashPart(storePath: string): string {
  return storePath.slice(storePath.lastIndexOf("/") + 1, storePath.lastIndexOf("/") + 33);
}

const baseName = (p: string): string => p.slice(p.lastIndexOf("/") + 1);

/**
 * A narinfo for `m`, enough for Nix to take the path as valid in the cache (it checks a reference's
 * narinfo before it adds a path that uses it). Its URL names no file: nothing downloads through the
 * front, the consumers of the team's cache fetch such paths from the upstream.
 */
export function narinfoText(m: PathMeta): string {
  const hash = narinfoHash(m.narHash);
  const lines = [
    `StorePath: ${m.path}`,
    `URL: nar/${hash.slice(hash.indexOf(":") + 1)}.nar`,
    "Compression: none",
    `NarHash: ${hash}`,
    `NarSize: ${m.narSize}`,
    `References: ${m.references.map(baseName).join(" ")}`,
  ];
  if (m.deriver) lines.push(`Deriver: ${baseName(m.deriver)}`);
  for (const s of m.signatures) lines.push(`Sig: ${s}`);
  if (m.ca) lines.push(`CA: ${m.ca}`);
  return lines.join("\n") + "\n";
}
