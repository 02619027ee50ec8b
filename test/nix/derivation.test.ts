import { describe, expect, it } from "vitest";
import { outputsOfDrvText } from "../../src/nix/derivation.js";

const S = "/nix/store";
// the shapes Nix writes: one output, several (sorted by name), a fixed-output one, escapes in the env
const ONE = `Derive([("out","${S}/0c1ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-hello","","")],[],[],"x86_64-linux","/bin/sh",["-c","echo \\"hi\\" > $out"],[("builder","/bin/sh"),("name","hello"),("out","${S}/0c1ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-hello"),("system","x86_64-linux")])`;
const TWO = `Derive([("dev","${S}/1b2ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-lib-dev","",""),("out","${S}/2c3ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-lib","","")],[("${S}/3d4ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-dep.drv",["out"])],[],"x86_64-linux","/bin/sh",[],[("a","line\\none\\ttab\\\\")])`;
const FIXED = `Derive([("out","${S}/4e5ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-src.tar.gz","sha256","9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")],[],[],"builtin","builtin:fetchurl",[],[])`;

describe("outputsOfDrvText: the outputs a .drv declares, as nix-store --query --outputs prints them", () => {
  it("reads one output, several, and a fixed-output derivation's", () => {
    expect(outputsOfDrvText(ONE)).toEqual([`${S}/0c1ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-hello`]);
    expect(outputsOfDrvText(TWO)).toEqual([`${S}/1b2ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-lib-dev`, `${S}/2c3ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-lib`]);
    expect(outputsOfDrvText(FIXED)).toEqual([`${S}/4e5ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-src.tar.gz`]);
  });
  it("says nothing (nix-store must be asked) for a content-addressed output without a path, another format, or a broken text", () => {
    expect(outputsOfDrvText(`Derive([("out","","r:sha256","")],[],[],"x86_64-linux","/bin/sh",[],[])`)).toBeUndefined();
    expect(outputsOfDrvText(`DrvWithVersion("xp-dyn-drv",[("out","${S}/0c1ghdv9ngd1nlr3g4vfr2ra6c3jfcmw-hello","","")],[])`)).toBeUndefined();
    expect(outputsOfDrvText(`Derive([],[],[],"x","y",[],[])`)).toBeUndefined();
    expect(outputsOfDrvText(ONE.slice(0, 40))).toBeUndefined();
    expect(outputsOfDrvText(`Derive([("out","${S}/x","")],[])`)).toBeUndefined();
    expect(outputsOfDrvText("")).toBeUndefined();
  });
});
