import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkOne, flakesEnabled, type ImagePaths, imageChecks } from "../../src/publish/image-check.js";
import { standInImage } from "../helpers/image-standin.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "nra-image-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const image = (name: string, features: string, without: string[] = []) => standInImage(dir, name, features, without);

describe("flakesEnabled: nix show-config's experimental-features lists flakes", () => {
  it.each([
    ["experimental-features = nix-command flakes\nsandbox = false", true],
    ["experimental-features = flakes", true],
    ["experimental-features = nix-command\n", false],
    ["experimental-features = nix-command flakes-extra", false],
    ["", false],
  ])("%j → %s", (text, yes) => {
    expect(flakesEnabled(text)).toBe(yes);
  });
});

describe("image checks on real files (tools as stand-ins on PATH)", () => {
  const root = path.join(dir, "root");
  mkdirSync(path.join(root, "tmp"), { recursive: true });
  const paths: ImagePaths = { env: path.join(root, "env"), tmp: path.join(root, "tmp"), passwd: path.join(root, "passwd"), group: path.join(root, "group") };
  writeFileSync(paths.env, "#!/bin/sh\n");
  chmodSync(paths.env, 0o755);
  writeFileSync(paths.passwd, "daemon:x:1:1::/:/bin/false\nroot:x:0:0::/root:/bin/sh\n");
  writeFileSync(paths.group, "nixbld:x:30000:\n");
  const ca = path.join(root, "ca.crt");
  writeFileSync(ca, "-----BEGIN CERTIFICATE-----\n");

  const failing = async (env: NodeJS.ProcessEnv) => {
    const out: string[] = [];
    for (const c of imageChecks(env, paths)) if (!(await checkOne(c.probe, env))) out.push(c.label);
    return out;
  };

  it("a complete image passes all but what is missing from it: here, root in the group file", async () => {
    const env = { PATH: image("complete", "nix-command flakes"), SSL_CERT_FILE: ca };
    expect(await failing(env)).toEqual([`${paths.group} has root`]);
  });

  it("reports each missing tool, a missing CA bundle, and flakes off", async () => {
    const env = { PATH: image("lacking", "nix-command", ["zstd", "git"]), NIX_SSL_CERT_FILE: path.join(root, "no-such.crt") };
    expect(await failing(env)).toEqual([
      "git is on PATH",
      "zstd is on PATH",
      `the CA bundle ${path.join(root, "no-such.crt")} is readable`,
      `${paths.group} has root`,
      "flakes enabled",
    ]);
    expect(await failing({ PATH: image("no-ca", "flakes") })).toContain("a CA bundle is set (NIX_SSL_CERT_FILE or SSL_CERT_FILE)");
  });

  it("without nix, the nix checks fail rather than throw", async () => {
    expect(await failing({ PATH: image("no-nix", "flakes", ["nix"]), SSL_CERT_FILE: ca })).toEqual(["nix is on PATH", `${paths.group} has root`, "flakes enabled", "nix evaluates 1 + 1"]);
  });
});
