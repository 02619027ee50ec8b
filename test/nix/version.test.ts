import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeNix, type Feature, FEATURES, parseNixVersion, satisfiesRange, supports, versionFromStorePath } from "../../src/nix/version.js";

const H = "0123456789abcdfghijklmnpqrsvwxyz";

interface Recorded {
  answer: string;
  implementation: string;
  version: string;
  upstream: string;
  distribution?: string;
  source: string;
}
const RECORDED = (JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/nix-version/answers.json"), "utf8")) as { answers: Recorded[] }).answers;
const firstLine = (a: string) => a.split("\n")[0];

describe("parseNixVersion reads the recorded answers of upstream Nix 2.3 → 2.34, Lix and Determinate Nix (test/fixtures/nix-version/answers.json)", () => {
  it.each(RECORDED.map((r) => [firstLine(r.answer), r] as const))("%s", (_line, r) => {
    const got = parseNixVersion(r.answer);
    expect(got).toEqual({ implementation: r.implementation, version: r.version, upstream: r.upstream, distribution: r.distribution, line: firstLine(r.answer) });
    expect(r.source.length, "every recorded answer says where it comes from").toBeGreaterThan(20);
  });

  it("holds every implementation, upstream from 2.3 to 2.34, Lix 2.90 to 2.94, and pre-releases", () => {
    const of = (i: string) => RECORDED.filter((r) => r.implementation === i).map((r) => r.version);
    const minors = new Set(of("upstream").map((v) => Number(v.split(".")[1])));
    expect(Math.min(...minors)).toBe(3);
    expect(Math.max(...minors)).toBe(34);
    expect(new Set(of("lix").map((v) => v.split(".").slice(0, 2).join(".")))).toEqual(new Set(["2.90", "2.91", "2.92", "2.93", "2.94"]));
    expect(of("determinate").length).toBeGreaterThan(3);
    expect(RECORDED.filter((r) => r.upstream.endsWith("-pre")).length).toBeGreaterThan(3);
  });

  it.each([
    ["", "nothing"],
    ["error: unknown command", "an error"],
    ["nix (Tvix) 0.1.0", "an implementation it does not know: its features cannot be told"],
    ["nix (Nix)", "no number"],
    ["Nix 2.18.1", "not the --version line"],
    ["nix (Lix) 2.91.0", "not Lix's own words"],
  ])("%j: undefined (%s)", (out) => expect(parseNixVersion(out)).toBeUndefined());

  it("describes each Nix for messages", () => {
    expect(describeNix(parseNixVersion("nix (Nix) 2.8.0"))).toBe("Nix 2.8.0");
    expect(describeNix(parseNixVersion("nix (Lix, like Nix) 2.94.0"))).toBe("Lix 2.94.0 (a fork of Nix 2.18)");
    expect(describeNix(parseNixVersion("nix (Determinate Nix 3.8.5) 2.30.2"))).toBe("Determinate Nix 3.8.5 (Nix 2.30.2)");
    expect(describeNix(undefined)).toBe("Nix of unknown version");
  });
});

describe("supports: what each Nix has, by its upstream release, and for Lix by what Lix has", () => {
  const nix = (line: string) => parseNixVersion(line);
  it.each<[string, Feature, boolean]>([
    ["nix (Nix) 2.3.16", "nixCommand", false],
    ["nix (Nix) 2.4", "nixCommand", true],
    ["nix (Nix) 2.4pre20210802_47e96bb", "nixCommand", false],
    ["nix (Nix) 2.14.1", "storeTrusted", false],
    ["nix (Nix) 2.15.0", "storeTrusted", true],
    ["nix (Nix) 2.18.1", "flakeUpdateInputs", false],
    ["nix (Nix) 2.19.2", "flakeUpdateInputs", true],
    ["nix (Nix) 2.20.0", "configShow", true],
    ["nix (Nix) 2.33.3", "pathInfoJsonFormat", false],
    ["nix (Nix) 2.34.0", "pathInfoJsonFormat", true],
    ["nix (Nix) 2.30.3+2", "storeInfo", true],
    // Determinate Nix: its upstream release, never its own 3.x
    ["nix (Determinate Nix 3.8.5) 2.30.2", "storeInfo", true],
    ["nix (Determinate Nix 3.8.5) 2.30.2", "pathInfoJsonFormat", false],
    ["nix (Determinate Nix 3.23.1) 2.35.2", "pathInfoJsonFormat", true],
    // Lix: 2.94 is not newer than upstream 2.34; what it has is known feature by feature
    ["nix (Lix, like Nix) 2.94.0", "pathInfoJsonFormat", false],
    ["nix (Lix, like Nix) 2.94.0", "storeInfo", false],
    ["nix (Lix, like Nix) 2.94.0", "configShow", true],
    ["nix (Lix, like Nix) 2.90.0-beta.1", "flakeUpdateInputs", true],
    ["nix (Lix, like Nix) 2.91.1", "storeTrusted", true],
  ])("%s: %s → %s", async (line, feature, want) => expect(await supports(nix(line), feature)).toBe(want));

  it("an unknown Nix has none of them, so newer commands and flags stay off", async () => {
    for (const f of Object.keys(FEATURES) as Feature[]) expect(await supports(undefined, f)).toBe(false);
  });
});

describe("satisfiesRange: a nix-version range holds for the upstream release (Lix as 2.18)", () => {
  it.each([
    ["nix (Nix) 2.8.0", ">=2.8", true],
    ["nix (Nix) 2.8.0", ">=3", false],
    ["nix (Nix) 2.24.10pre20240101_abc", ">=2.18", true],
    ["nix (Nix) 2.24.0pre20240101_abc", ">=2.24.0", false],
    ["nix (Nix) 2.24.0pre20240101_abc", "2.24.x", true],
    ["nix (Determinate Nix 3.8.5) 2.30.2", ">=2.30 <2.31", true],
    ["nix (Determinate Nix 3.8.5) 2.30.2", ">=3", false],
    ["nix (Lix, like Nix) 2.94.0", ">=2.18", true],
    ["nix (Lix, like Nix) 2.94.0", ">=2.20", false],
  ])("%s satisfies %s: %s", async (line, range, want) => expect(await satisfiesRange(parseNixVersion(line), range)).toBe(want));
  it("an unknown version satisfies nothing", async () => expect(await satisfiesRange(undefined, "*")).toBe(false));
});

describe("versionFromStorePath", () => {
  it.each([
    [`/nix/store/${H}-nix-2.28.3/bin/nix`, "2.28.3", "2.28.3"],
    [`/nix/store/${H}-nix-2.8.0/bin/nix`, "2.8.0", "2.8.0"],
    [`/nix/store/${H}-nix-2.31.0pre20250712_b0972b0/bin/nix`, "2.31.0", "2.31.0-pre"],
    [`/nix/store/${H}-nix-2.26.0rc1/bin/nix`, "2.26.0", "2.26.0-pre"],
  ])("%s → %s (upstream, compared as %s)", (p, v, upstream) => expect(versionFromStorePath(p)).toMatchObject({ implementation: "upstream", version: v, upstream }));

  it.each([
    ["/usr/bin/nix", "a distribution's nix: ask it"],
    [`/nix/store/${H}-lix-2.91.1/bin/nix`, "Lix: its own numbering"],
    [`/nix/store/${H}-determinate-nix-3.8.5/bin/nix`, "Determinate Nix: its own numbering"],
    [`/nix/store/${H}-nix-3.1.0/bin/nix`, "not upstream Nix 2.x (Determinate Nix's packages are named nix-3.x)"],
    [`/nix/store/${H}-nix-wrapped-2.28.3/bin/nix`, "a wrapper package"],
    [`/nix/store/${H}-nix-2.28.3/bin/nix-build`, "not the nix binary"],
    [`/nix/store/${H}-nix-2.28.3/libexec/nix/bin/nix`, "deeper inside the package"],
    [`/nix/store/short-nix-2.28.3/bin/nix`, "not a store path"],
  ])("%s: undefined (%s)", (p) => expect(versionFromStorePath(p)).toBeUndefined());
});
