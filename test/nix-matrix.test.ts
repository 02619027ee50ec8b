import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BEGIN, END, RESULTS, type Results, TESTED_WITH_DOC, e2eTally, renderTestedWith, summaryLine, tally } from "../scripts/nix-matrix.mjs";
import { ROWS, rowName } from "./e2e/rows.js";
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

  it("the e2e column: the rows of the e2e's report per Nix major.minor, each with its checks; skipped rows and other tests left out", () => {
    const t = (row: string, status: string) => ({ ancestorTitles: [row], status });
    const report = {
      testResults: [
        {
          assertionResults: [
            t("harness self-check of the cache verification", "passed"),
            t("act/host/nix2.34/node24/good", "passed"),
            t("act/host/nix2.34/node24/good", "passed"),
            t("gitea-runner/debian/nix2.34/node20/auto-install-determinate", "passed"),
            t("gitea-runner/debian/nix2.34/node20/auto-install-determinate", "failed"),
            t("forgejo-standin/host/nix2.8/node20/bad", "skipped"),
            t("teardown", "passed"),
          ],
        },
      ],
    };
    const e2e = e2eTally(report);
    expect(e2e).toEqual([
      { row: "act/host/nix2.34/node24/good", passed: 2, failed: 0 },
      { row: "gitea-runner/debian/nix2.34/node20/auto-install-determinate", passed: 1, failed: 1 },
    ]);
    const empty = { files: 1, passed: 1, failed: 0, skipped: 0 };
    const block = renderTestedWith({ machine: "m", versions: [{ version: "2.34.8", areas: { setup: empty } }, { version: "2.26.3", areas: { setup: empty } }], e2e });
    expect(block).toContain("| 2.34.8 | ✅ 1/1 | not run | not run | ❌ 2 rows, 3/4 checks (act 1, Gitea 1, Forgejo stand-in 0, GitLab (gitlab-ci-local) 0): host, debian; good, auto-install-determinate |");
    expect(block).toContain("| 2.26.3 | ✅ 1/1 | not run | not run | not run |");
  });

  it("every e2e row's name is one the Tested-with table reads back", () => {
    for (const row of ROWS) expect(e2eTally({ testResults: [{ assertionResults: [{ ancestorTitles: [rowName(row)], status: "passed" }] }] })).toHaveLength(1);
  });

  it("docs/testing.md's Tested with table is the one the recorded results render (run: node scripts/nix-matrix.mjs record .ci-results)", () => {
    const results = JSON.parse(readFileSync(RESULTS, "utf8")) as Results;
    const readme = readFileSync(TESTED_WITH_DOC, "utf8");
    expect(readme.slice(readme.indexOf(BEGIN), readme.indexOf(END) + END.length)).toBe(renderTestedWith(results));
    // every version the matrix runs is recorded, each with what ran
    expect(results.versions.map((v) => v.version)).toEqual(["2.8.0", "2.26.3", "2.34.8"]);
    for (const v of results.versions) expect(Object.keys(v.areas).length).toBeGreaterThan(0);
    // and every e2e row, each with its checks
    expect(results.e2e.map((e) => e.row).sort()).toEqual(ROWS.map(rowName).sort());
  });
});
