import { ActionError } from "../errors.js";
import { type ExecResult, run } from "../exec.js";
import { which } from "../nix/locate.js";
import { NIX_FLAKES } from "../nix/features.js";

export type Skopeo = (args: string[], opts?: { input?: string; echo?: boolean }) => Promise<ExecResult>;

/** skopeo's command line: skopeo from PATH, else skopeo from nixpkgs through the job's nix. */
export function skopeoCommand(env: NodeJS.ProcessEnv): string[] {
  const skopeo = which("skopeo", env);
  if (skopeo) return [skopeo];
  const nix = which("nix", env);
  if (!nix) throw new ActionError("neither skopeo nor nix is on PATH: run org/nix-runner-action in a step before this one, or install skopeo on the runner");
  return [nix, ...NIX_FLAKES, "run", "nixpkgs#skopeo", "--"];
}

export function skopeoRunner(command: string[], env: NodeJS.ProcessEnv = process.env): Skopeo {
  const [cmd, ...prefix] = command;
  return (args, opts = {}) => run(cmd, [...prefix, ...args], { env, input: opts.input, echo: opts.echo });
}
