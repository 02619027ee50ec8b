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
