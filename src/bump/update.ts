import { ActionError } from "../errors.js";
import { nixVersionOf, which } from "../nix/locate.js";
import { runSpellings } from "../nix/spelling.js";
import { type NixVersion, supports } from "../nix/version.js";
import { NIX_FLAKES } from "../nix/features.js";

/**
 * The spellings of "update one input", this Nix's first: `nix flake update <input>` since Nix 2.19
 * and in every Lix (2.90 ported it); `nix flake lock --update-input <input>` before, which 2.19 on
 * still answer, with a warning.
 */
export async function updateArgs(nix: NixVersion | undefined, input: string): Promise<string[][]> {
  const both = [["flake", "update", input], ["flake", "lock", "--update-input", input]];
  return (await supports(nix, "flakeUpdateInputs")) ? both : both.reverse();
}

/**
 * Moves `input` in `workspace`/flake.lock to its newest revision, with the nix on PATH; returns the
 * command it ran and that Nix, for messages about its answer.
 */
export async function updateInput(input: string, workspace: string, env: NodeJS.ProcessEnv = process.env): Promise<{ command: string; version: NixVersion | undefined }> {
  const nix = which("nix", env);
  if (!nix) throw new ActionError("no nix on PATH: run org/nix-runner-action in a step before the bump");
  const version = await nixVersionOf(nix, env);
  const asked = { nix, before: NIX_FLAKES, spellings: await updateArgs(version, input), after: [], version };
  const { result: r, spelling } = await runSpellings(asked, { cwd: workspace, env, echo: true });
  const command = `nix ${spelling.join(" ")}`;
  if (r.code !== 0) throw new ActionError(`${command} failed (exit ${r.code}; see nix's message above)`);
  return { command, version };
}
