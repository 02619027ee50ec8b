import { atLeast } from "./version.js";

/** One store path that `nix path-info` named, and whether the store holds it yet. */
export interface PathInfoEntry {
  path: string;
  valid: boolean;
}

/**
 * The flags for `nix path-info` JSON on this Nix. Nix 2.34 warns that a bare `--json` will become an
 * error and wants `--json-format`, a flag older versions reject; format 1 is the one 2.19–2.33 print.
 */
export async function pathInfoJsonArgs(version: string | undefined): Promise<string[]> {
  return (await atLeast(version, "2.34.0")) ? ["--json", "--json-format", "1"] : ["--json"];
}

/**
 * Reads `nix path-info --json` in each shape Nix has printed: a list of `{path, valid?}` (≤ 2.18, an
 * unbuilt output marked `"valid": false`), an object keyed by store path whose value is `null` for an
 * unbuilt output (2.19 on, format 1), and format 2's `{info: {<name>: …}, storeDir}` keyed by name.
 */
export function parsePathInfo(stdout: string, storeDir: string): PathInfoEntry[] {
  const data: unknown = JSON.parse(stdout);
  if (Array.isArray(data)) {
    return (data as { path: string; valid?: boolean }[]).map((e) => ({ path: e.path, valid: e.valid !== false }));
  }
  if (data === null || typeof data !== "object") throw new Error(`nix path-info printed ${stdout.trim().slice(0, 80)}, not a list or an object`);
  const obj = data as Record<string, unknown>;
  if (obj.version === 2 && obj.info !== null && typeof obj.info === "object") {
    const dir = typeof obj.storeDir === "string" ? obj.storeDir : storeDir;
    return Object.entries(obj.info as Record<string, unknown>).map(([name, info]) => ({ path: `${dir}/${name}`, valid: info !== null }));
  }
  return Object.entries(obj).map(([path, info]) => ({ path, valid: info !== null }));
}
