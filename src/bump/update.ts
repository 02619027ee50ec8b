import { ActionError } from "../errors.js";
import { run } from "../exec.js";
import { nixVersionOf, which } from "../nix/locate.js";
import { atLeast } from "../nix/version.js";
import { NIX_FLAKES } from "../nix/features.js";

/** `nix flake update <input>` exists since Nix 2.19; older versions spell it `nix flake lock --update-input`. */
export async function updateArgs(nixVersion: string | undefined, input: string): Promise<string[]> {
  return [...NIX_FLAKES, ...((await atLeast(nixVersion, "2.19.0")) ? ["flake", "update", input] : ["flake", "lock", "--update-input", input])];
}

/**
 * Moves `input` in `workspace`/flake.lock to its newest revision, with the nix on PATH; returns the
 * command it ran and that Nix's version, for messages about its answer.
 */
export async function updateInput(input: string, workspace: string, env: NodeJS.ProcessEnv = process.env): Promise<{ command: string; version: string | undefined }> {
  const nix = which("nix", env);
  if (!nix) throw new ActionError("no nix on PATH: run org/nix-runner-action in a step before the bump");
  const version = await nixVersionOf(nix, env);
  const args = await updateArgs(version, input);
  const command = `nix ${args.slice(2).join(" ")}`;
  const r = await run(nix, args, { cwd: workspace, env, echo: true });
  if (r.code !== 0) throw new ActionError(`${command} failed (exit ${r.code}; see nix's message above)`);
  return { command, version };
}
