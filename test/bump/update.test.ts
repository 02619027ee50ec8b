import { describe, expect, it } from "vitest";
import { updateArgs } from "../../src/bump/update.js";
import { parseNixVersion } from "../../src/nix/version.js";

// The bump's command for each Nix, the one it tries first (the other is asked when Nix refuses it as
// unknown); test/workflows/bump-version-gate.bundle.test.ts runs the built bump with a nix stand-in
// answering these lines, and the workflow tests run Debian's Nix 2.8.
describe("updateArgs: nix flake update <input> from Nix 2.19 on and in Lix, flake lock --update-input before", () => {
  it.each<[string, string]>([
    ["nix (Nix) 2.8.0", "flake lock --update-input nixpkgs"],
    ["nix (Nix) 2.18.9", "flake lock --update-input nixpkgs"],
    ["nix (Nix) 2.19.0pre20231020_1d7b7b2", "flake lock --update-input nixpkgs"],
    ["nix (Nix) 2.19.0", "flake update nixpkgs"],
    ["nix (Determinate Nix 3.8.5) 2.30.2", "flake update nixpkgs"],
    ["nix (Lix, like Nix) 2.90.0", "flake update nixpkgs"],
    ["nix (Lix, like Nix) 2.94.0", "flake update nixpkgs"],
    ["no version here", "flake lock --update-input nixpkgs"],
  ])("%s → %s first", async (line, command) => {
    const [first, second] = await updateArgs(parseNixVersion(line), "nixpkgs");
    expect(first).toEqual(command.split(" "));
    expect(second).not.toEqual(first);
    expect([first, second].map((s) => s.join(" ")).sort()).toEqual(["flake lock --update-input nixpkgs", "flake update nixpkgs"]);
  });
});
