import { describe, expect, it } from "vitest";
import { versionFromStorePath } from "../../src/nix/version.js";

const H = "0123456789abcdfghijklmnpqrsvwxyz";

describe("versionFromStorePath", () => {
  it.each([
    [`/nix/store/${H}-nix-2.28.3/bin/nix`, "2.28.3"],
    [`/nix/store/${H}-nix-2.8.0/bin/nix`, "2.8.0"],
    [`/nix/store/${H}-nix-2.31.0pre20250712_b0972b0/bin/nix`, "2.31.0"],
    [`/nix/store/${H}-nix-2.26.0rc1/bin/nix`, "2.26.0"],
  ])("%s → %s", (p, v) => expect(versionFromStorePath(p)).toBe(v));

  it.each([
    ["/usr/bin/nix", "a distribution's nix: ask it"],
    [`/nix/store/${H}-lix-2.91.1/bin/nix`, "Lix: its own numbering"],
    [`/nix/store/${H}-determinate-nix-3.8.5/bin/nix`, "Determinate Nix: its own numbering"],
    [`/nix/store/${H}-nix-3.1.0/bin/nix`, "not upstream Nix 2.x"],
    [`/nix/store/${H}-nix-wrapped-2.28.3/bin/nix`, "a wrapper package"],
    [`/nix/store/${H}-nix-2.28.3/bin/nix-build`, "not the nix binary"],
    [`/nix/store/${H}-nix-2.28.3/libexec/nix/bin/nix`, "deeper inside the package"],
    [`/nix/store/short-nix-2.28.3/bin/nix`, "not a store path"],
  ])("%s: undefined (%s)", (p) => expect(versionFromStorePath(p)).toBeUndefined());
});
