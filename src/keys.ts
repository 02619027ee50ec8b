export interface NixKey {
  name: string;
  bytes: Buffer;
}

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** Splits `name:base64` and checks the decoded length; returns an error sentence or the key. */
export function parseNixKey(text: string, expectedBytes: 32 | 64): NixKey | string {
  const colon = text.indexOf(":");
  // Never quote the text: for a secret key even a few characters would reach the log unmasked.
  if (colon <= 0) return `an entry is not of the form name:base64`;
  const name = text.slice(0, colon);
  const b64 = text.slice(colon + 1);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return `key "${name}" does not have valid base64 after the colon`;
  const bytes = Buffer.from(b64, "base64");
  if (bytes.length !== expectedBytes) {
    return `key "${name}" decodes to ${bytes.length} bytes, an ed25519 ${expectedBytes === 32 ? "public" : "secret"} key has ${expectedBytes}`;
  }
  return { name, bytes };
}

/**
 * A Nix secret key is libsodium's 64 bytes: the 32-byte seed, then the public key. Derive the public
 * key from the seed with node's crypto and check it matches the second half, so a corrupted or
 * hand-edited key is caught here rather than by every consumer refusing our signatures.
 */
export async function publicKeyOf(secret: NixKey): Promise<string | undefined> {
  // node:crypto loads only for a signing key: loading it costs more than the rest of input checking
  const { createPrivateKey, createPublicKey } = await import("node:crypto");
  const seed = secret.bytes.subarray(0, 32);
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(priv).export({ format: "der", type: "spki" });
  const pub = spki.subarray(spki.length - 32);
  if (!pub.equals(secret.bytes.subarray(32))) return undefined;
  return `${secret.name}:${pub.toString("base64")}`;
}
