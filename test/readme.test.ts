import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BEGIN, END, renderTables } from "../scripts/readme-tables.mjs";
import { INITS, INSTALLERS, MODES } from "../src/inputs.js";
import { ROOT } from "./helpers/runner.js";

const actionYml = readFileSync(path.join(ROOT, "action.yml"), "utf8");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const action = parse(actionYml) as {
  runs: Record<string, string>;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
};

describe("README and action.yml agree", () => {
  it("the README's tables are the ones action.yml renders (run: node scripts/readme-tables.mjs --write)", () => {
    const block = readme.slice(readme.indexOf(BEGIN), readme.indexOf(END) + END.length);
    expect(block).toBe(renderTables(actionYml));
  });

  it("declares the contract of docs/design.md §2: node24, main, post, post-if always()", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/main/index.js", post: "dist/post/index.js", "post-if": "always()" });
  });

  it("has every input and output of the design, each described", () => {
    expect(Object.keys(action.inputs).sort()).toEqual(
      [
        "mode", "substituters", "trusted-public-keys", "extra-conf", "access-tokens", "netrc", "push-to", "signing-key",
        "push-filter", "push-paths", "push-during-build", "fail-on-push-error", "installer", "installer-url", "installer-sha256", "init", "nix-version",
      ].sort(),
    );
    expect(Object.keys(action.outputs).sort()).toEqual(["container", "environment", "installed", "nix-version", "nixpkgs-date", "platform"]);
    for (const i of Object.values(action.inputs)) expect(i.description.length).toBeGreaterThan(20);
  });

  it("defaults in action.yml are values the code accepts", () => {
    expect(MODES).toContain(action.inputs.mode.default);
    expect(INSTALLERS).toContain(action.inputs.installer.default);
    expect(INITS).toContain(action.inputs.init.default);
  });

  it("the README's with: example uses only real inputs", () => {
    const example = readme.match(/```yaml\n([^]*?)```/)?.[1] ?? "";
    const withKeys = [...example.matchAll(/^ {10}([a-z-]+):/gm)].map((m) => m[1]);
    expect(withKeys.length).toBeGreaterThan(8);
    for (const k of withKeys) expect(Object.keys(action.inputs)).toContain(k);
  });

  it("starts with the two commands", () => {
    const top = readme.split("\n").slice(0, 20).join("\n");
    expect(top).toContain("bash scripts/local-run.sh");
    expect(top).toContain("bash scripts/test.sh");
  });
});
