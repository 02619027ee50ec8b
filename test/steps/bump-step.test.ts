// The bump sub-action's step (src/steps/bump-step.ts) run in process from the sources by the step-io
// fixture, as a runner runs a step, in a real git clone of a bare remote, with a stand-in `nix` on PATH that writes the flake.lock a newer nixpkgs would give (no Nix
// needed here: the workflow tests run real Nix). Pull requests go to the recording forge on 127.0.0.1,
// standing in for the Gitea/Forgejo API. The built bundle is run by
// test/workflows/bump-version-gate.bundle.test.ts.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newJob } from "../../scripts/lib/runner.mjs";
import { runInProcess } from "../helpers/step-io.js";
import { startRecordingForge } from "../workflows/recording-forge.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "nra-bump-step-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOKEN = "tok-bump-step-secret";
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "f", GIT_AUTHOR_EMAIL: "f@x.invalid", GIT_COMMITTER_NAME: "f", GIT_COMMITTER_EMAIL: "f@x.invalid" };
const git = (cwd: string, args: string[]) => execFileSync("git", args, { cwd, env: gitEnv, encoding: "utf8" }).trim();

/** flake.lock with nixpkgs locked at `iso`. */
function lock(iso: string | undefined, rev: string): string {
  const locked = { type: "git", url: "file:///nixpkgs", rev, ...(iso ? { lastModified: Date.parse(iso) / 1000 } : {}) };
  return JSON.stringify({ nodes: { nixpkgs: { locked, original: { type: "git", url: "file:///nixpkgs" } }, root: { inputs: { nixpkgs: "nixpkgs" } } }, root: "root", version: 7 }, null, 2) + "\n";
}

let n = 0;
/** A bare remote with main holding flake.lock at 2026-01-15 and a nix stand-in; each run gets a fresh clone, as a checkout would. */
function fixture() {
  const base = path.join(dir, `case-${++n}`);
  const seed = path.join(base, "seed");
  mkdirSync(seed, { recursive: true });
  git(seed, ["init", "-q", "-b", "main"]);
  writeFileSync(path.join(seed, "flake.lock"), lock("2026-01-15T12:00:00Z", "a".repeat(40)));
  git(seed, ["add", "-A"]);
  git(seed, ["commit", "-q", "-m", "consumer"]);
  const remote = path.join(base, "remote.git");
  execFileSync("git", ["clone", "-q", "--bare", seed, remote]);
  let runs = 0;
  const bin = path.join(base, "bin");
  mkdirSync(bin);
  const calls = path.join(base, "nix-calls");
  writeFileSync(calls, "");
  const newLock = path.join(base, "new.lock");
  // --version answers like Nix 2.24; any other call is recorded and writes new.lock over flake.lock, if there is one
  writeFileSync(
    path.join(bin, "nix"),
    `#!/bin/sh\nfor a; do [ "$a" = --version ] && { echo 'nix (Nix) 2.24.0'; exit 0; }; done\nprintf '%s\\n' "$*" >> '${calls}'\n[ -f '${newLock}' ] && cp '${newLock}' flake.lock\nexit 0\n`,
  );
  chmodSync(path.join(bin, "nix"), 0o755);
  return {
    remote: (args: string[]) => git(remote, args),
    nixCalls: () => readFileSync(calls, "utf8").split("\n").filter(Boolean),
    upstreamAt: (iso: string | undefined, rev: string) => writeFileSync(newLock, lock(iso, rev)),
    run: async (inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) => {
      const work = path.join(base, `work-${++runs}`);
      execFileSync("git", ["clone", "-q", remote, work]);
      const job = newJob({ GITHUB_WORKSPACE: work, GITHUB_REF_NAME: "main", GITHUB_REPOSITORY: "acme/app", PATH: `${bin}:${process.env.PATH}`, ...env });
      const step = await runInProcess(job, "bump", { "author-name": "Bump Bot", "author-email": "bump@example.invalid", "bump-branch": "ci/bump-nixpkgs", ...inputs });
      return { ...step, head: () => git(work, ["rev-parse", "HEAD"]), commits: () => git(work, ["rev-list", "--count", "HEAD"]) };
    },
  };
}

