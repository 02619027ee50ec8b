import path from "node:path";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { describe, expect, it } from "vitest";
import { ROOT } from "../scripts/lib/runner.mjs";

// The layer rules of .dependency-cruiser.cjs (run by `npm run lint`), shown to fail: a fixture tree
// shaped like src/ breaks each rule once and keeps one allowed type-only import between features.
// Cruised in process, as `depcruise src --config .dependency-cruiser.cjs` does from `baseDir`: the
// library is loaded once for both trees instead of by a CLI run each.

const options = await extractDepcruiseOptions(path.join(ROOT, ".dependency-cruiser.cjs"));
const tsConfig = extractTSConfig(path.join(ROOT, "tsconfig.json"));

async function violations(baseDir: string): Promise<string[]> {
  const r = await cruise(["src"], { ...options, baseDir, validate: true }, {}, { tsConfig });
  const out = r.output as ICruiseResult;
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe("layer rules (depcruise)", () => {
  it("reject a cycle, an upward import, a feature using another, and a base importing a layer", async () => {
    expect(await violations(path.join(ROOT, "test/fixtures/layers"))).toEqual([
      "base-is-the-floor: src/base.ts -> src/nix/a.ts",
      "entries-are-top: src/steps/back.ts -> src/main.ts",
      "features-apart: src/push/p.ts -> src/detect/d.ts",
      "nix-is-a-leaf: src/nix/up.ts -> src/push/p.ts",
      "no-cycle: src/nix/a.ts -> src/nix/b.ts",
      "steps-are-below-entries-only: src/push/q.ts -> src/steps/run.ts",
    ]);
  });

  it("hold for the action's own src/", async () => {
    expect(await violations(ROOT)).toEqual([]);
  });
});
