import { type ExecOptions, type ExecResult, run } from "../exec.js";
import * as io from "../step-io.js";
import { describeNix, type NixVersion } from "./version.js";

/**
 * Nix's words for a command or flag it does not know (upstream and Lix alike): "'info' is not a
 * recognised command", "unrecognised flag '--json-format'"; undefined for any other answer.
 */
export function refusedAsUnknown(stderr: string): string | undefined {
  return stderr.match(/error: ('[^'\n]*' is not a recognised command|unrecognised flag '[^'\n]*')/)?.[1];
}

/** One `nix` command in its spellings: `nix …before SPELLING …after`, this Nix's likeliest spelling first. */
export interface Spellings {
  nix: string;
  before: readonly string[];
  spellings: string[][];
  after: readonly string[];
  /** The Nix asked, for the warning. */
  version: NixVersion | undefined;
}

/**
 * Runs the command in its first spelling and, when Nix refuses it as unknown, in the next, with a
 * warning: the version said which one this Nix has, and a fork or a build that lacks it makes the
 * action degrade, never fail. Returns the last answer and the spelling that gave it.
 */
export async function runSpellings(cmd: Spellings, opts: ExecOptions = {}): Promise<{ result: ExecResult; spelling: string[] }> {
  const shown = (s: string[]) => `nix ${s.join(" ")}`;
  for (const [i, spelling] of cmd.spellings.entries()) {
    const result = await run(cmd.nix, [...cmd.before, ...spelling, ...cmd.after], opts);
    const refusal = result.code === 0 ? undefined : refusedAsUnknown(result.stderr);
    const next = cmd.spellings[i + 1];
    // only a refusal of this spelling's own words: a flag of the rest fails every spelling alike
    const ofSpelling = refusal !== undefined && spelling.some((w) => refusal.includes(`'${w}'`));
    if (!ofSpelling || !next) return { result, spelling };
    io.warning(`${describeNix(cmd.version)} refused '${shown(spelling)}' (${refusal}); the action asks '${shown(next)}' instead`);
  }
  throw new Error("runSpellings: no spelling to run");
}
