import { describe, expect, it } from "vitest";
import { planBump } from "../../src/bump/plan.js";

const inputs = { base: "main", bumpBranch: "ci/bump-nixpkgs", input: "nixpkgs", labels: ["nix"] };

describe("planBump: what a bump that changed the lock commits, pushes and opens", () => {
  it("push mode: the dated commit goes to the base branch, not forced, no pull request", () => {
    expect(planBump({ ...inputs, mode: "push" }, "20260302")).toEqual({
      message: "chore(ci): Update nixos to 20260302",
      push: { branch: "main", force: false, skipWhenSame: false },
    });
  });

  it("pull-request mode: the bump branch is force-pushed (unless it already has the lock), and one PR into the base", () => {
    const plan = planBump({ ...inputs, mode: "pull-request", input: "nixpkgs-unstable" }, "20260410");
    expect(plan.push).toEqual({ branch: "ci/bump-nixpkgs", force: true, skipWhenSame: true });
    expect(plan.pull).toEqual({
      title: "chore(ci): Update nixos to 20260410",
      body: "Updates the flake input `nixpkgs-unstable` to its newest revision (20260410).\n\nOpened by the bump-nixpkgs workflow.",
      head: "ci/bump-nixpkgs",
      base: "main",
      labels: ["nix"],
    });
    expect(plan.message).toBe(plan.pull?.title);
  });
});
