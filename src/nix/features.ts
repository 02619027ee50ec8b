/**
 * The arguments that turn on the `nix` command and flakes for one command, whatever the machine's
 * nix.conf enables: every `nix` run of the action that builds, copies, runs or updates a flake.
 */
export const NIX_FLAKES = ["--extra-experimental-features", "nix-command flakes"] as const;

/**
 * The `nix` command alone, for commands that read Nix's configuration: there, flakes turned on by
 * the command line would read back as if the machine's nix.conf enabled them.
 */
export const NIX_COMMAND = ["--extra-experimental-features", "nix-command"] as const;
