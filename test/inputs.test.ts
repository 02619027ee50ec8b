import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { readInputs } from "../src/inputs.js";

// Keys are made here in Nix's own layout (name:base64 of libsodium's 64 bytes: seed, then public
// key); keys.integration.test.ts checks the same code against keys that nix-store made.
const pair = generateKeyPairSync("ed25519");
const seed = pair.privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
const rawPub = pair.publicKey.export({ format: "der", type: "spki" }).subarray(-32);
const secret = `ci-cache-1:${Buffer.concat([seed, rawPub]).toString("base64")}`;
const pub = `ci-cache-1:${rawPub.toString("base64")}`;

const masked: string[] = [];
const read = (values: Record<string, string>) => readInputs((name) => values[name] ?? "", (s) => masked.push(s));

describe("readInputs defaults", () => {
  it("gives the documented defaults when nothing is set", async () => {
    expect(await read({})).toMatchObject({
      mode: "auto",
      installer: "nixos",
      init: "auto",
      failOnPushError: false,
      pushDuringBuild: true,
      pushUnattributed: false,
      pushTimeoutMs: 15 * 60_000,
      substituters: [],
      pushTo: undefined,
      pushPaths: [],
      skipUpstream: [],
    });
  });

  it("reads skip-upstream entries, trailing slashes dropped", async () => {
    const i = await read({ "skip-upstream": "cache.nixos.org-1=https://cache.nixos.org/\n  team-up-1=file:///srv/up" });
    expect(i.skipUpstream).toEqual([
      { key: "cache.nixos.org-1", url: "https://cache.nixos.org" },
      { key: "team-up-1", url: "file:///srv/up" },
    ]);
  });

  it("splits lists on spaces and newlines", async () => {
    const i = await read({ substituters: "https://a.example\n  file:///srv/cache  https://b.example?priority=10", "push-paths": "/nix/store/x .#pkg\n.#other" });
    expect(i.substituters).toEqual(["https://a.example", "file:///srv/cache", "https://b.example?priority=10"]);
    expect(i.pushPaths).toEqual(["/nix/store/x", ".#pkg", ".#other"]);
  });
});

