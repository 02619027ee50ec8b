/** Version → the Debian suite whose nix-bin is that version. */
export const NIX_SUITES: Readonly<Record<string, string>>;
/** Every version provisionNix provisions unless told which. */
export const NIX_VERSIONS: readonly string[];

export interface ProvisionedNix {
  version: string;
  /** The folder of nix, nix-daemon, nix-store, …: put it first on PATH to use this Nix. */
  bindir: string;
}

/**
 * Unpacks Debian's nix-bin of each version (default: NIX_VERSIONS) into `tools`/nix/VERSION
 * (default: .tools/nix), reusing working ones; throws, naming the version and why, when one cannot be had.
 */
export function provisionNix(
  versions?: readonly string[],
  o?: { tools?: string; onEach?: (p: ProvisionedNix) => void },
): ProvisionedNix[];
