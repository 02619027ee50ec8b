import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nixpkgsDate, readNixpkgsDate } from "../../src/nix/flake-lock.js";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures/flake-lock", name), "utf8");

describe("nixpkgsDate", () => {
  it.each([
    ["a plain nixpkgs input", "plain.json", "20241109"],
    ["root.inputs.nixpkgs naming node nixpkgs_2", "nixpkgs_2.json", "20250301"],
    ["a follows array (nixpkgs follows another input's nixpkgs)", "follows.json", "20240630"],
    ["no nixpkgs input", "no-nixpkgs.json", ""],
    ["a follows array that leads nowhere", "dangling-follows.json", ""],
  ])("%s", (_n, file, date) => {
    expect(nixpkgsDate(fixture(file))).toBe(date);
  });

  it("uses UTC: 23:30 UTC stays on its own day", () => {
    const lock = { nodes: { root: { inputs: { nixpkgs: "n" } }, n: { locked: { lastModified: Date.UTC(2024, 0, 31, 23, 30) / 1000 } } }, root: "root", version: 7 };
    expect(nixpkgsDate(JSON.stringify(lock))).toBe("20240131");
  });

  it("is empty for text that is not JSON or has no lastModified", () => {
    expect(nixpkgsDate("not json")).toBe("");
    expect(nixpkgsDate(JSON.stringify({ nodes: { root: { inputs: { nixpkgs: "n" } }, n: { locked: {} } }, root: "root" }))).toBe("");
  });

  it("does not loop on a cyclic follows chain", () => {
    const lock = { nodes: { root: { inputs: { nixpkgs: ["a", "nixpkgs"], a: "a" } }, a: { inputs: { nixpkgs: ["a", "nixpkgs"] } } }, root: "root" };
    expect(nixpkgsDate(JSON.stringify(lock))).toBe("");
  });

  it("reads any named input, as the bump does for its input", () => {
    expect(nixpkgsDate(fixture("follows.json"), "devenv")).toBe("20240202");
    expect(nixpkgsDate(fixture("follows.json"), "no-such-input")).toBe("");
  });
});

describe("readNixpkgsDate", () => {
  it("reads the workspace's flake.lock, for nixpkgs or a named input; empty without a lock", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nra-lock-"));
    try {
      expect(await readNixpkgsDate(dir)).toBe("");
      writeFileSync(path.join(dir, "flake.lock"), fixture("follows.json"));
      expect(await readNixpkgsDate(dir)).toBe("20240630");
      expect(await readNixpkgsDate(dir, "devenv")).toBe("20240202");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
