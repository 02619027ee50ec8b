import semver from "semver";

/** "nix (Nix) 2.8.0" → "2.8.0"; tolerates suffixes like 2.24.10pre or "Determinate Nix 3.x (Nix 2.26)". */
export function parseNixVersion(output: string): string | undefined {
  const all = [...output.matchAll(/(\d+)\.(\d+)(?:\.(\d+))?/g)];
  const m = all.length > 0 ? (output.includes("(Nix ") ? all[all.length - 1] : all[0]) : undefined;
  if (!m) return undefined;
  return `${m[1]}.${m[2]}.${m[3] ?? "0"}`;
}

/** True when `version` is at least `min`; unknown versions count as old, so new flags stay off. */
export function atLeast(version: string | undefined, min: string): boolean {
  return version !== undefined && semver.valid(version) !== null && semver.gte(version, min);
}