describe("bump sub-action (from src, in process; nix stand-in; forge: recording server on 127.0.0.1)", () => {
  it("nothing changed: no commit, no push, no forge call, changed=false", async () => {
    const forge = await startRecordingForge([]);
    try {
      const f = fixture();
      const main = f.remote(["rev-parse", "main"]);
      const r = await f.run({ mode: "pull-request", "api-url": forge.url, token: TOKEN, forge: "gitea" });
      expect(r.code, r.log).toBe(0);
      expect(f.nixCalls()).toEqual(["--extra-experimental-features nix-command flakes flake update nixpkgs"]);
      expect(r.log).toContain("flake.lock unchanged: input nixpkgs is already at its newest revision; nothing to commit");
      expect(r.outputs).toEqual({ changed: "false" });
      expect(r.head()).toBe(main);
      expect(f.remote(["branch", "--list"])).toBe("* main");
      expect(forge.requests).toEqual([]);
    } finally {
      await forge.stop();
    }
  });

  it("push mode: commits the new lock as the bump author with the dated message and pushes it to the base branch", async () => {
    const f = fixture();
    const before = f.remote(["rev-parse", "main"]);
    f.upstreamAt("2026-03-02T08:00:00Z", "b".repeat(40));
    const r = await f.run({ mode: "push" });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toEqual({ changed: "true", date: "20260302" });
    expect(f.remote(["log", "-1", "--format=%s|%an <%ae>|%cn <%ce>", "main"])).toBe("chore(ci): Update nixos to 20260302|Bump Bot <bump@example.invalid>|Bump Bot <bump@example.invalid>");
    expect(f.remote(["rev-parse", "main~1"])).toBe(before);
    expect(f.remote(["diff", "--name-only", "main~1", "main"])).toBe("flake.lock");
    expect(r.log).toContain("nixpkgs is now at 20260302");
    expect(r.log).toContain("pushed to main");
  });

  it("pull-request mode: pushes the bump branch, opens the PR, then updates that PR; the token never shows", async () => {
    const forge = await startRecordingForge([{ id: 9, name: "nix" }]);
    try {
      const f = fixture();
      const main = f.remote(["rev-parse", "main"]);
      f.upstreamAt("2026-03-02T08:00:00Z", "b".repeat(40));
      const inputs = { mode: "pull-request", "api-url": forge.url, token: TOKEN, forge: "gitea", labels: "nix, missing" };
      const first = await f.run(inputs);
      expect(first.code, first.log).toBe(0);
      expect(first.outputs).toEqual({ changed: "true", date: "20260302", "pull-request": "41" });
      expect(f.remote(["rev-parse", "main"])).toBe(main);
      expect(f.remote(["rev-parse", "ci/bump-nixpkgs~1"])).toBe(main);
      expect(first.log).toContain("opened pull request #41: chore(ci): Update nixos to 20260302");
      expect(first.log).toContain('::warning::label "missing" does not exist in acme/app nor in the acme organisation; create it or drop it from the labels input');
      expect(forge.pulls[0].labels).toEqual([9]);
      // masked by the runner (the ::add-mask:: line), and in no other line
      expect(first.raw).toContain(`::add-mask::${TOKEN}`);
      expect(first.log).not.toContain(TOKEN);

      f.upstreamAt("2026-04-10T09:00:00Z", "c".repeat(40));
      const second = await f.run(inputs);
      expect(second.code, second.log).toBe(0);
      expect(second.log).toContain("updated pull request #41: chore(ci): Update nixos to 20260410");
      expect(forge.pulls).toHaveLength(1);
      expect(f.remote(["log", "-1", "--format=%s", "ci/bump-nixpkgs"])).toBe("chore(ci): Update nixos to 20260410");
      expect(f.remote(["rev-list", "--count", "main..ci/bump-nixpkgs"])).toBe("1");
    } finally {
      await forge.stop();
    }
  });

  it("a new lock without a date for the input fails, naming it, and commits nothing", async () => {
    const f = fixture();
    const before = f.remote(["rev-parse", "main"]);
    f.upstreamAt(undefined, "d".repeat(40));
    const r = await f.run({ mode: "push" });
    expect(r.code).toBe(1);
    expect(r.log).toMatch(
      /::error::Could not understand the answer of 'nix flake (?:update|lock --update-input) nixpkgs' \(Nix [^)]+\): the flake\.lock it wrote has no locked\.lastModified for input nixpkgs; nothing was committed or pushed/,
    );
    expect(f.remote(["rev-parse", "main"])).toBe(before);
    expect(r.commits()).toBe("1");
  });
});

describe("bump sub-action's inputs (from src, in process)", () => {
  it("bad inputs fail the step naming each input, before nix runs or anything is committed; the token is masked", async () => {
    const f = fixture();
    const before = f.remote(["rev-parse", "main"]);
    f.upstreamAt("2026-03-02T08:00:00Z", "b".repeat(40));
    const r = await f.run({ mode: "merge", forge: "gitlab", token: TOKEN });
    expect(r.code).toBe(1);
    expect(r.log).toContain('::error::mode must be push or pull-request (got "merge")%0Aforge must be auto, gitea or github (got "gitlab")');
    expect(r.raw).toContain(`::add-mask::${TOKEN}`);
    expect(r.log).not.toContain(TOKEN);
    expect(r.outputs).toEqual({});
    expect(f.nixCalls()).toEqual([]);
    expect(r.commits()).toBe("1");
    expect(f.remote(["rev-parse", "main"])).toBe(before);
  });

  it("pull-request mode without repository, API URL or token names all three", async () => {
    const f = fixture();
    const r = await f.run({ mode: "pull-request", repository: "not-a-repo", "api-url": "", token: "" }, { GITHUB_REPOSITORY: "" });
    expect(r.code).toBe(1);
    expect(r.log).toContain('::error::repository must be owner/repo (got "not-a-repo")%0Ano forge API URL: set the api-url input%0Ano token: pass the token secret');
    expect(f.nixCalls()).toEqual([]);
  });
});
