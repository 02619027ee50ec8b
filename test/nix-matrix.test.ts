import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BEGIN, END, RESULTS, type Results, renderTestedWith, summaryLine, tally } from "../scripts/nix-matrix.mjs";
import { ROOT } from "../scripts/lib/runner.mjs";

const file = (rel: string, statuses: string[], status = "passed") => ({
  name: path.join(ROOT, rel),
  status,
  endTime: 5_000,
  assertionResults: statuses.map((s) => ({ status: s })),
});

describe("the Nix matrix's reports", () => {
  it("tally: counts per area by the test file's folder; a file that failed to load counts as a failure", () => {
    const t = tally({
      startTime: 1_000,
      testResults: [
        file("test/push/s3-cache.integration.test.ts", ["passed", "skipped"]),
        file("test/push/daemon.integration.test.ts", ["failed", "passed"], "failed"),
        file("test/keys.integration.test.ts", ["passed"]),
        file("test/install/install-bundle.integration.test.ts", [], "failed"),
      ],
    });
    expect(t.areas).toEqual({
      push: { files: 2, passed: 2, failed: 1, skipped: 1 },
      setup: { files: 2, passed: 1, failed: 1, skipped: 0 },
    });
    // in the areas' order, not the order the shuffled files ran in: results.json compares as text
    expect(Object.keys(t.areas)).toEqual(["setup", "push"]);
    expect(t.seconds).toBe(4);
    expect(summaryLine({ version: "2.34.8", ...t })).toBe("nix-matrix: Nix 2.34.8: 3 passed, 2 failed, 1 skipped in 4 files (setup, push), 4 s");
  });

  it("README's Tested with table is the one the recorded results render (run: node scripts/nix-matrix.mjs record .ci-results)", () => {
    const results = JSON.parse(readFileSync(RESULTS, "utf8")) as Results;
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme.slice(readme.indexOf(BEGIN), readme.indexOf(END) + END.length)).toBe(renderTestedWith(results));
    // every version the matrix runs is recorded, each with what ran
    expect(results.versions.map((v) => v.version)).toEqual(["2.8.0", "2.26.3", "2.34.8"]);
    for (const v of results.versions) expect(Object.keys(v.areas).length).toBeGreaterThan(0);
  });
});
