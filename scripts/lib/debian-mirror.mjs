// The Debian mirror this machine's apt uses: the first URI of its deb822 .sources files, else of its
// one-line lists, the security archive left out. The tools that fetch from Debian's archive beside
// apt (scripts/provision-nix.mjs) use the mirror the machine was set up with, never one named here.
// NIX_PROVISION_MIRROR, when set, wins. debootstrap in scripts/containers/build-images.mjs uses it
// too.
//   node scripts/lib/debian-mirror.mjs      prints the mirror; exits 1 when there is none
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** @typedef {{ name: string, text: string }} SourceFile */

const fields = (/** @type {string} */ line) => line.trim().split(/\s+/).filter(Boolean);
const notSecurity = (/** @type {string} */ uri) => !uri.includes("-security");

/**
 * The first mirror in apt's source files, as apt lists them: every `.sources` (deb822: `URIs:`)
 * before every one-line list (`deb [options] URI suite...`). Pure: the files are given.
 * @param {SourceFile[]} files @returns {string | undefined}
 */
export function mirrorFromSources(files) {
  const deb822 = files.filter((f) => f.name.endsWith(".sources"));
  const oneLine = files.filter((f) => f.name.endsWith(".list"));
  for (const f of deb822) {
    for (const line of f.text.split("\n")) {
      const [key, ...uris] = fields(line);
      const uri = key?.toLowerCase() === "uris:" ? uris.find(notSecurity) : undefined;
      if (uri) return uri;
    }
  }
  for (const f of oneLine) {
    for (const line of f.text.split("\n")) {
      const [type, ...rest] = fields(line);
      const uri = type === "deb" ? rest.find((w) => /^[a-z]+:\/\//.test(w)) : undefined;
      if (uri && notSecurity(uri)) return uri;
    }
  }
  return undefined;
}

/** apt's source files on this machine, in apt's order (sources.list, then sources.list.d/ by name). @returns {SourceFile[]} */
function aptSourceFiles(etc = "/etc/apt") {
  const dir = path.join(etc, "sources.list.d");
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((n) => path.join(dir, n)) : [];
  return [path.join(etc, "sources.list"), ...names].flatMap((name) => {
    try {
      return [{ name, text: fs.readFileSync(name, "utf8") }];
    } catch {
      return []; // missing or unreadable: apt would skip it too
    }
  });
}

/** The mirror to fetch Debian packages from (NIX_PROVISION_MIRROR, else apt's); throws when there is none. */
export function debianMirror(env = process.env) {
  if (env.NIX_PROVISION_MIRROR) return env.NIX_PROVISION_MIRROR;
  const found = mirrorFromSources(aptSourceFiles());
  if (found) return found;
  throw new Error("no Debian mirror in /etc/apt/sources.list or /etc/apt/sources.list.d/: set NIX_PROVISION_MIRROR to one");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(debianMirror());
  } catch (e) {
    console.error(`debian-mirror: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
