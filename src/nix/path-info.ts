import { excerpt, UnknownAnswer } from "./answer.js";
import { type NixVersion, supports } from "./version.js";

/** One store path that `nix path-info` named, and whether the store holds it yet. */
export interface PathInfoEntry {
  path: string;
  valid: boolean;
}

/**
 * The flags for `nix path-info` JSON on this Nix. Nix 2.34 warns that a bare `--json` will become an
 * error and wants `--json-format`, a flag older versions and Lix reject; format 1 is the one 2.19–2.33
 * print. Both spellings, this Nix's first, as for configShowArgs.
 */
export async function pathInfoJsonArgs(nix: NixVersion | undefined): Promise<string[][]> {
  const both = [["--json", "--json-format", "1"], ["--json"]];
  return (await supports(nix, "pathInfoJsonFormat")) ? both : both.reverse();
}

/**
 * Reads `nix path-info --json` in each shape Nix has printed: a list of `{path, valid?}` (≤ 2.18, an
 * unbuilt output marked `"valid": false`), an object keyed by store path whose value is `null` for an
 * unbuilt output (2.19 on, format 1), and format 2's `{info: {<name>: …}, storeDir}` keyed by name.
 * Any other shape, or a "path" that is not in a store, is an UnknownAnswer.
 */
export function parsePathInfo(stdout: string, storeDir: string): PathInfoEntry[] {
  const data = parseJson(stdout);
  const inStore = (p: unknown, dir: string): p is string => typeof p === "string" && p.startsWith(`${dir}/`) && p.length > dir.length + 1;
  if (Array.isArray(data)) {
    return data.map((e: unknown) => {
      const entry = (e ?? {}) as { path?: unknown; valid?: unknown };
      if (!inStore(entry.path, storeDir)) throw new UnknownAnswer(`a list entry without a store path (${excerpt(JSON.stringify(e))})`);
      return { path: entry.path, valid: entry.valid !== false };
    });
  }
  if (data === null || typeof data !== "object") throw new UnknownAnswer(`${excerpt(stdout)}, not a list or an object`);
  const obj = data as Record<string, unknown>;
  if ("version" in obj && "info" in obj) {
    if (obj.version !== 2 || obj.info === null || typeof obj.info !== "object") {
      throw new UnknownAnswer(`JSON format ${excerpt(JSON.stringify(obj.version))}, not 1 or 2 (${excerpt(stdout)})`);
    }
    const dir = typeof obj.storeDir === "string" ? obj.storeDir : storeDir;
    return Object.entries(obj.info as Record<string, unknown>).map(([name, info]) => {
      if (!/^[0-9a-z]{32}-./.test(name)) throw new UnknownAnswer(`format 2 names "${excerpt(name)}", not a store path's name`);
      return { path: `${dir}/${name}`, valid: info !== null };
    });
  }
  return Object.entries(obj).map(([path, info]) => {
    if (!inStore(path, storeDir)) throw new UnknownAnswer(`an object keyed by "${excerpt(path)}", not by store paths (${excerpt(stdout)})`);
    return { path, valid: info !== null };
  });
}

/**
 * The output paths in `nix build --json`: a list of `{drvPath, outputs: {<name>: <path>}}` in every
 * version so far. Anything else is an UnknownAnswer.
 */
export function parseBuildOutputs(stdout: string, storeDir: string): string[] {
  const data = parseJson(stdout);
  if (!Array.isArray(data)) throw new UnknownAnswer(`${excerpt(stdout)}, not a list`);
  return data.flatMap((b: unknown) => {
    const outputs = (b as { outputs?: unknown } | null)?.outputs;
    if (outputs === null || typeof outputs !== "object") throw new UnknownAnswer(`an entry without "outputs" (${excerpt(JSON.stringify(b))})`);
    return Object.values(outputs as Record<string, unknown>).map((p) => {
      if (typeof p !== "string" || !p.startsWith(`${storeDir}/`)) throw new UnknownAnswer(`an output that is not a store path (${excerpt(JSON.stringify(p))})`);
      return p;
    });
  });
}

function parseJson(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    throw new UnknownAnswer(`not JSON (${excerpt(stdout) || "empty"})`);
  }
}
