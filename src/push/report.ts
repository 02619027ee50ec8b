import type { PushScheme } from "../push-target.js";
import type { SummaryRows } from "../step-io.js";

/** What one `nix copy -v` said it uploaded: `copying path '<p>' (<n> bytes, compressed …) to binary cache`. */
export interface Copied {
  paths: Set<string>;
  narBytes: number;
}

/** Adds what `nix copy -v`'s log `text` says it uploaded to `into`; `binaryCache`: PushTarget's. */
export function parseCopyLog(text: string, binaryCache: boolean, into: Copied = { paths: new Set(), narBytes: 0 }): Copied {
  if (!binaryCache) {
    // an ssh store logs no sizes: count the paths it reports
    for (const m of text.matchAll(/^copying path '([^']+)' to '/gm)) into.paths.add(m[1]);
    return into;
  }
  for (const m of text.matchAll(/^copying path '([^']+)' \((\d+) bytes, compressed/gm)) {
    if (into.paths.has(m[1])) continue;
    into.paths.add(m[1]);
    into.narBytes += Number(m[2]);
  }
  return into;
}

/**
 * Why a successful `nix copy -v`'s log (of `given` paths) cannot be what parseCopyLog counts, or
 * undefined when it can. Every Nix so far logs `querying info about '<p>' on '<store>'...` per path,
 * `copying N paths...`, and per path sent `copying path '<p>' to '<store>'...`, followed, when the
 * target is a binary cache (file, http(s), s3), by the sized line parseCopyLog reads. Nothing of
 * that at all, an announced copy that names no path, or a path sent to a binary cache without its
 * sized line means the lines have changed.
 */
export function copyLogDoubt(text: string, given: number, binaryCache: boolean): string | undefined {
  const lines = text.split("\n").map((l) => l.trim());
  if (given > 0 && !lines.some((l) => /^(?:querying info about '|copying \d+ paths|copying path ')/.test(l))) {
    return `none of its lines is one the action knows ("querying info about …", "copying N paths…", "copying path …")`;
  }
  const announced = lines.reduce((n, l) => n + Number(l.match(/^copying (\d+) paths/)?.[1] ?? 0), 0);
  const sent = new Set(lines.flatMap((l) => l.match(/^copying path '([^']+)' to '/)?.[1] ?? []));
  if (announced > 0 && sent.size === 0) return `it announced ${announced} path(s) to copy and named none`;
  if (!binaryCache) return undefined;
  const counted = parseCopyLog(text, true).paths;
  const unsized = [...sent].filter((p) => !counted.has(p));
  if (unsized.length > 0) return `${unsized.length} path(s) sent without the line with their size (first: ${unsized[0]})`;
  return undefined;
}

export type Failure = "permanent" | "transient";

/** Nix 2.8's words for a 401, 403 or 404 on nix-cache-info (2.26 and 2.34 say "HTTP error 40x"). */
const NOT_A_CACHE = /does not appear to be a binary cache/;
/** A receiving store refused a path it could not check: "lacks a valid signature" (2.8), "lacks a signature by a trusted key" (2.26, 2.34). */
const SIGNATURE_REFUSED = /lacks a (?:valid signature|signature by a trusted key)/;

/** Errors no retry can fix: retrying them only delays the job. Anything else is worth another try. */
export function classifyFailure(stderr: string): Failure {
  const permanent = [
    /don't know how to open Nix store/,
    /HTTP error 40[1345]/,
    NOT_A_CACHE,
    /is not valid/,
    // a path gone from the store, copied with substitute=false (2.8, 2.26 and 2.34 say so): no retry brings it back
    /is required, but there is no substituter that can build it/,
    SIGNATURE_REFUSED,
    // a setting of push-to this Nix refuses (measured on 2.8, 2.26, 2.34): the same URL is refused again.
    // Only as an error: "warning: unknown setting" leaves the copy going, and a later failure may be transient
    /^error: .*unknown (?:setting|compression method)/m,
    /^error: .*(?:setting|option) '[^']+' has invalid value/m,
    /invalid (?:secret key|base64)/i,
    /No space left on device/,
    /Permission denied/,
  ];
  return permanent.some((re) => re.test(stderr)) ? "permanent" : "transient";
}

