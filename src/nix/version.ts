import { describeNix, LIX_FORKED_FROM, type NixVersion, parseNixVersion, upstreamNix } from "./version-line.mjs";

export { describeNix, LIX_FORKED_FROM, type NixVersion, parseNixVersion };
export type { Implementation } from "./version-line.mjs";

/**
 * The version in the name of the store path a nix binary lives in: /nix/store/<hash>-nix-2.28.3/bin/nix
 * → Nix 2.28.3. A store path never changes, so its name answers as well as `nix --version` and costs
 * no process. Upstream Nix only: Lix and Determinate Nix name their packages by their own versions.
 */
export function versionFromStorePath(realPath: string): NixVersion | undefined {
  const m = realPath.match(/^\/nix\/store\/[0-9a-z]{32}-nix-(2\.\d+\.\d+(?:pre[0-9a-z_]*|rc\d*)?)\/bin\/nix$/);
  return m ? upstreamNix(m[1]) : undefined;
}

/**
 * What the action asks of Nix that not every Nix has: since which upstream release (Determinate
 * Nix has what its upstream release has), and whether Lix has it (every Lix release, 2.90 on, or
 * none; Lix forked from 2.18 and ported some later changes, so its number says nothing).
 */
export const FEATURES = {
  /** The `nix` command (with nix-command enabled), for installables. */
  nixCommand: { upstream: "2.4.0", lix: true },
  /** "trusted" in `nix store ping --json` / `nix store info --json`. */
  storeTrusted: { upstream: "2.15.0", lix: true },
  /** `nix flake update <input>` (before: `nix flake lock --update-input`); Lix 2.90 ported it (release notes, upstream PR 8817). */
  flakeUpdateInputs: { upstream: "2.19.0", lix: true },
  /** `nix config show` (before: `nix show-config`, an alias since); Lix 2.90 renamed it too (release notes, cl/993). */
  configShow: { upstream: "2.20.0", lix: true },
  /** `nix store info` (before: `nix store ping`); Lix registers only `nix store ping`. */
  storeInfo: { upstream: "2.20.0", lix: false },
  /** `nix path-info --json-format`, which 2.34 wants beside --json; Lix has no such flag. */
  pathInfoJsonFormat: { upstream: "2.34.0", lix: false },
} as const;

export type Feature = keyof typeof FEATURES;

/**
 * True when this Nix has `feature`; an unknown Nix (no version) has none of them, so newer commands
 * and flags stay off. semver is loaded on first use: most main steps never compare versions, and
 * loading it costs more than the rest of this module.
 */
export async function supports(nix: NixVersion | undefined, feature: Feature): Promise<boolean> {
  if (!nix) return false;
  const f = FEATURES[feature];
  if (nix.implementation === "lix") return f.lix;
  const { default: semver } = await import("semver");
  return semver.valid(nix.upstream) !== null && semver.gte(nix.upstream, f.upstream);
}

/**
 * Whether a `nix-version` range holds for this Nix: its upstream release is what is compared (Lix as
 * the 2.18 it forked from), pre-releases included (2.24.0pre… is before 2.24.0, after 2.23).
 */
export async function satisfiesRange(nix: NixVersion | undefined, range: string): Promise<boolean> {
  if (!nix) return false;
  const { default: semver } = await import("semver");
  return semver.satisfies(nix.upstream, range, { includePrerelease: true });
}
