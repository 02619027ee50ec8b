import { describe, expect, it } from "vitest";
import { generateKey } from "../scripts/lib/nix.mjs";
import { readInputs } from "../src/inputs.js";
import { parseNixKey, publicKeyOf } from "../src/keys.js";

describe("keys made by nix-store --generate-binary-cache-key", () => {
  // Keys from Nix itself, so the key checks are proven against what users paste.
  const { secret, pub } = generateKey("ci-cache-1");

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
