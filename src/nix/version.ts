/**
 * "nix (Nix) 2.8.0" → "2.8.0"; tolerates suffixes like 2.24.10pre, "Determinate Nix 3.x (Nix 2.26)" and
 * "nix (Determinate Nix 3.8.5) 2.30.2", where the distribution's own version comes first.
 */
export function parseNixVersion(output: string): string | undefined {
  const all = [...output.matchAll(/(\d+)\.(\d+)(?:\.(\d+))?/g)];
  const upstreamLast = output.includes("(Nix ") || /\(Determinate Nix [^)]*\)\s*\d/.test(output);
  const m = all.length > 0 ? (upstreamLast ? all[all.length - 1] : all[0]) : undefined;
  if (!m) return undefined;
  return `${m[1]}.${m[2]}.${m[3] ?? "0"}`;
}

/**
 * The version in the name of the store path a nix binary lives in: /nix/store/<hash>-nix-2.28.3/bin/nix
 * → "2.28.3". A store path never changes, so its name answers as well as `nix --version` and costs
 * no process. Upstream Nix only: Lix and Determinate Nix name their packages by their own versions.
 */
export function versionFromStorePath(realPath: string): string | undefined {
  const m = realPath.match(/^\/nix\/store\/[0-9a-z]{32}-nix-(2\.\d+\.\d+)(?:pre[0-9a-z_]*|rc\d*)?\/bin\/nix$/);
  return m?.[1];
}

/**
 * True when `version` is at least `min`; unknown versions count as old, so new flags stay off.
 * semver is loaded on first use: most main steps never compare versions, and loading it costs more
 * than the rest of this module.
 */
export async function atLeast(version: string | undefined, min: string): Promise<boolean> {
  if (version === undefined) return false;
  const { default: semver } = await import("semver");
  return semver.valid(version) !== null && semver.gte(version, min);
}
