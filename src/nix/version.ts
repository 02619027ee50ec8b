import semver from "semver";

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

/** True when `version` is at least `min`; unknown versions count as old, so new flags stay off. */
export function atLeast(version: string | undefined, min: string): boolean {
  return version !== undefined && semver.valid(version) !== null && semver.gte(version, min);
}
