/** Which Nix answered `nix --version`: NixOS/nix itself, the Lix fork, or DeterminateSystems' distribution. */
export type Implementation = "upstream" | "lix" | "determinate";

/** What `nix --version` says, read by parseNixVersion. */
export interface NixVersion {
  implementation: Implementation;
  /**
   * The version to show (the `nix-version` output): major.minor.patch of Nix's number, which is
   * Lix's own for Lix (2.94.0) and the upstream release for Determinate Nix (2.30.2).
   */
  version: string;
  /**
   * The upstream Nix release this one has the features of, for feature gates (semver; "-pre" for
   * a pre-release): Lix counts as the 2.18 it forked from.
   */
  upstream: string;
  /** Lix's or Determinate Nix's own version (Determinate Nix 3.8.5); absent for upstream Nix. */
  distribution?: string;
  /** The line it was read from. */
  line: string;
}

export const LIX_FORKED_FROM: string;
export function parseNixVersion(output: string): NixVersion | undefined;
export function upstreamNix(version: string): NixVersion | undefined;
export function describeNix(v: NixVersion | undefined): string;
