// scripts/install-runners.mjs as the e2e reads it ("NAME PATH" per runner) and the workflow tests
// call it: runners already in the tools folder are reused, with no build. Building them (the Go
// module proxy) is what the workflow tests and the e2e do on a machine without them.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RUNNER_MODULES, installRunners } from "../../scripts/install-runners.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";

const CLI = path.join(ROOT, "scripts/install-runners.mjs");
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 });

/** A tools folder holding an executable for every runner. */
function installed(): string {
  const tools = tempDir("nra-runners-");
  for (const [name, { binary }] of Object.entries(RUNNER_MODULES)) {
    mkdirSync(path.join(tools, name, "bin"), { recursive: true });
    writeFileSync(path.join(tools, name, "bin", binary), "#!/bin/sh\n");
    chmodSync(path.join(tools, name, "bin", binary), 0o755);
  }
  return tools;
}

describe("install-runners.mjs", () => {
  it("reuses the runners there: one NAME PATH line each, and no build (no build log)", () => {
    const tools = installed();
    const r = cli("--tools", tools);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`act ${path.join(tools, "act/bin/act")}\ngitea ${path.join(tools, "gitea/bin/runner")}\n`);
    for (const name of Object.keys(RUNNER_MODULES)) expect(existsSync(path.join(tools, `${name}.log`)), name).toBe(false);
  });

  it("as a function: the same runners and paths", () => {
    const tools = installed();
    expect(installRunners({ tools })).toEqual([
      { name: "act", bin: path.join(tools, "act/bin/act") },
      { name: "gitea", bin: path.join(tools, "gitea/bin/runner") },
    ]);
  });

  it("an argument other than --tools DIR is a usage error", () => {
    for (const args of [["--tools"], ["extra"], ["--tools", "a", "b"]]) {
      const r = cli(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("usage: install-runners.mjs [--tools DIR]");
    }
  });
});
