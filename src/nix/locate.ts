import { accessSync, constants, realpathSync } from "node:fs";
import path from "node:path";
import { run } from "../exec.js";
import * as io from "../step-io.js";
import { excerpt, notUnderstood } from "./answer.js";
import { type NixVersion, parseNixVersion, versionFromStorePath } from "./version.js";

/**
 * The nix a job's steps would run (undefined when there is none on PATH), known at once, and its
 * version, which may take a `nix --version`.
 */
export interface NixFound {
  path: string | undefined;
  version: Promise<NixVersion | undefined>;
}

/**
 * The first executable `cmd` on env.PATH, as a shell would find it. Synchronous on purpose: a few
 * stat calls, and the main step's `nix --version` must not wait for the rest of the code to load.
 */
export function which(cmd: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/**
 * Finds nix on PATH and learns its version (see nixVersionOf), the slowest of all probes: the main
 * step starts this before loading the rest of its code.
 */
export function locateNix(env: NodeJS.ProcessEnv): NixFound {
  const nixPath = which("nix", env);
  return { path: nixPath, version: nixPath ? nixVersionOf(nixPath, env) : Promise.resolve(undefined) };
}

/**
 * Which Nix `nixPath` is and its version: from the name of the store path it lives in when it has
 * one, else by running `nix --version`.
 */
export async function nixVersionOf(nixPath: string, env: NodeJS.ProcessEnv): Promise<NixVersion | undefined> {
  const named = versionFromStorePath(realPathOf(nixPath));
  if (named) return named;
  const r = await run(nixPath, ["--version"], { env });
  if (r.code !== 0) return undefined;
  const version = parseNixVersion(r.stdout);
  if (version === undefined) {
    io.warning(notUnderstood("nix --version", undefined, `no version in "${excerpt(r.stdout) || "(nothing)"}"`, "the action goes on as with an old Nix: newer commands and flags stay off, and nix-version cannot be checked; upstream Nix, Lix and Determinate Nix are known"));
  }
  return version;
}

/** `p` with every symlink resolved; `p` itself when that fails. */
export function realPathOf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
