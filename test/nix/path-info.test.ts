import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePathInfo, pathInfoJsonArgs } from "../../src/nix/path-info.js";
import { parseNixVersion } from "../../src/nix/version.js";

// Against real nix path-info: path-info.integration.test.ts.

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
    expect(parsePathInfo(`{"info":{"${path.basename(A)}":null},"storeDir":"/gnu/store","version":2}`, S)).toEqual([{ path: `/gnu/store/${path.basename(A)}`, valid: false }]);
  });
  it("anything else is an error that quotes it", () => {
    expect(() => parsePathInfo("42", S)).toThrow(/42, not a list or an object/);
  });
  const FORMAT = ["--json", "--json-format", "1"];
  it.each([
    ["nix (Nix) 2.8.0", ["--json"], FORMAT],
    ["nix (Nix) 2.26.3", ["--json"], FORMAT],
    ["nix (Nix) 2.34.0rc1", ["--json"], FORMAT],
    ["nix (Nix) 2.34.8", FORMAT, ["--json"]],
    ["nix (Lix, like Nix) 2.94.0", ["--json"], FORMAT],
    ["nix (Determinate Nix 3.23.1) 2.35.2", FORMAT, ["--json"]],
    ["not a version", ["--json"], FORMAT],
  ])("flags for %s: %j first, then %j", async (line, first, then) => expect(await pathInfoJsonArgs(parseNixVersion(line))).toEqual([first, then]));
});
