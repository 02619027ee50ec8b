import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkOne, flakesEnabled, type ImagePaths, imageChecks, TOOLS } from "../../src/publish/image-check.js";
import { newJob, runStep } from "../../scripts/lib/runner.mjs";

const dir = mkdtempSync(path.join(os.tmpdir(), "nra-image-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exe(bin: string, name: string, script: string): void {
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(path.join(bin, name), 0o755);
}

/** A bin folder with every tool as a stand-in; `nix` answers show-config with `features` and eval with 2. */
function image(name: string, features: string, without: string[] = []): string {
  const bin = path.join(dir, name);
  for (const t of TOOLS.filter((t) => !without.includes(t))) exe(bin, t, "exit 0");
  if (!without.includes("nix")) {
    exe(bin, "nix", `case "$*" in *show-config*) echo 'experimental-features = ${features}';; *eval*) echo 2;; *--version*) echo 'nix (Nix) 2.24.0';; esac`);
  }
  return bin;
}

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

describe("check-image sub-action (built bundle; this machine as the image, tools as stand-ins)", () => {
  it("lists every check and fails the step on a missing one", async () => {
    const job = newJob({ PATH: `${image("bundle", "nix-command", ["zstd"])}:/usr/bin:/bin`, SSL_CERT_FILE: "/nonexistent.crt", NIX_SSL_CERT_FILE: "" });
    const r = await runStep(job, "check-image");
    expect(r.code).toBe(1);
    expect(r.log).toContain("ok: nix is on PATH");
    expect(r.log).toContain("::error::image check failed: the CA bundle /nonexistent.crt is readable");
    expect(r.log).toContain("::error::flakes are not enabled in the image's nix.conf");
    expect(r.log).toContain("nix (Nix) 2.24.0");
    expect(r.log).toContain("image checks failed (see above)");
  });
});
