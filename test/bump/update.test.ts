import { describe, expect, it } from "vitest";
import { updateArgs } from "../../src/bump/update.js";

// The bump's command for each Nix version; test/workflows/bump-version-gate.test.ts runs the built
// bump with a nix stand-in reporting these versions, and the workflow tests run Debian's Nix 2.8.
describe("updateArgs: nix flake update <input> from Nix 2.19 on, flake lock --update-input before", () => {
  it.each<[string | undefined, string]>([
    ["2.8.0", "flake lock --update-input nixpkgs"],
    ["2.18.9", "flake lock --update-input nixpkgs"],
    ["2.19.0", "flake update nixpkgs"],
    ["2.30.2", "flake update nixpkgs"],
    [undefined, "flake lock --update-input nixpkgs"],
  ])("Nix %s → %s", async (version, command) => {
    expect(await updateArgs(version, "nixpkgs")).toEqual(["--extra-experimental-features", "nix-command flakes", ...command.split(" ")]);
  });
});
