import { describeNix, type NixVersion } from "./version.js";

/**
 * Nix answered (the command succeeded) but not in a shape this action knows: a new JSON layout, a
 * changed log line. The parsers throw it with what they saw; the caller, which knows the command,
 * the Nix version and what it does instead, turns it into a warning with notUnderstood.
 */
export class UnknownAnswer extends Error {
  override name = "UnknownAnswer";
}

/**
 * The one message for an answer the action could not understand, e.g.
 * `Could not understand the answer of 'nix path-info --json' (Nix 2.34.8): an object without store
 * paths as keys ({"version":3,…}); building "…" to learn its outputs instead`. `instead` says what the
 * action did in its place, so nobody reads a result it did not earn as a success. The Nix is named
 * as describeNix does (Lix and Determinate Nix by their own names).
 */
export function notUnderstood(command: string, nix: NixVersion | undefined, what: string, instead: string): string {
  return `Could not understand the answer of '${command}' (${describeNix(nix)}): ${what}; ${instead}`;
}

/** The start of an answer, on one line, for quoting in notUnderstood. Only for answers that hold no secrets. */
export function excerpt(text: string, max = 80): string {
  const flat = text.trim().replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
