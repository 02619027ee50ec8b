import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { refusedAsUnknown, runSpellings } from "../../src/nix/spelling.js";
import { parseNixVersion } from "../../src/nix/version.js";

// A command or flag a Nix lacks degrades: the other spelling is asked, with a warning. The refusals
// are Nix's own words (checked against Debian's 2.8: `nix store info`, `nix config show`,
// `nix path-info --json-format 1`); the stand-in `nix` here is a shell script that logs its calls.
describe("refusedAsUnknown", () => {
  it.each([
    ["error: 'info' is not a recognised command\nTry 'nix --help' for more information.\n", "'info' is not a recognised command"],
    ["error: 'foo' is not a recognised command\n       Did you mean one of fmt or log?\n", "'foo' is not a recognised command"],
    ["error: unrecognised flag '--json-format'\nTry 'nix --help' for more information.\n", "unrecognised flag '--json-format'"],
  ])("%j → %j", (stderr, want) => expect(refusedAsUnknown(stderr)).toBe(want));
  it.each([["error: cannot connect to socket at '/nix/var/nix/daemon-socket/socket'"], ["error: path '/nix/store/x' is not valid"], [""]])(
    "%j: not a refusal",
    (stderr) => expect(refusedAsUnknown(stderr)).toBeUndefined(),
  );
});

describe("runSpellings (stand-in nix that refuses what it lacks)", () => {
  let dir = "";
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });
  function standIn(script: string): { nix: string; calls: () => string[] } {
    dir = mkdtempSync(path.join(os.tmpdir(), "nra-spelling-"));
    const nix = path.join(dir, "nix");
    const log = path.join(dir, "calls");
    writeFileSync(log, "");
    writeFileSync(nix, `#!/bin/sh\necho "$*" >> '${log}'\n${script}\n`);
    chmodSync(nix, 0o755);
    return { nix, calls: () => readFileSync(log, "utf8").split("\n").filter(Boolean) };
  }
  function captured(): () => string {
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    return () => out;
  }
  const lix = parseNixVersion("nix (Lix, like Nix) 2.94.0");

  it("asks the next spelling when the first is refused as unknown, and warns naming the Nix", async () => {
    const { nix, calls } = standIn(`case "$*" in *"store info"*) echo "error: 'info' is not a recognised command" >&2; exit 1;; esac\necho '{"trusted":1}'`);
    const out = captured();
    const { result, spelling } = await runSpellings({ nix, before: ["--x"], spellings: [["store", "info"], ["store", "ping"]], after: ["--json"], version: lix });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('{"trusted":1}');
    expect(spelling).toEqual(["store", "ping"]);
    expect(calls()).toEqual(["--x store info --json", "--x store ping --json"]);
    expect(out()).toContain("::warning::Lix 2.94.0 (a fork of Nix 2.18) refused 'nix store info' ('info' is not a recognised command); the action asks 'nix store ping' instead");
  });

  it("asks once when the first spelling answers", async () => {
    const { nix, calls } = standIn("echo ok");
    const out = captured();
    const { spelling } = await runSpellings({ nix, before: [], spellings: [["show-config"], ["config", "show"]], after: [], version: lix });
    expect(spelling).toEqual(["show-config"]);
    expect(calls()).toEqual(["show-config"]);
    expect(out()).not.toContain("::warning::");
  });

  it("does not retry a failure that is not a refusal: the caller reports it", async () => {
    const { nix, calls } = standIn(`echo "error: cannot connect to socket" >&2; exit 1`);
    captured();
    const { result, spelling } = await runSpellings({ nix, before: [], spellings: [["store", "info"], ["store", "ping"]], after: [], version: undefined });
    expect(result.code).toBe(1);
    expect(spelling).toEqual(["store", "info"]);
    expect(calls()).toHaveLength(1);
  });

  it("does not retry a refusal of a flag outside the spelling: every spelling would be refused alike", async () => {
    const { nix, calls } = standIn(`echo "error: unrecognised flag '--json'" >&2; exit 1`);
    captured();
    const { result, spelling } = await runSpellings({ nix, before: [], spellings: [["store", "ping"], ["store", "info"]], after: ["--json"], version: undefined });
    expect(result.code).toBe(1);
    expect(spelling).toEqual(["store", "ping"]);
    expect(calls()).toEqual(["store ping --json"]);
  });

  it("returns the last refusal when every spelling is refused", async () => {
    const { nix, calls } = standIn(`echo "error: unrecognised flag '--json-format'" >&2; exit 1`);
    captured();
    const { result, spelling } = await runSpellings({ nix, before: [], spellings: [["--json", "--json-format", "1"], ["--json"]], after: ["x"], version: undefined });
    expect(result.code).toBe(1);
    expect(spelling).toEqual(["--json"]);
    expect(calls()).toEqual(["--json --json-format 1 x", "--json x"]);
  });
});
