// Which update command the bump picks for each Nix version: the built bump sub-action (dist/bump, what
// bump-nixpkgs.yml runs) as a runner runs it. Only Debian's Nix 2.8 exists on this machine (the
// workflow tests run it for real); newer versions cannot be installed offline, so here a recording
// `nix` stand-in on PATH reports a version and records the command it is given.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { git, ROOT, tempDir } from "./harness.js";

/** The bundle bump-nixpkgs.yml's bump step runs: the workflow's `uses:` → bump/action.yml → runs.main. */
function bumpBundle(): string {
  const wf = parseYaml(readFileSync(path.join(ROOT, ".gitea/workflows/bump-nixpkgs.yml"), "utf8")) as { jobs: { bump: { steps: { uses?: string }[] } } };
  const uses = wf.jobs.bump.steps.map((s) => s.uses).find((u) => u?.startsWith("org/nix-runner-action/"));
  if (!uses) throw new Error("bump-nixpkgs.yml has no step that uses a sub-action of org/nix-runner-action");
  const sub = uses.replace(/^org\/nix-runner-action\//, "").replace(/@.*$/, "");
  const action = parseYaml(readFileSync(path.join(ROOT, sub, "action.yml"), "utf8")) as { runs: { main: string } };
  return path.resolve(ROOT, sub, action.runs.main);
}

const dir = tempDir("gate");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runWith(versionLine: string, mode = "push", forge = "auto"): { code: number; calls: string[]; out: string } {
  const work = path.join(dir, `w-${Math.random().toString(36).slice(2)}`);
  const bin = path.join(work, "bin");
  mkdirSync(bin, { recursive: true });
  const calls = path.join(work, "calls");
  writeFileSync(calls, "");
  writeFileSync(
    path.join(bin, "nix"),
    `#!/bin/sh\nfor a; do [ "$a" = --version ] && { echo '${versionLine}'; exit 0; }; done\nprintf '%s\\n' "$*" >> '${calls}'\n`,
  );
  chmodSync(path.join(bin, "nix"), 0o755);
  const repo = path.join(work, "repo");
  mkdirSync(repo);
  git(repo, ["init", "-q", "-b", "main"]);
  writeFileSync(path.join(repo, "flake.lock"), '{"nodes":{"root":{}},"root":"root","version":7}\n');
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-q", "-m", "lock"]);
  const output = path.join(work, "output");
  writeFileSync(output, "");
  const inputs = { INPUT_INPUT: "nixpkgs", INPUT_MODE: mode, INPUT_FORGE: forge, "INPUT_BASE-BRANCH": "main" };
  const r = spawnSync(process.execPath, [bumpBundle()], {
    cwd: repo,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...inputs, GITHUB_WORKSPACE: repo, GITHUB_OUTPUT: output },
    encoding: "utf8",
  });
  return { code: r.status ?? 1, calls: readFileSync(calls, "utf8").split("\n").filter(Boolean), out: r.stdout + r.stderr };
}

describe("bump-nixpkgs.yml's bump picks the update command by what nix --version answers (newer Nix and Lix cannot exist here: recording nix stand-in)", () => {
  it.each([
    ["nix (Nix) 2.8.0", "flake lock --update-input nixpkgs"],
    ["nix (Nix) 2.18.1", "flake lock --update-input nixpkgs"],
    ["nix (Nix) 2.19.0", "flake update nixpkgs"],
    ["nix (Nix) 2.24.10", "flake update nixpkgs"],
    ["nix (Determinate Nix 3.6.2) 2.29.0", "flake update nixpkgs"],
    // Lix 2.94 forked from 2.18, but ported `nix flake update <input>` in 2.90
    ["nix (Lix, like Nix) 2.94.0", "flake update nixpkgs"],
  ])("%s → nix … %s", (versionLine, command) => {
    const r = runWith(versionLine);
    expect(r.code, r.out).toBe(0);
    expect(r.calls).toEqual([`--extra-experimental-features nix-command flakes ${command}`]);
    expect(r.out).toContain("flake.lock unchanged");
  });

  it("rejects an unknown mode or forge before touching the lock", () => {
    const badMode = runWith("nix (Nix) 2.8.0", "merge");
    expect(badMode.code).not.toBe(0);
    expect(badMode.out).toContain('mode must be push or pull-request (got "merge")');
    expect(badMode.calls).toEqual([]);
    const badForge = runWith("nix (Nix) 2.8.0", "push", "gitlab");
    expect(badForge.code).not.toBe(0);
    expect(badForge.out).toContain('forge must be auto, gitea or github (got "gitlab")');
    expect(badForge.calls).toEqual([]);
  });
});
