import type { Environment, Facts } from "../environment.js";
import type { Inputs } from "../inputs.js";
import { SetupError } from "../setup.js";

/** Installs Nix where it is absent and returns the facts as they are afterwards. */
export async function installNix(inputs: Inputs, _facts: Facts, _envr: Environment): Promise<Facts> {
  if (inputs.installer === "none") {
    throw new SetupError(`installer is "none" and this job has no nix on PATH; run the job in an image with Nix or allow an installer (installer: nixos)`);
  }
  throw new SetupError("installing Nix is not available yet");
}
