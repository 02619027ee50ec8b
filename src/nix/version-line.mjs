// @ts-check
// The first line of `nix --version`, read for every Nix this action may meet. Plain JavaScript
// without imports, so that the scripts Node runs as they are (scripts/containers/build-images.mjs)
// read versions with this one parser too; its types are in version-line.d.mts, and
// src/nix/version.ts is where the action's code gets it. Recorded answers, with where each comes
// from: test/fixtures/nix-version/answers.json.

/**
 * The upstream Nix release Lix forked from: Lix's `builtins.nixVersion` answers "2.18.3-lix" (Lix
 * 2.90 release notes), so features upstream added after 2.18 are not to be assumed of Lix.
 */
export const LIX_FORKED_FROM = "2.18.3";

// "2.8.0", "2.4", "2.24.10pre20240101_abc", "2.26.0rc1", "2.30.3+2", "2.90-beta.1-lixpre…", "2.94.0"
const NUMBER = String.raw`(\d+)\.(\d+)(?:\.(\d+))?([^\s)]*)`;
const SHAPES = [
  { implementation: "upstream", re: new RegExp(String.raw`^\S+ \(Nix\) ${NUMBER}$`) },
  { implementation: "lix", re: new RegExp(String.raw`^\S+ \(Lix, like Nix\) ${NUMBER}$`) },
  { implementation: "determinate", re: new RegExp(String.raw`^\S+ \(Determinate Nix ${NUMBER}\) ${NUMBER}$`) },
];

/**
 * major.minor.patch of a matched number (a missing patch is 0), and for comparisons the same with
 * "-pre" when the suffix marks a pre-release (pre…, rc…, -beta…, -dev…): a snapshot before 2.24.0
 * may lack what 2.24.0 has. A "+2" (nixpkgs' patched builds) changes nothing.
 * @param {string[]} m the four groups of NUMBER
 */
function numbers(m) {
  const plain = `${Number(m[0])}.${Number(m[1])}.${Number(m[2] ?? 0)}`;
  const pre = /^(?:[-.]?(?:pre|rc|beta|alpha|dev))/i.test(m[3] ?? "");
  return { plain, comparable: pre ? `${plain}-pre` : plain };
}

/**
 * Reads `nix --version` (any of nix, nix-env, nix-store…; only its first line counts: Lix 2.92 on
 * prints more) into which implementation it is and its versions; undefined when the line is none of
 * upstream Nix's, Lix's or Determinate Nix's.
 * @param {string} output
 * @returns {import("./version-line.d.mts").NixVersion | undefined}
 */
export function parseNixVersion(output) {
  const line = output.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
  for (const { implementation, re } of SHAPES) {
    const m = re.exec(line);
    if (!m) continue;
    const groups = m.slice(1);
    if (implementation === "determinate") {
      const own = numbers(groups.slice(0, 4));
      const nix = numbers(groups.slice(4));
      return { implementation, version: nix.plain, upstream: nix.comparable, distribution: own.plain, line };
    }
    const own = numbers(groups);
    if (implementation === "lix") return { implementation, version: own.plain, upstream: LIX_FORKED_FROM, distribution: own.plain, line };
    return { implementation: "upstream", version: own.plain, upstream: own.comparable, line };
  }
  return undefined;
}

/**
 * An upstream Nix known by its version alone (the name of the store path it lives in,
 * e.g. "2.31.0pre20250712_b0972b0"): as `nix (Nix) VERSION` would answer.
 * @param {string} version
 */
export function upstreamNix(version) {
  return parseNixVersion(`nix (Nix) ${version}`);
}

/**
 * The Nix in words, for messages: "Nix 2.8.0", "Lix 2.94.0 (a fork of Nix 2.18)",
 * "Determinate Nix 3.8.5 (Nix 2.30.2)", "Nix of unknown version".
 * @param {import("./version-line.d.mts").NixVersion | undefined} v
 */
export function describeNix(v) {
  if (!v) return "Nix of unknown version";
  if (v.implementation === "lix") return `Lix ${v.version} (a fork of Nix ${LIX_FORKED_FROM.split(".").slice(0, 2).join(".")})`;
  if (v.implementation === "determinate") return `Determinate Nix ${v.distribution} (Nix ${v.version})`;
  return `Nix ${v.version}`;
}
