// The Debian mirror this machine's apt uses (the first URI of its deb822 .sources files, else of its
// one-line lists, the security archive left out), for the tools that fetch from Debian's archive
// beside apt (provision-nix, debootstrap in build-images.mjs): they use the mirror the machine was
// set up with, never one named here. NIX_PROVISION_MIRROR, when set, wins.
//   node scripts/lib/debian-mirror.mjs      prints it; none found: exits 1 saying what to set
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The files in `dir` whose names end in `ext`, sorted as a shell glob lists them. @param {string} dir @param {string} ext */
const filesIn = (dir, ext) => {
  try {
    return readdirSync(dir).filter((n) => n.endsWith(ext) && !n.startsWith(".")).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
};

/** @param {string} file */
const readable = (file) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};

/** The URIs of a deb822 .sources file's `URIs:` fields. @param {string} text */
export const deb822Uris = (text) =>
  text.split("\n").flatMap((line) => {
    const [key, ...values] = line.trim().split(/\s+/);
    return key?.toLowerCase() === "uris:" ? values : [];
  });

/** The URI of each `deb` line of a one-line sources list. @param {string} text */
export const oneLineUris = (text) =>
  text.split("\n").flatMap((line) => {
    const [kind, ...rest] = line.trim().split(/\s+/);
    const uri = kind === "deb" ? rest.find((w) => /^[a-z]+:\/\//.test(w)) : undefined;
    return uri ? [uri] : [];
  });

/**
 * The mirror (see the top of this file), or undefined when the sources name none.
 * @param {NodeJS.ProcessEnv} [env] @param {string} [aptDir]
 */
export function debianMirror(env = process.env, aptDir = "/etc/apt") {
  if (env.NIX_PROVISION_MIRROR) return env.NIX_PROVISION_MIRROR;
  const notSecurity = (/** @type {string} */ uri) => !uri.includes("-security");
  const lists = [
    ...filesIn(path.join(aptDir, "sources.list.d"), ".sources").map((f) => deb822Uris(readable(f) ?? "")),
    ...[path.join(aptDir, "sources.list"), ...filesIn(path.join(aptDir, "sources.list.d"), ".list")].map((f) => oneLineUris(readable(f) ?? "")),
  ];
  for (const uris of lists) {
    const uri = uris.find(notSecurity);
    if (uri) return uri;
  }
  return undefined;
}

export const NO_MIRROR = "no Debian mirror in /etc/apt/sources.list or /etc/apt/sources.list.d/: set NIX_PROVISION_MIRROR to one";

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mirror = debianMirror();
  if (mirror) console.log(mirror);
  else {
    console.error(`debian-mirror: ${NO_MIRROR}`);
    process.exitCode = 1;
  }
}
