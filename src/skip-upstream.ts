/**
 * The skip-upstream input, parsed once by readInputs: which upstream caches' paths the push leaves
 * out (src/push/skip.ts does it).
 */

/** One `skip-upstream` entry: paths signed by `key` (a key name) that `url` still serves are not pushed. */
export interface Upstream {
  key: string;
  url: string;
}

/**
 * Parses `skip-upstream`: whitespace-separated `KEY-NAME=URL` entries (the key name as in the
 * upstream's public key, before its colon; the URL http(s):// or file:///). Returns the error text
 * for the first bad entry, or the entries.
 */
export function parseSkipUpstream(text: string): Upstream[] | string {
  const out: Upstream[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf("=");
    const key = eq > 0 ? word.slice(0, eq) : "";
    const url = eq > 0 ? word.slice(eq + 1) : "";
    if (!key || !url) return `"${word}" is not KEY-NAME=URL; write e.g. cache.nixos.org-1=https://cache.nixos.org`;
    if (key.includes(":")) return `"${key}" is a whole public key; give only its name, the part before the colon (e.g. cache.nixos.org-1)`;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return `"${url}" (for ${key}) is not a URL; write e.g. cache.nixos.org-1=https://cache.nixos.org`;
    }
    if (!["http:", "https:", "file:"].includes(u.protocol)) return `"${url}" (for ${key}) must be an http://, https:// or file:/// URL`;
    if (u.protocol === "file:" && (u.host !== "" || !u.pathname.startsWith("/"))) return `"${url}" (for ${key}) must be an absolute file URL with three slashes`;
    if (u.search) return `"${url}" (for ${key}) must have no query: it is only asked whether it serves a path's .narinfo`;
    out.push({ key, url: url.replace(/\/+$/, "") });
  }
  return out;
}
