import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { excerpt, notUnderstood, UnknownAnswer } from "../../src/nix/answer.js";
import { parseShowConfig, parseStoreInfoTrusted, showConfigDoubt } from "../../src/nix/config.js";
import { nixVersionOf } from "../../src/nix/locate.js";
import { parseNixVersion } from "../../src/nix/version.js";
import { parseBuildOutputs, parsePathInfo } from "../../src/nix/path-info.js";

// Answers of Nix in shapes no version has printed: each parser must refuse them (UnknownAnswer),
// never turn them into an empty or made-up result the action would then report as done.
const S = "/nix/store";
const A = `${S}/cwa6wgwkylrxg7wnhrbhwxdr7iqyl2hg-pi`;

describe("notUnderstood: the one message for an answer the action cannot read", () => {
  it("names the command, the Nix version and what the action did instead", () => {
    expect(notUnderstood("nix path-info --json", parseNixVersion("nix (Nix) 2.34.8"), "not JSON (x)", "building it instead")).toBe(
      "Could not understand the answer of 'nix path-info --json' (Nix 2.34.8): not JSON (x); building it instead",
    );
    expect(notUnderstood("nix --version", undefined, "no version", "going on")).toMatch(/\(Nix of unknown version\)/);
    expect(notUnderstood("nix store ping --json", parseNixVersion("nix (Lix, like Nix) 2.94.0"), "x", "y")).toContain("(Lix 2.94.0 (a fork of Nix 2.18))");
    expect(notUnderstood("nix store info --json", parseNixVersion("nix (Determinate Nix 3.8.5) 2.30.2"), "x", "y")).toContain("(Determinate Nix 3.8.5 (Nix 2.30.2))");
  });
  it("quotes an answer on one line, cut short", () => {
    expect(excerpt(" a\n  b ")).toBe("a b");
    expect(excerpt("x".repeat(100), 10)).toBe(`${"x".repeat(10)}…`);
  });
});

