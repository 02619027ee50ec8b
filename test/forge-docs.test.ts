// docs/testing.md lists the forge suite's runner overrides from the one list the suite applies
// (RUNNER_OVERRIDES), so a setting changed in the suite cannot go unsaid to users comparing it with
// the template. WRITE_DOCS=1 npx vitest run test/forge-docs.test.ts rewrites the block.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../scripts/lib/runner.mjs";
import { RUNNER_OVERRIDES } from "./forge/forge-runner.js";

const DOC = path.join(ROOT, "docs/testing.md");
const BEGIN = "<!-- forge overrides: generated from RUNNER_OVERRIDES in test/forge/forge-runner.ts -->";
const END = "<!-- end of forge overrides -->";

function render(): string {
  const rows = RUNNER_OVERRIDES.map((o) => `| \`${o.key}\` | ${o.why} |`);
  return [BEGIN, "| setting | why the suite changes it |", "|---|---|", ...rows, END].join("\n");
}

describe("docs/testing.md and the forge suite agree", () => {
  it("lists every runner setting the suite overrides, with its reason", () => {
    const doc = readFileSync(DOC, "utf8");
    const [start, end] = [doc.indexOf(BEGIN), doc.indexOf(END)];
    expect(start, `docs/testing.md lacks ${BEGIN}`).toBeGreaterThanOrEqual(0);
    if (process.env.WRITE_DOCS) writeFileSync(DOC, doc.slice(0, start) + render() + doc.slice(end + END.length));
    const now = readFileSync(DOC, "utf8");
    expect(now.slice(now.indexOf(BEGIN), now.indexOf(END) + END.length)).toBe(render());
    expect(RUNNER_OVERRIDES.length).toBeGreaterThan(0);
  });
});