describe("validation: every bad value names the input and the fix", () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ["mode typo", { mode: "imgae" }, /mode must be one of auto, image, native, install \(got "imgae"\)/],
    ["installer", { installer: "cachix" }, /installer must be one of nixos, determinate, none \(got "cachix"\)/],
    ["init", { init: "openrc" }, /init must be one of auto, systemd, none \(got "openrc"\)/],
    ["boolean junk", { "fail-on-push-error": "yes" }, /fail-on-push-error must be true or false \(got "yes"\)/],
    ["push-timeout words", { "push-timeout": "x" }, /push-timeout must be a number of minutes, got "x"; write e.g. 15 \(the default\) or 2.5/],
    ["push-timeout with a unit", { "push-timeout": "10m" }, /push-timeout must be a number of minutes, got "10m"/],
    ["push-timeout zero", { "push-timeout": "0" }, /push-timeout must be a number of minutes, got "0"/],
    ["push-timeout negative", { "push-timeout": "-5" }, /push-timeout must be a number of minutes, got "-5"/],
    ["push-timeout over a day", { "push-timeout": "1441" }, /push-timeout must be at most 1440 minutes \(a day\), got "1441"/],
    ["substituter not a URL", { substituters: "cache.example.org" }, /substituters: "cache.example.org" is not a URL; write it like https:\/\//],
    ["substituter scheme", { substituters: "ftp://cache.example.org" }, /substituters: .* uses ftp:\/\/ which is not supported here; use one of/],
    ["relative file URL", { substituters: "file://srv/cache" }, /substituters: .* must be an absolute file URL with three slashes/],
    ["public key without name", { "trusted-public-keys": "6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=" }, /trusted-public-keys: an entry is not of the form name:base64/],
    ["public key wrong length", { "trusted-public-keys": "k:AAAA" }, /trusted-public-keys: key "k" decodes to 3 bytes, an ed25519 public key has 32/],
    ["public key bad base64", { "trusted-public-keys": "k:!!!" }, /trusted-public-keys: key "k" does not have valid base64/],
    ["signing key of public size", { "signing-key": "k:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=" }, /signing-key: key "k" decodes to 32 bytes, an ed25519 secret key has 64; pass the secret key file/],
    ["push-to scheme", { "push-to": "gs://bucket" }, /push-to: "gs:\/\/bucket" uses gs:\/\/ which is not supported here/],
    ["push-to not a URL", { "push-to": "/srv/cache" }, /push-to: "\/srv\/cache" is not a URL/],
    ["push-filter regex", { "push-filter": "(unclosed" }, /push-filter: "\(unclosed" is not a valid regular expression/],
    ["extra-conf junk", { "extra-conf": "sandbox = false\njust words" }, /extra-conf: line 2 \("just words"\) is not a nix.conf line; write "setting = value"/],
    ["access-tokens form", { "access-tokens": "ghp_abcdef" }, /access-tokens: each entry must be host=token/],
    ["netrc without machine", { netrc: "login x password y" }, /netrc: the text has no "machine" or "default" entry/],
    ["installer-url", { "installer-url": "ftp://mirror/nix-installer" }, /installer-url: .* must be an http:\/\/, https:\/\/ or file:\/\/ URL/],
    ["installer-sha256", { "installer-sha256": "abc" }, /installer-sha256: expected 64 hex characters/],
    ["skip-upstream without =", { "skip-upstream": "cache.nixos.org-1" }, /skip-upstream: "cache.nixos.org-1" is not KEY-NAME=URL; write e.g. cache.nixos.org-1=https:\/\/cache.nixos.org/],
    ["skip-upstream whole key", { "skip-upstream": "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY==https://cache.nixos.org" }, /skip-upstream: .* is a whole public key; give only its name/],
    ["skip-upstream scheme", { "skip-upstream": "k-1=s3://bucket" }, /skip-upstream: "s3:\/\/bucket" \(for k-1\) must be an http:\/\/, https:\/\/ or file:\/\/\/ URL/],
    ["skip-upstream not a URL", { "skip-upstream": "k-1=cache.nixos.org" }, /skip-upstream: "cache.nixos.org" \(for k-1\) is not a URL/],
    ["skip-upstream query", { "skip-upstream": "k-1=https://c.example?priority=1" }, /skip-upstream: .* must have no query/],
    ["nix-version", { "nix-version": "two point eight" }, /nix-version: "two point eight" is not a semver range; write e.g. ">=2.18"/],
  ])("%s", async (_n, values, message) => {
    await expect(read(values)).rejects.toThrow(InputError);
    await expect(read(values)).rejects.toThrow(message);
  });

  it("reports every bad input at once", async () => {
    await expect(read({ mode: "x", installer: "y" })).rejects.toThrow(/mode must be one of[^]*\ninstaller must be one of/);
  });

  it("accepts good values of every kind", async () => {
    const i = await read({
      mode: "native",
      substituters: "https://cache.example.org/ file:///srv/nix-cache s3://bucket?region=eu-west-1 ssh-ng://builder",
      "trusted-public-keys": pub,
      "signing-key": secret,
      "push-to": "file:///srv/nix-cache?compression=xz",
      "push-filter": "-source$|\\.iso$",
      "extra-conf": "# comment\nmax-jobs = 4\n\nkeep-outputs = true",
      "access-tokens": "github.com=ghp_x gitea.example=abc",
      netrc: "machine cache.example.org login ci password s3cr3t",
      "installer-sha256": "A".repeat(64),
      "nix-version": ">=2.8 <3",
      "fail-on-push-error": "true",
      "push-timeout": " 2.5 ",
    });
    expect(i.pushTimeoutMs).toBe(150_000);
    expect(i.signingPublicKey).toBe(pub);
    expect(i.installerSha256).toBe("a".repeat(64));
    expect(i.failOnPushError).toBe(true);
  });

  it("never puts the secret key text in an error message", async () => {
    const [name, b64] = secret.split(":");
    const bytes = Buffer.from(b64, "base64");
    bytes[40] ^= 0xff; // a byte of the public half
    const damaged = `${name}:${bytes.toString("base64")}`;
    let message = "";
    try {
      await read({ "signing-key": damaged });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/signing-key: the key "ci-cache-1" is damaged/);
    expect(message).not.toContain(damaged.split(":")[1].slice(0, 20));
  });
});

describe("a malformed signing key", () => {
  it("is not quoted in the error, not even its first characters", async () => {
    const noColon = secret.split(":")[1];
    await expect(read({ "signing-key": noColon })).rejects.toThrow(/signing-key: an entry is not of the form name:base64/);
    try {
      await read({ "signing-key": noColon });
    } catch (e) {
      expect((e as Error).message).not.toContain(noColon.slice(0, 4));
    }
  });
});

describe("masking", () => {
  it("masks the secret values, and not the netrc keywords", async () => {
    masked.length = 0;
    await read({ "signing-key": secret, netrc: "machine cache.lan login ci password pw-123456", "access-tokens": "github.com=ghp_abc123" });
    expect(masked).toEqual(expect.arrayContaining([secret, secret.split(":")[1], "pw-123456", "ghp_abc123", "github.com=ghp_abc123"]));
    expect(masked).not.toContain("machine");
    expect(masked).not.toContain("password");
  });
});