describe("parsePathInfo: shapes of nix path-info --json it does not know", () => {
  it.each([
    ["not JSON", "warning: something\n{", /not JSON/],
    ["empty", "", /not JSON \(empty\)/],
    ["a format 3", `{"info":{"cwa6wgwkylrxg7wnhrbhwxdr7iqyl2hg-pi":null},"storeDir":"/nix/store","version":3}`, /JSON format 3, not 1 or 2/],
    ["format 2 keyed by something else", `{"info":{"pi":null},"storeDir":"/nix/store","version":2}`, /names "pi", not a store path's name/],
    ["a list of names", `["${A}"]`, /a list entry without a store path/],
    ["a list of objects with another key", `[{"storePath":"${A}"}]`, /a list entry without a store path/],
    ["an object keyed by other things", `{"paths":["${A}"]}`, /keyed by "paths", not by store paths/],
    ["a path in another store", `{"/gnu/store/cwa6wgwkylrxg7wnhrbhwxdr7iqyl2hg-pi":null}`, /keyed by "\/gnu\/store/],
    ["a number", "42", /42, not a list or an object/],
  ])("%s", (_name, stdout, why) => {
    expect(() => parsePathInfo(stdout, S)).toThrow(UnknownAnswer);
    expect(() => parsePathInfo(stdout, S)).toThrow(why);
  });
});

describe("parseBuildOutputs: nix build --json", () => {
  it("reads every output of every entry (2.8 to 2.34 print this)", () => {
    const out2 = `${S}/3wbsv5ipmvsraig81qp7i3jkqgb2mal6-x-dev`;
    expect(parseBuildOutputs(`[{"drvPath":"${S}/d.drv","outputs":{"out":"${A}","dev":"${out2}"}}]`, S)).toEqual([A, out2]);
  });
  it.each([
    ["not JSON", "built", /not JSON/],
    ["an object", `{"outputs":{"out":"${A}"}}`, /not a list/],
    ["entries without outputs", `[{"drvPath":"${S}/d.drv","out":"${A}"}]`, /without "outputs"/],
    ["outputs as a list", `[{"outputs":null}]`, /without "outputs"/],
    ["an output that is not a path", `[{"outputs":{"out":{"path":"${A}"}}}]`, /not a store path/],
  ])("%s is not understood", (_name, stdout, why) => expect(() => parseBuildOutputs(stdout, S)).toThrow(why));
});

describe("show-config: an answer without the settings the action reads", () => {
  const good = "substituters = https://c.example\ntrusted-public-keys = k:1\ntrusted-substituters = \ntrusted-users = root\n";
  it("the text every version prints is understood", () => expect(showConfigDoubt(good)).toBeUndefined());
  it.each([
    ["JSON instead of text", `{"substituters":{"value":[]}}`, /no "substituters", "trusted-public-keys", "trusted-substituters", "trusted-users" line among 0/],
    ["colons instead of =", "substituters: x\ntrusted-users: root\n", /among 0 "name = value"/],
    ["a renamed setting", good.replace("trusted-users", "allowed-clients"), /no "trusted-users" line among 4/],
  ])("%s", (_name, text, why) => expect(showConfigDoubt(text)).toMatch(why));
  it("names settings, never values (show-config may print access-tokens)", () => {
    expect(showConfigDoubt("access-tokens = github.com=SECRET\n")).not.toContain("SECRET");
  });
  it("what it could read is still read", () => expect(parseShowConfig("trusted-users = root alice\n").trustedUsers).toEqual(["root", "alice"]));
});

describe("store info --json: the daemon's trusted field", () => {
  it.each([
    [`{"trusted":1,"url":"daemon","version":"2.26.3"}`, true],
    [`{"trusted":0,"url":"daemon"}`, false],
    [`{"trusted":true,"url":"daemon","version":"2.34.8"}`, true],
    [`{"trusted":false}`, false],
  ])("%s", (stdout, want) => expect(parseStoreInfoTrusted(stdout)).toBe(want));
  it.each([
    ["not JSON", "Store URL: daemon", /not JSON/],
    ["no trusted field", `{"url":"daemon"}`, /"trusted" is missing/],
    ["a string", `{"trusted":"yes"}`, /"trusted" is "yes"/],
    ["null", "null", /"trusted" is missing/],
  ])("%s is not understood", (_name, stdout, why) => expect(() => parseStoreInfoTrusted(stdout)).toThrow(why));
});

describe("nix --version that names no version", () => {
  let dir = "";
  afterEach(() => {
    vi.restoreAllMocks();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  it("warns, naming the command, and gives no version (the action then treats Nix as old)", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "nra-answer-"));
    const nix = path.join(dir, "nix");
    writeFileSync(nix, "#!/bin/sh\necho 'nix (Nix) unstable'\n");
    chmodSync(nix, 0o755);
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    expect(await nixVersionOf(nix, { PATH: "/usr/bin:/bin" })).toBeUndefined();
    expect(out).toMatch(/::warning::Could not understand the answer of 'nix --version' \(Nix of unknown version\): no version in "nix \(Nix\) unstable"; the action goes on as with an old Nix/);
  });
  it.each([
    ["nix (Nix) 2.26.3", { implementation: "upstream", version: "2.26.3" }],
    ["nix (Lix, like Nix) 2.94.0", { implementation: "lix", version: "2.94.0", upstream: "2.18.3" }],
    ["nix (Determinate Nix 3.8.5) 2.30.2", { implementation: "determinate", version: "2.30.2", distribution: "3.8.5" }],
  ])("a Nix it knows (%s): no warning", async (line, want) => {
    dir = mkdtempSync(path.join(os.tmpdir(), "nra-answer-"));
    const nix = path.join(dir, "nix");
    writeFileSync(nix, `#!/bin/sh\necho '${line}'\n`);
    chmodSync(nix, 0o755);
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    expect(await nixVersionOf(nix, { PATH: "/usr/bin:/bin" })).toMatchObject(want);
    expect(out).not.toMatch(/::warning::/);
  });
});