/**
 * What to do about a failure nix's own words leave unclear, as " (…)" to append to them; "" when
 * there is nothing to add. Without S3 support, Nix 2.8 says "don't know how to open Nix store
 * 's3://…'" and Nix 2.26 "… Nix store with scheme 's3'". `scheme` is push-to's (PushTarget): a 401
 * or 403 from an S3 cache reads in Nix 2.34's words as from any HTTP server (the endpoint's URL, no "S3").
 */
export function failureHint(stderr: string, scheme?: PushScheme): string {
  if (/don't know how to open Nix store (?:with scheme )?'s3[:']/.test(stderr)) {
    return " (this Nix was built without S3 support: push to an http(s):// or file:// cache, or use a Nix with S3)";
  }
  if (NOT_A_CACHE.test(stderr)) {
    return " (the server answered without a Nix cache there: check the URL, and netrc credentials if it needs a login)";
  }
  if (/<Code>NoSuchBucket<\/Code>/.test(stderr)) {
    return " (the bucket does not exist: create it, or fix the bucket name in push-to)";
  }
  if (scheme === "s3:" && /HTTP error 40[13]/.test(stderr)) {
    return " (the S3 server refused the request: give the job's environment AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE or profile= in push-to, for a key allowed to write to the bucket; a Nix built without AWS authentication, Debian's nix-bin among them, sends no credentials at all and can only write to a bucket that takes anonymous writes)";
  }
  if (SIGNATURE_REFUSED.test(stderr)) {
    return " (the receiving store checks signatures: add signing-key's public key to its trusted-public-keys, or make the ssh user trusted there)";
  }
  return "";
}

/** The error worth showing: nix's own `error:` line when there is one. */
export function errorLine(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const last = [...lines].reverse().find((l) => l.startsWith("error:"));
  return redactCredentials((last ?? lines[lines.length - 1] ?? "no output").replace(/^error:\s*/, ""));
}

export interface SummaryRow {
  cache: string;
  method: string;
  selected: number;
  uploaded: number;
  narBytes: number;
  seconds: number;
  result: string;
  /** With a background pusher: what it uploaded while the job ran, and how long post waited for it. */
  during?: { uploaded: number; narBytes: number; waitedSeconds: number };
  /** diff: new store paths left out as not attributable to this job; undefined: none were judged. */
  leftOut?: number;
  /** skip-upstream's count, or (off) what the job's substituters also serve of the push. */
  upstream?: string;
}

export function mbPerSecond(bytes: number, seconds: number): string {
  return seconds > 0 ? (bytes / 1e6 / seconds).toFixed(1) : "-";
}

/** The summary table's rows (io.appendSummaryTable): a header then one row. */
export function summaryTable(r: SummaryRow): SummaryRows {
  const head = ["cache", "method", "paths selected", "paths uploaded", "NAR bytes", "seconds", "MB/s", "result"];
  const row = [
    r.cache,
    r.method,
    String(r.selected),
    String(r.uploaded),
    String(r.narBytes),
    r.seconds.toFixed(1),
    mbPerSecond(r.narBytes, r.seconds),
    r.result,
  ];
  if (r.during) {
    head.push("uploaded during the job", "NAR bytes during the job", "post waited (s)");
    row.push(String(r.during.uploaded), String(r.during.narBytes), r.during.waitedSeconds.toFixed(1));
  }
  if (r.leftOut !== undefined) {
    head.push("left out (not attributable to this job)");
    row.push(r.leftOut > 0 ? `${r.leftOut} (push-unattributed: true pushes them)` : "0");
  }
  if (r.upstream) {
    head.push("upstream");
    row.push(r.upstream);
  }
  return [head.map((data) => ({ data, header: true })), row.map((data) => ({ data }))];
}

/** `scheme://user:password@host` → `scheme://***@host`, wherever it appears in a message (a bare user stays). */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s':]+:[^/@\s']+@/gi, "$1***@");
}
