import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseShowConfig } from "../../src/nix/config.js";

describe("parseShowConfig", () => {
  it("reads Nix's text output", () => {
    const text = execFileSync("nix", ["--extra-experimental-features", "nix-command flakes", "show-config"], {
      env: { ...process.env, NIX_CONFIG: "extra-substituters = http://127.0.0.1:18003\ntrusted-users = root @wheel" },
    }).toString();
    const c = parseShowConfig(text);
    expect(c.substituters).toContain("http://127.0.0.1:18003");
    expect(c.trustedUsers).toEqual(["root", "@wheel"]);
  });
});
