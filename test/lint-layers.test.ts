import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../scripts/lib/runner.mjs";

// The layer rules of .dependency-cruiser.cjs (run by `npm run lint`), shown to fail: a fixture tree
// shaped like src/ breaks each rule once and keeps one allowed type-only import between features.

const DEPCRUISE = path.join(ROOT, "node_modules/.bin/depcruise");

function violations(cwd: string): string[] {
  const r = spawnSync(
    DEPCRUISE,
    ["src", "--config", path.join(ROOT, ".dependency-cruiser.cjs"), "--ts-config", path.join(ROOT, "tsconfig.json"), "--output-type", "json"],
    { cwd, encoding: "utf8", timeout: 60_000 },
  );
  const out = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe("layer rules (depcruise)", () => {
  it("reject a cycle, an upward import, a feature using another, and a base importing a layer", () => {
    expect(violations(path.join(ROOT, "test/fixtures/layers"))).toEqual([
      "base-is-the-floor: src/base.ts -> src/nix/a.ts",
      "entries-are-top: src/steps/back.ts -> src/main.ts",
      "features-apart: src/push/p.ts -> src/detect/d.ts",
      "nix-is-a-leaf: src/nix/up.ts -> src/push/p.ts",
      "no-cycle: src/nix/a.ts -> src/nix/b.ts",
      "steps-are-below-entries-only: src/push/q.ts -> src/steps/run.ts",
    ]);
  });

  it("hold for the action's own src/", () => {
    expect(violations(ROOT)).toEqual([]);
  });
});
