import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readBumpInputs } from "../src/bump/inputs.js";
import { readPublishInputs } from "../src/publish/inputs.js";
import { ROOT } from "../scripts/lib/runner.mjs";
import { renderSubActionTables, SUB_ACTIONS, SUB_ACTIONS_DOC, subActionMarkers } from "../scripts/readme-tables.mjs";
import { subActions } from "./workflows/harness.js";

interface ActionYml {
  runs: { using: string; main: string };
  inputs?: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs?: Record<string, { description: string }>;
}
const actionYml = (sub: string) => parse(readFileSync(path.join(ROOT, sub, "action.yml"), "utf8")) as ActionYml;

/** The input names a reader asks for, with values that pass its checks. */
function namesRead(read: (get: (n: string) => string) => unknown, values: Record<string, string>): string[] {
  const names = new Set<string>();
  read((n) => (names.add(n), values[n] ?? ""));
  return [...names].sort();
}

describe("sub-actions: each action.yml matches its code and its bundle", () => {
  it("are the folders the workflows and the harness know", () => {
    expect(subActions()).toEqual(["bump", "check-image", "publish-image"]);
  });

  it.each(["bump", "check-image", "publish-image"])("%s runs its committed bundle on node24, from the folder beside the root action.yml", (sub) => {
    const { runs } = actionYml(sub);
    expect(runs).toEqual({ using: "node24", main: `../dist/${sub}/index.js` });
    expect(existsSync(path.resolve(ROOT, sub, runs.main))).toBe(true);
  });

  it("bump/action.yml declares exactly the inputs the bump reads", () => {
    const read = namesRead((get) => readBumpInputs(get, { GITHUB_REF_NAME: "main" }, () => {}), { mode: "pull-request", "api-url": "http://x/api/v1", repository: "o/r", token: "t" });
    expect(Object.keys(actionYml("bump").inputs ?? {}).sort()).toEqual(read);
  });

  it("publish-image/action.yml declares exactly the inputs the publication reads", () => {
    const read = namesRead((get) => readPublishInputs(get, () => {}), { archive: "/a", image: "r.example/i" });
    expect(Object.keys(actionYml("publish-image").inputs ?? {}).sort()).toEqual(read);
  });

  it(`${SUB_ACTIONS_DOC}'s tables are the ones each action.yml renders (run: node scripts/readme-tables.mjs --write)`, () => {
    expect([...SUB_ACTIONS].sort()).toEqual(subActions());
    const doc = readFileSync(path.join(ROOT, SUB_ACTIONS_DOC), "utf8");
    for (const sub of SUB_ACTIONS) {
      const { begin, end } = subActionMarkers(sub);
      expect(doc, `${SUB_ACTIONS_DOC} has ${sub}'s block`).toContain(begin);
      const block = doc.slice(doc.indexOf(begin), doc.indexOf(end) + end.length);
      expect(block).toBe(renderSubActionTables(sub, readFileSync(path.join(ROOT, sub, "action.yml"), "utf8")));
    }
  });

  it("every input and output is described", () => {
    for (const sub of subActions()) {
      const a = actionYml(sub);
      for (const d of [...Object.values(a.inputs ?? {}), ...Object.values(a.outputs ?? {})]) expect(d.description.length).toBeGreaterThan(20);
    }
  });

  it("the reusable workflows pass only inputs the sub-actions have, and read only outputs they set", () => {
    for (const f of ["bump-nixpkgs.yml", "build-runner-image.yml"]) {
      const text = readFileSync(path.join(ROOT, ".gitea/workflows", f), "utf8");
      const wf = parse(text) as { jobs: Record<string, { steps: { id?: string; uses?: string; with?: Record<string, unknown> }[] }> };
      for (const step of Object.values(wf.jobs).flatMap((j) => j.steps)) {
        const sub = step.uses?.match(/^org\/nix-runner-action\/([^@]+)@v1$/)?.[1];
        if (!sub) continue;
        const a = actionYml(sub);
        for (const k of Object.keys(step.with ?? {})) expect(Object.keys(a.inputs ?? {}), `${f}: ${sub} has no input ${k}`).toContain(k);
        for (const [, out] of text.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([a-z-]+)`, "g"))) {
          expect(Object.keys(a.outputs ?? {}), `${f}: ${sub} has no output ${out}`).toContain(out);
        }
      }
    }
  });
});
