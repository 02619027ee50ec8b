import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/runner.mjs";
import { pushTarget, settingProblems } from "../../src/push-target.js";
import { parseDescribeStores, parseHelpStores, RECORDED_SETTINGS } from "../../src/nix/store-settings.js";

// What each Nix answered (recorded with Debian's 2.8.0, 2.26.3 and 2.34.8; re-record with
// `nix describe-stores --json` (2.8) or `nix help-stores` (2.20 on) when a version is added).
const fixture = (name: string) => readFileSync(path.join(ROOT, "test/fixtures/nix-stores", name), "utf8");
const RECORDED = {
  "2.8.0": parseDescribeStores(fixture("2.8.0-describe-stores.json")),
  "2.26.3": parseHelpStores(fixture("2.26.3-help-stores.txt")),
  "2.34.8": parseHelpStores(fixture("2.34.8-help-stores.txt")),
};

describe("the settings each Nix takes per store (pure, recorded answers)", () => {
  it.each(Object.entries(RECORDED))("Nix %s: every push-to scheme but s3 (no S3 in Debian's 2.8 and 2.26)", (v, m) => {
    for (const scheme of ["file:", "http:", "https:", "ssh:", "ssh-ng:"]) expect(m.get(scheme), `${v} ${scheme}`).toContain("priority");
    expect([...(m.get("https:") ?? [])]).toEqual(expect.arrayContaining(["compression", "parallel-compression", "secret-key", "write-nar-listing"]));
    expect(m.has("s3:")).toBe(v === "2.34.8");
  });

  it("2.34 takes settings 2.8 does not (tls-certificate over http, secret-keys)", () => {
    expect(RECORDED["2.34.8"].get("https:")).toContain("tls-certificate");
    expect(RECORDED["2.8.0"].get("https:")).not.toContain("tls-certificate");
    expect([...(RECORDED["2.34.8"].get("s3:") ?? [])]).toEqual(expect.arrayContaining(["endpoint", "region", "profile", "scheme"]));
  });

  it("the recorded table (for a Nix that cannot say) holds every setting any recorded Nix listed", () => {
    for (const [v, m] of Object.entries(RECORDED)) {
      for (const [scheme, names] of m) {
        if (!RECORDED_SETTINGS[scheme]) continue;
        for (const n of names) expect(RECORDED_SETTINGS[scheme], `${v} ${scheme} ${n}`).toContain(n);
      }
    }
  });

  it("takes each section's schemes and its one-word bullets", () => {
    const text = ["HTTP Binary Cache Store", "", "Store URL format: http://..., https://...", "", "## Settings", "", "  · compression", "    ", "    NAR compression method. One of: xz,", "  · tls-certificate", "", "Local Binary Cache Store", "Store URL format: file://path", "  · write-nar-listing"].join("\n");
    const m = parseHelpStores(text);
    expect([...(m.get("https:") ?? [])]).toEqual(["compression", "tls-certificate"]);
    expect([...(m.get("http:") ?? [])]).toEqual(["compression", "tls-certificate"]);
    expect([...(m.get("file:") ?? [])]).toEqual(["write-nar-listing"]);
  });

  it("a section whose bullets are not recognised is left out, not taken as a store without settings", () => {
    const m = parseHelpStores(["Local Binary Cache Store", "Store URL format: file://path", "  ► compression", "Dummy Store", "Store URL format: dummy://", "  · priority"].join("\n"));
    expect(m.has("file:")).toBe(false);
    expect([...(m.get("dummy:") ?? [])]).toEqual(["priority"]);
  });
});

describe("settingProblems (pure)", () => {
  const known = RECORDED["2.8.0"].get("file:") ?? new Set<string>();
  it.each<[string, RegExp | undefined]>([
    ["file:///c?compression=zstd&priority=30", undefined],
    ["file:///c?compresion=zstd", /^"compresion" is not a setting of this store; did you mean "compression"\? \(it takes compression, compression-level, /],
    ["file:///c?tls-certificate=/x", /^"tls-certificate" is not a setting of this store \(it takes /],
    ["file:///c?compression=zst", /^compression=zst is not a compression method Nix knows; use one of xz, bzip2, gzip, zstd, none, br/],
    ["file:///c?compression=", /^compression= is not a compression method/],
  ])("%s", (url, want) => {
    const p = settingProblems(pushTarget(url), known);
    if (want === undefined) expect(p).toEqual([]);
    else expect(p[0]?.why).toMatch(want);
  });

  it("names each bad setting, in order", () => {
    expect(settingProblems(pushTarget("file:///c?prority=1&compression=lz5"), known).map((p) => p.name)).toEqual(["prority", "compression"]);
  });
});
