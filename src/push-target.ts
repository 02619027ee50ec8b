/**
 * push-to, parsed once (by readInputs, which checked it) into what every part of the push needs to
 * know about the cache: its scheme, what of it a log may show, and how its paths are signed.
 */

/** The schemes push-to takes; a binary cache stores NARs and .narinfo files, an ssh store is a Nix store. */
const SCHEMES = { "file:": "binary-cache", "http:": "binary-cache", "https:": "binary-cache", "s3:": "binary-cache", "ssh:": "ssh", "ssh-ng:": "ssh" } as const;
export type PushScheme = keyof typeof SCHEMES;
export const PUSH_SCHEMES = Object.keys(SCHEMES) as PushScheme[];

export interface PushTarget {
  /** push-to as written: may hold a password, so it goes to nix only, never to a log. */
  url: string;
  scheme: PushScheme;
  /**
   * A binary cache takes `compression`, `parallel-compression` and `secret-key` settings in its URL,
   * and `nix copy -v` logs each path's size for it; an ssh store does neither.
   */
  binaryCache: boolean;
  /**
   * How signing-key signs: `at-upload`, by nix copy through the URL's secret-key; `in-local-store`,
   * for an ssh store (no secret-key setting), by `nix store sign` before the copy.
   */
  signs: "at-upload" | "in-local-store";
  /** The cache for logs and the summary: no password, query or key path (an ssh user name stays). */
  display: string;
  /** The URL's password, decoded ("" when none): the post step masks it. */
  password: string;
  /** The query's settings as written, in order. */
  settings: [string, string][];
  /** push-to without its query and fragment, as written. */
  base: string;
}

/** `url` is `text` parsed, when the caller has already parsed it (readInputs, which checked it). */
export function pushTarget(text: string, url: URL = new URL(text)): PushTarget {
  const scheme = url.protocol as PushScheme;
  const binaryCache = SCHEMES[scheme] === "binary-cache";
  return {
    url: text,
    scheme,
    binaryCache,
    signs: binaryCache ? "at-upload" : "in-local-store",
    display: displayOf(url),
    password: url.password ? decodeURIComponent(url.password) : "",
    settings: [...url.searchParams.entries()],
    base: text.split("?")[0].split("#")[0],
  };
}

function displayOf(parsed: URL): string {
  const u = new URL(parsed.href);
  if (u.password || !u.protocol.startsWith("ssh")) u.username = "";
  u.password = "";
  u.search = "";
  u.hash = "";
  return u.toString().replace(/\/$/, "");
}

/**
 * The compression methods Nix takes for a binary cache's `compression` (and, where it has them,
 * `narinfo-`, `ls-` and `log-compression`), as Nix 2.34's `nix help-stores` lists them. Nix 2.8 and
 * 2.26 take any word when they open the store and refuse it only at the first upload ("unknown
 * compression method"), so main checks it against this list.
 */
export const COMPRESSIONS = ["xz", "bzip2", "gzip", "zstd", "none", "br", "compress", "grzip", "lrzip", "lz4", "lzip", "lzma", "lzop"] as const;
const COMPRESSION_SETTINGS = ["compression", "narinfo-compression", "ls-compression", "log-compression"];

/** One of push-to's settings that the Nix in use would refuse or ignore, and why, in words for the user. */
export interface SettingProblem {
  name: string;
  why: string;
}

/**
 * push-to's settings (its query) checked against `known`, the settings the Nix in use takes for a
 * store of this scheme (src/nix/store-settings.ts asks it): unknown names (Nix only warns "unknown
 * setting" and goes on without them: a misspelt `compresion=zstd` would silently push xz), and
 * compression methods it has no compressor for. Pure.
 */
export function settingProblems(target: PushTarget, known: ReadonlySet<string>): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const [name, value] of target.settings) {
    if (!known.has(name)) {
      const near = closest(name, [...known]);
      problems.push({ name, why: `"${name}" is not a setting of this store${near ? `; did you mean "${near}"?` : ""} (it takes ${[...known].sort().join(", ")})` });
    } else if (COMPRESSION_SETTINGS.includes(name) && !(COMPRESSIONS as readonly string[]).includes(value) && !(value === "" && name !== "compression")) {
      problems.push({ name, why: `${name}=${value} is not a compression method Nix knows; use one of ${COMPRESSIONS.join(", ")}` });
    }
  }
  return problems;
}

/** The name of `known` within two edits of `name` (a typo), if one is. */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}
