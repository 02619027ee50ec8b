import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outputsOfDrvFiles } from "../../src/nix/derivation.js";
import { TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";

// A store of its own under a temp root (a chroot store): nothing reaches /nix.
const root = mkdtempSync(path.join(os.tmpdir(), "nra-drv-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = { ...process.env, NIX_CONFIG: TEST_NIX_CONFIG, NIX_USER_CONF_FILES: "", XDG_CACHE_HOME: path.join(root, "cache") };
const store = ["--store", `local?root=${root}`];
function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, [...store, ...args], { env, encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

describe("outputsOfDrvFiles reads what the Nix on PATH writes", () => {
  it("one and several outputs, fixed-output: the same paths nix-store --query --outputs prints", async () => {
    const exprs = [
      `derivation { name = "nra-drv-one"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo \\"a\\tb\\" > $out" ]; }`,
      `derivation { name = "nra-drv-multi"; outputs = [ "out" "dev" "lib" ]; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "x" ]; note = "line\\none"; }`,
      `derivation { name = "nra-drv-fixed"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "x" ]; outputHashMode = "flat"; outputHashAlgo = "sha256"; outputHash = "0000000000000000000000000000000000000000000000000000"; }`,
    ];
    const drvs = run("nix-instantiate", ["-E", `[ ${exprs.map((e) => `(${e})`).join(" ")} ]`]).trim().split("\n");
    expect(drvs).toHaveLength(3);
    for (const d of drvs) {
      const want = run("nix-store", ["--query", "--outputs", d]).trim().split("\n").sort();
      // the chroot store keeps the file under its root; the paths in it are /nix/store ones
      const got = outputsOfDrvFiles([path.join(root, d)]);
      expect(got.unread).toEqual([]);
      expect(got.outputs.sort()).toEqual(want);
    }
    expect(outputsOfDrvFiles([path.join(root, "nix/store/missing.drv")]).unread).toHaveLength(1);
  });
});
