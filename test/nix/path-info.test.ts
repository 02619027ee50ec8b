import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parsePathInfo, pathInfoJsonArgs } from "../../src/nix/path-info.js";
import { parseNixVersion } from "../../src/nix/version.js";
import { TEST_NIX_CONFIG } from "../helpers/nix.js";
import { ROOT } from "../helpers/runner.js";

const S = "/nix/store";
const A = `${S}/cwa6wgwkylrxg7wnhrbhwxdr7iqyl2hg-pi`;
const B = `${S}/3wbsv5ipmvsraig81qp7i3jkqgb2mal6-x`;

describe("parsePathInfo (pure): every shape nix path-info --json has printed", () => {
  // verbatim from Debian's nix-bin 2.8.0, 2.26.3 and 2.34.8 (trimmed to the fields that matter)
  const cases: { nix: string; stdout: string; want: { path: string; valid: boolean }[] }[] = [
    { nix: "2.8 unbuilt", stdout: `[{"path":"${A}","valid":false}]`, want: [{ path: A, valid: false }] },
    { nix: "2.8 built", stdout: `[{"path":"${B}","narHash":"sha256-x","narSize":120,"references":[],"ultimate":true}]`, want: [{ path: B, valid: true }] },
    { nix: "2.26 unbuilt", stdout: `{"${A}":null}`, want: [{ path: A, valid: false }] },
    { nix: "2.26 built", stdout: `{"${B}":{"ca":null,"narHash":"sha256-x","narSize":120,"references":[],"signatures":[]}}`, want: [{ path: B, valid: true }] },
    { nix: "2.34 format 1, mixed", stdout: `{"${A}":null,"${B}":{"narSize":120,"storeDir":"/nix/store","version":1}}`, want: [{ path: A, valid: false }, { path: B, valid: true }] },
    {
      nix: "2.34 format 2",
      stdout: `{"info":{"cwa6wgwkylrxg7wnhrbhwxdr7iqyl2hg-pi":null,"3wbsv5ipmvsraig81qp7i3jkqgb2mal6-x":{"narSize":120,"version":2}},"storeDir":"/nix/store","version":2}`,
      want: [{ path: A, valid: false }, { path: B, valid: true }],
    },
    { nix: "empty list", stdout: "[]", want: [] },
  ];
  for (const c of cases) it(c.nix, () => expect(parsePathInfo(c.stdout, S)).toEqual(c.want));

  it("format 2 in another store dir names paths in that dir", () => {
    expect(parsePathInfo(`{"info":{"abc-x":null},"storeDir":"/gnu/store","version":2}`, S)).toEqual([{ path: "/gnu/store/abc-x", valid: false }]);
  });
  it("anything else is an error that quotes it", () => {
    expect(() => parsePathInfo("42", S)).toThrow(/printed 42/);
  });
  it.each([
    ["2.8.0", ["--json"]],
    ["2.26.3", ["--json"]],
    ["2.34.8", ["--json", "--json-format", "1"]],
    [undefined, ["--json"]],
  ])("flags for Nix %s: %j", async (v, want) => expect(await pathInfoJsonArgs(v)).toEqual(want));
});

/** The nix on PATH, and the newer ones scripts/provision-nix.sh left in .tools/nix, when it ran. */
function nixesHere(): { version: string; bin: string }[] {
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
    it(`Nix ${version} (${bin}): an unbuilt installable is not valid, an added path is`, async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), "nra-pathinfo-"));
      roots.push(root);
      const env = { ...process.env, NIX_CONFIG: TEST_NIX_CONFIG, NIX_USER_CONF_FILES: "", XDG_CACHE_HOME: path.join(root, "cache") };
      const store = ["--store", `local?root=${root}`];
      const run = (args: string[]) => spawnSync(bin, ["--extra-experimental-features", "nix-command", ...args], { env, encoding: "utf8", timeout: 60_000 });
      const json = await pathInfoJsonArgs(version);

      const expr = `derivation { name = "nra-pathinfo"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo ${root} > $out" ]; }`;
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
