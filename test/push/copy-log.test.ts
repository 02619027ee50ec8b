import { describe, expect, it } from "vitest";
import { copyLogDoubt, parseCopyLog } from "../../src/push/report.js";

// What a successful `nix copy -v` logs, and logs that changed: the action must say when it could
// not count what was uploaded, instead of reporting "0 path(s) uploaded" as if the cache had them.
const P1 = "/nix/store/2hzchy8wyxrpcac63acd3r141d9sy28h-c1";
const P2 = "/nix/store/jjjwvalr9sd3g1bzxdd6nbmxqcmig1bz-c2";
const CACHE = "file:///tmp/c";
// verbatim from Nix 2.8.0, 2.26.3 and 2.34.8 (the three print the same): P1 already in the cache, P2 sent
const REAL = [
  `querying info about '${P1}' on '${CACHE}'...`,
  `querying info about '${P2}' on '${CACHE}'...`,
  "copying 1 paths...",
  `copying path '${P2}' to '${CACHE}'...`,
  `copying path '${P2}' (120 bytes, compressed -3.3% in 1 ms) to binary cache`,
].join("\n");

describe("copyLogDoubt: is a successful nix copy's log one the action can count?", () => {
  it("the log every version prints: understood, and counted", () => {
    expect(copyLogDoubt(REAL, 2, true)).toBeUndefined();
    expect([...parseCopyLog(REAL, true).paths]).toEqual([P2]);
  });
  it("everything already in the cache: understood, nothing counted", () => {
    const log = `querying info about '${P1}' on '${CACHE}'...`;
    expect(copyLogDoubt(log, 1, true)).toBeUndefined();
    expect(parseCopyLog(log, true).paths.size).toBe(0);
  });
  it("ssh stores log no sizes: the path lines are enough", () => {
    const log = ["copying 1 paths...", `copying path '${P2}' to 'ssh://cache@host'...`].join("\n");
    expect(copyLogDoubt(log, 1, false)).toBeUndefined();
    expect(parseCopyLog(log, false)).toEqual({ paths: new Set([P2]), narBytes: 0 });
    // the same lines from a binary cache, without the sized one, count nothing
    expect(parseCopyLog(log, true).paths.size).toBe(0);
  });
  it.each([
    ["no line it knows", `uploading ${P2} to ${CACHE}\n`, /none of its lines is one the action knows/],
    ["nothing at all", "", /none of its lines is one the action knows/],
    ["an announced copy naming no path", `querying info about '${P2}' on '${CACHE}'...\ncopying 1 paths...\nuploaded ${P2} (120 bytes)`, /announced 1 path\(s\) to copy and named none/],
    ["the sized line changed", REAL.replace(/\(120 bytes, compressed [^)]*\) to binary cache/, "[120 B, zstd]"), /1 path\(s\) sent without the line with their size \(first: \/nix\/store\/jjjw/],
  ])("%s: not understood", (_name, log, why) => expect(copyLogDoubt(log, 2, true)).toMatch(why));
  it("no paths given, no log: nothing to doubt", () => expect(copyLogDoubt("", 0, true)).toBeUndefined());
});
