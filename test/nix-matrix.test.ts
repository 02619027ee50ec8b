import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BEGIN, END, RESULTS, type Results, TESTED_WITH_DOC, e2eRows, renderTestedWith, summaryLine, tally } from "../scripts/nix-matrix.mjs";
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

  it("the e2e column: scripts/e2e.sh's CASES rows per Nix major.minor, comments and the header left out", () => {
    const text = "x=1\nCASES='\nrunner env nix node kind\nact host 2.8 20 good\n# a comment\ngitea debian 2.34 20 auto-install  # why\nact host 2.34 24 bad\n'\nset -u\n";
    const rows = e2eRows(text);
    expect(rows).toEqual([
      { runner: "act", env: "host", nix: "2.8", node: "20", kind: "good" },
      { runner: "gitea", env: "debian", nix: "2.34", node: "20", kind: "auto-install" },
      { runner: "act", env: "host", nix: "2.34", node: "24", kind: "bad" },
    ]);
    const empty = { files: 1, passed: 1, failed: 0, skipped: 0 };
    const block = renderTestedWith({ machine: "m", versions: [{ version: "2.34.8", areas: { setup: empty } }, { version: "2.26.3", areas: { setup: empty } }] }, rows);
    expect(block).toContain("| 2.34.8 | ✅ 1/1 | not run | not run | 2 rows (act 1, Gitea 1, Forgejo stand-in 0): debian, host; auto-install, bad |");
    expect(block).toContain("| 2.26.3 | ✅ 1/1 | not run | not run | not run |");
    expect(() => e2eRows("no table here")).toThrow(/CASES/);
    // the real script's table parses into rows of five columns
    for (const r of e2eRows()) expect(Object.values(r).every((v) => typeof v === "string" && v.length > 0)).toBe(true);
  });

  it("docs/testing.md's Tested with table is the one the recorded results render (run: node scripts/nix-matrix.mjs record .ci-results)", () => {
    const results = JSON.parse(readFileSync(RESULTS, "utf8")) as Results;
    const readme = readFileSync(TESTED_WITH_DOC, "utf8");
    expect(readme.slice(readme.indexOf(BEGIN), readme.indexOf(END) + END.length)).toBe(renderTestedWith(results));
    // every version the matrix runs is recorded, each with what ran
    expect(results.versions.map((v) => v.version)).toEqual(["2.8.0", "2.26.3", "2.34.8"]);
    for (const v of results.versions) expect(Object.keys(v.areas).length).toBeGreaterThan(0);
  });
});
