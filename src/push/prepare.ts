import type { Environment, Facts } from "../environment.js";
import type { Inputs } from "../inputs.js";
import type { Trust } from "../nix/trust.js";

export interface PreparedPush {
  /** Path of the post-build hook script to set for this job, when the hook method is used. */
  hook?: string;
}

/** Main's half of the push: decides how post will find what the job built, and sets that up. */
export async function preparePush(
  inputs: Inputs,
  _facts: Facts,
  _envr: Environment,
  _trust: Trust,
  _dir: string,
): Promise<PreparedPush> {
  if (!inputs.pushTo) return {};
  return {};
}
