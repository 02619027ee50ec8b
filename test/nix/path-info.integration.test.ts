import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parsePathInfo, pathInfoJsonArgs } from "../../src/nix/path-info.js";
import { type NixVersion, parseNixVersion } from "../../src/nix/version.js";
import { TEST_NIX_CONFIG, trivialDrv } from "../../scripts/lib/nix.mjs";
import { ROOT } from "../../scripts/lib/runner.mjs";

const S = "/nix/store";

/** The nix on PATH, and the newer ones scripts/provision-nix.mjs left in .tools/nix, when it ran. */
function nixesHere(): { version: NixVersion; bin: string }[] {
  const tools = path.join(ROOT, ".tools/nix");
  const bins = ["nix", ...(existsSync(tools) ? readdirSync(tools).filter((v) => !v.startsWith(".")).map((v) => path.join(tools, v, "bin", "nix")) : [])];
  return bins.flatMap((bin) => {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    const version = r.status === 0 ? parseNixVersion(r.stdout) : undefined;
    return version ? [{ version, bin }] : [];
  });
}

// Each Nix works on a store of its own under a temp root (a chroot store): nothing reaches /nix.
describe("parsePathInfo reads real nix path-info --json", () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });
  for (const { version, bin } of nixesHere()) {
    it(`Nix ${version.version} (${bin}): an unbuilt installable is not valid, an added path is`, async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), "nra-pathinfo-"));
      roots.push(root);
      const env = { ...process.env, NIX_CONFIG: TEST_NIX_CONFIG, NIX_USER_CONF_FILES: "", XDG_CACHE_HOME: path.join(root, "cache") };
      const store = ["--store", `local?root=${root}`];
      const run = (args: string[]) => spawnSync(bin, ["--extra-experimental-features", "nix-command", ...args], { env, encoding: "utf8", timeout: 60_000 });
      // the spelling this Nix is asked first, which it must take without a deprecation warning
      const [json] = await pathInfoJsonArgs(version);

      const expr = trivialDrv("nra-pathinfo", root, `echo ${root} > $out`);
      const unbuilt = run(["path-info", ...store, ...json, "--impure", "--expr", expr]);
      expect(unbuilt.status, unbuilt.stderr).toBe(0);
      expect(unbuilt.stderr).not.toMatch(/deprecated/);
      const [entry] = parsePathInfo(unbuilt.stdout, S);
      expect(entry.path).toMatch(/^\/nix\/store\/[0-9a-z]{32}-nra-pathinfo$/);
      expect(entry.valid).toBe(false);

      const file = path.join(root, "nra-pathinfo-file");
      writeFileSync(file, root);
      const added = run(["store", "add-file", ...store, file]);
      expect(added.status, added.stderr).toBe(0);
      const info = run(["path-info", ...store, ...json, added.stdout.trim()]);
      expect(info.status, info.stderr).toBe(0);
      expect(parsePathInfo(info.stdout, S)).toEqual([{ path: added.stdout.trim(), valid: true }]);
    });
  }
});
