// scripts/provision-nix.mjs as its callers use it (scripts/test.sh, the e2e, bench/run.mjs): one
// "VERSION BINDIR" line per version on stdout, a provisioned version reused, bad input refused before
// anything is touched. Provisioning itself (apt, dpkg, patchelf, the archive) is proven by the runs
// that use the versions it unpacks: the integration tier's Nix matrix and the e2e.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NIX_SUITES, NIX_VERSIONS, provisionNix } from "../../scripts/provision-nix.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";

const CLI = path.join(ROOT, "scripts/provision-nix.mjs");
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 });

/** A tools folder where `version` looks provisioned: its nix answers as that version. */
function provisioned(version: string): string {
  const tools = tempDir("nra-provision-");
  const bin = path.join(tools, "nix", version, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, "nix"), `#!/bin/sh\necho "nix (Nix) ${version}"\n`);
  chmodSync(path.join(bin, "nix"), 0o755);
  return tools;
}

describe("provision-nix.mjs", () => {
  it("every version it provisions has a Debian suite", () => {
    expect(NIX_VERSIONS.length).toBeGreaterThan(0);
    for (const v of NIX_VERSIONS) expect(NIX_SUITES[v], v).toMatch(/^[a-z]+$/);
  });

  it("reuses a version already there: prints VERSION BINDIR and removes what a killed run left", () => {
    const [version] = NIX_VERSIONS;
    const tools = provisioned(version);
    mkdirSync(path.join(tools, "nix", `.work-${version}.AbC123`, "debs"), { recursive: true });
    const r = cli("--tools", tools, version);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version} ${path.join(tools, "nix", version, "bin")}\n`);
    expect(readdirSync(path.join(tools, "nix")).sort()).toEqual([".lock", version]);
  });

  it("as a function: the same version and folder", () => {
    const [version] = NIX_VERSIONS;
    const tools = provisioned(version);
    expect(provisionNix([version], { tools })).toEqual([{ version, bindir: path.join(tools, "nix", version, "bin") }]);
  });

  it("refuses a version it does not know, naming the ones it does, and touches nothing", () => {
    const tools = tempDir("nra-provision-");
    const r = cli("--tools", tools, "2.99.1");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`provision-nix: no Debian suite known for Nix 2.99.1 (known: ${NIX_VERSIONS.join(", ")})\n`);
    expect(existsSync(path.join(tools, "nix"))).toBe(false);
  });

  it("--tools without a folder is a usage error", () => {
    const r = cli("--tools");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("usage: provision-nix.mjs [--tools DIR] [VERSION...]");
  });
});
