import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readInputs } from "../src/inputs.js";
import { parseNixKey, publicKeyOf } from "../src/keys.js";

// Keys from Nix itself, so the key checks are proven against what users paste.
function nixKeyPair(name: string): { secret: string; pub: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-keys-"));
  try {
    execFileSync("nix-store", ["--generate-binary-cache-key", name, `${dir}/sk`, `${dir}/pk`]);
    return { secret: readFileSync(`${dir}/sk`, "utf8").trim(), pub: readFileSync(`${dir}/pk`, "utf8").trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("keys made by nix-store --generate-binary-cache-key", () => {
  const { secret, pub } = nixKeyPair("ci-cache-1");

  it("derives the same public key as Nix", async () => {
    const parsed = parseNixKey(secret, 64);
    if (typeof parsed === "string") throw new Error(parsed);
    expect(await publicKeyOf(parsed)).toBe(pub);
  });

  it("are accepted as signing-key, with Nix's public half", async () => {
    const i = await readInputs((n) => ({ "signing-key": secret, "trusted-public-keys": pub })[n] ?? "", () => undefined);
    expect(i.signingPublicKey).toBe(pub);
  });
});
