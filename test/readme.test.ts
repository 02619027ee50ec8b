import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BEGIN, END, renderTables } from "../scripts/readme-tables.mjs";
import { INITS, INSTALLERS, MODES } from "../src/inputs.js";
import { ROOT } from "../scripts/lib/runner.mjs";

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
        "push-filter", "push-paths", "push-during-build", "push-unattributed", "skip-upstream", "fail-on-push-error", "push-timeout", "installer", "installer-url", "installer-sha256", "init", "nix-version",
      ].sort(),
    );
    expect(Object.keys(action.outputs).sort()).toEqual(["container", "environment", "installed", "nix-implementation", "nix-version", "nixpkgs-date", "platform"]);
    for (const i of Object.values(action.inputs)) expect(i.description.length).toBeGreaterThan(20);
  });

  it("defaults in action.yml are values the code accepts", () => {
    expect(MODES).toContain(action.inputs.mode.default);
    expect(INSTALLERS).toContain(action.inputs.installer.default);
    expect(INITS).toContain(action.inputs.init.default);
  });

  it("the README's with: examples use only real inputs, and docs/inputs.md's uses every input", () => {
    const examples = [...readme.matchAll(/```yaml\n([^]*?)```/g)].map((m) => m[1]);
    const keysOf = (example: string) => [...example.matchAll(/^ {10}([a-z0-9-]+):/gm)].map((m) => m[1]);
    for (const k of examples.flatMap(keysOf)) expect(Object.keys(action.inputs)).toContain(k);
    const full = readFileSync(path.join(ROOT, "docs/inputs.md"), "utf8").match(/```yaml\n([^]*?)```/)?.[1] ?? "";
    expect(keysOf(full).sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it("says what the action is, then gives the two commands", () => {
    const [intro, afterIntro] = readme.split("```sh\n", 2);
    expect(intro).toMatch(/^# nix-runner-action\n\nAn Actions action that makes Nix first-class on self-hosted/);
    const commands = afterIntro.slice(0, afterIntro.indexOf("```"));
    expect(commands).toMatch(/^bash scripts\/local-run\.sh /m);
    expect(commands).toMatch(/^bash scripts\/test\.sh /m);
    expect(readme.split("\n").findIndex((l) => l.startsWith("bash scripts/test.sh"))).toBeLessThan(20);
  });

  it("stays within 12 KB, for users (detail goes to docs/)", () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(12_000);
  });

  it("links only to files the repository has", () => {
    for (const doc of ["README.md", "CONTRIBUTING.md", "docs/design.md", "docs/detection.md", "docs/configuration.md", "docs/install.md", "docs/push.md", "docs/testing.md", "docs/gitlab.md", "docs/inputs.md", "workflows-templates/README.md"]) {
      const text = readFileSync(path.join(ROOT, doc), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        expect(existsSync(path.join(ROOT, path.dirname(doc), target)), `${doc} links to ${target}`).toBe(true);
      }
      expect(text, `${doc} points outside the repository`).not.toMatch(/shared\/DESIGN\.md|\.\.\/DESIGN\.md/);
    }
  });
});
