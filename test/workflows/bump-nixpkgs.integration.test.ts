// The bump workflow under each runner (act, Gitea's, the Forgejo stand-in; host mode, offline) with
// real Nix and real git: a fixture nixpkgs repo with dated commits, a consumer repo cloned from a
// bare remote. Pull-request mode talks to a recording HTTP server on 127.0.0.1 standing in for
// GitHub's API (the only thing mocked); Gitea's pulls API is proven for real by test/forge/.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ActionCopy,
  actionCopy,
  commitAt,
  copyReusableWorkflows,
  ensureRunners,
  fakeNixpkgs,
  git,
  nixEnv,
  ROOT,
  type RunOptions,
  RUNNERS,
  runWorkflow,
  tempDir,
} from "./harness.js";
import { startRecordingForge } from "./recording-forge.js";

const FIXTURE = path.join(ROOT, "test/fixtures/workflows/bump-repo");
const dirs: string[] = [];
beforeAll(() => ensureRunners(), 900_000);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Fixture {
  nixpkgs: string;
  remote: string;
  action: ActionCopy;
  /** A fresh clone of the remote, as a runner's checkout would see it. */
  clone: () => string;
  /** A new nixpkgs commit dated `iso`; returns its rev. */
  advanceNixpkgs: (iso: string) => string;
  remoteGit: (args: string[]) => string;
}

function fixture(): Fixture {
  const dir = tempDir("bump");
  dirs.push(dir);
  const nixpkgs = fakeNixpkgs(path.join(dir, "nixpkgs"), "2026-01-15T12:00:00Z");
  const seed = path.join(dir, "seed");
  mkdirSync(path.join(seed, ".gitea/workflows"), { recursive: true });
  git(seed, ["init", "-q", "-b", "main"]);
  writeFileSync(path.join(seed, "flake.nix"), readFileSync(path.join(FIXTURE, "flake.nix.in"), "utf8").replace("@NIXPKGS_URL@", `git+file://${nixpkgs}`));
  cpSync(path.join(FIXTURE, "caller.yml"), path.join(seed, ".gitea/workflows/bump.yml"));
  copyReusableWorkflows(seed);
  git(seed, ["add", "-A"]);
  execFileSync("nix", ["flake", "lock"], { cwd: seed, env: nixEnv(), stdio: "ignore" });
  commitAt(seed, "consumer repo", "2026-02-01T00:00:00Z");
  const remote = path.join(dir, "remote.git");
  execFileSync("git", ["clone", "-q", "--bare", seed, remote]);
  let n = 0;
  return {
    nixpkgs,
    remote,
    action: actionCopy(path.join(dir, "action")),
    clone: () => {
      const work = path.join(dir, `work-${++n}`);
      execFileSync("git", ["clone", "-q", remote, work]);
      return work;
    },
    advanceNixpkgs: (iso) => {
      writeFileSync(path.join(nixpkgs, "default.nix"), `{ release = "${iso}"; }\n`);
      return commitAt(nixpkgs, `nixpkgs at ${iso}`, iso);
    },
    remoteGit: (args) => git(remote, args),
  };
}

function lockedRev(lockText: string): string {
  const lock = JSON.parse(lockText) as { nodes: Record<string, { locked?: { rev?: string } }> };
  return lock.nodes.nixpkgs.locked?.rev ?? "";
}

describe.each(RUNNERS)("bump-nixpkgs.yml under %s", (runner) => {
  const bump = (repo: string, o: RunOptions) => runWorkflow(runner, repo, o);

  describe("push mode", () => {
    it("commits the new lock with the dated message and pushes it; a second run changes nothing", async () => {
      const f = fixture();
      const before = f.remoteGit(["rev-parse", "main"]);
      const newRev = f.advanceNixpkgs("2026-03-02T08:00:00Z");

      const first = await bump(f.clone(), { event: "workflow_dispatch", workflow: ".gitea/workflows/bump.yml", action: f.action, vars: { BUMP_MODE: "push" } });
      expect(first.code, first.log).toBe(0);
      // The action ran, from the copy, and knew which runner's forge it was on.
      expect(first.log).toContain(`::set-output:: platform=${runner}`);
      expect(f.remoteGit(["log", "-1", "--format=%s|%an <%ae>|%cn", "main"])).toBe("chore(ci): Update nixos to 20260302|Bump Bot <bump@example.invalid>|Bump Bot");
      expect(f.remoteGit(["rev-parse", "main~1"])).toBe(before);
      expect(f.remoteGit(["diff", "--name-only", "main~1", "main"])).toBe("flake.lock");
      expect(lockedRev(f.remoteGit(["show", "main:flake.lock"]))).toBe(newRev);
      expect(first.log).toContain("bump changed=true date=20260302");

      const after = f.remoteGit(["rev-parse", "main"]);
      const second = await bump(f.clone(), { event: "workflow_dispatch", workflow: ".gitea/workflows/bump.yml", action: f.action, vars: { BUMP_MODE: "push" } });
      expect(second.code, second.log).toBe(0);
      expect(second.log).toContain("flake.lock unchanged: input nixpkgs is already at its newest revision; nothing to commit");
      expect(second.log).toContain("bump changed=false");
      expect(f.remoteGit(["rev-parse", "main"])).toBe(after);
      expect(f.remoteGit(["branch", "--list"]).split("\n").map((s) => s.replace(/^[* ]+/, ""))).toEqual(["main"]);
    });
  });

  describe("run from another branch", () => {
    it("starts from base-branch, so a feature branch's commits never reach it", async () => {
      const f = fixture();
      const before = f.remoteGit(["rev-parse", "main"]);
      f.advanceNixpkgs("2026-03-05T08:00:00Z");
      const work = f.clone();
      git(work, ["checkout", "-q", "-b", "feature"]);
      writeFileSync(path.join(work, "feature.txt"), "work in progress\n");
      git(work, ["add", "feature.txt"]);
      commitAt(work, "feature work", "2026-03-04T00:00:00Z");

      const r = await bump(work, { event: "workflow_dispatch", workflow: ".gitea/workflows/bump.yml", action: f.action, vars: { BUMP_MODE: "push", BASE_BRANCH: "main" } });
      expect(r.code, r.log).toBe(0);
      expect(r.log).toContain("Checked out feature; switching to the tip of main");
      expect(f.remoteGit(["log", "-1", "--format=%s", "main"])).toBe("chore(ci): Update nixos to 20260305");
      expect(f.remoteGit(["rev-parse", "main~1"])).toBe(before);
      expect(f.remoteGit(["diff", "--name-only", "main~1", "main"])).toBe("flake.lock");
    });
  });

  // Gitea's and Forgejo's pulls API is proven on a real Gitea (test/forge/: the labelled PR opened,
  // updated, left alone); label paging and organisation labels by the client's unit tests
  // (test/bump/forge.test.ts). What cannot run here is GitHub's API: a recording server stands in.
  describe("pull-request mode (GitHub's API: a recording server on 127.0.0.1 stands in)", () => {
    const token = `tok-${Math.random().toString(36).slice(2)}`;

    it("GitHub API: opens the PR and adds labels by name", async () => {
      const forge = await startRecordingForge([]);
      try {
        const f = fixture();
        f.advanceNixpkgs("2026-03-02T08:00:00Z");
        const run = await bump(f.clone(), {
          event: "workflow_dispatch",
          workflow: ".gitea/workflows/bump.yml",
          action: f.action,
          vars: { BUMP_MODE: "pull-request", API_URL: forge.url, FORGE: "github" },
          secrets: { FORGE_TOKEN: token },
          reach: [forge.port],
        });
        expect(run.code, run.log).toBe(0);
        expect(forge.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
          "GET /api/v1/repos/acme/app/pulls",
          "POST /api/v1/repos/acme/app/pulls",
          "POST /api/v1/repos/acme/app/issues/41/labels",
        ]);
        expect(forge.requests[2].body).toEqual({ labels: ["dependencies", "nix", "no-such-label"] });
      } finally {
        await forge.stop();
      }
    });

    it("makes no API call and no commit when the lock is already current", async () => {
      const forge = await startRecordingForge([]);
      try {
        const f = fixture();
        const run = await bump(f.clone(), {
          event: "workflow_dispatch",
          workflow: ".gitea/workflows/bump.yml",
          action: f.action,
          vars: { BUMP_MODE: "pull-request", API_URL: forge.url, FORGE: "github" },
          secrets: { FORGE_TOKEN: token },
          reach: [forge.port],
        });
        expect(run.code, run.log).toBe(0);
        expect(run.log).toContain("flake.lock unchanged: input nixpkgs is already at its newest revision; nothing to commit");
        expect(forge.requests).toEqual([]);
        expect(f.remoteGit(["branch", "--list", "ci/bump-nixpkgs"])).toBe("");
      } finally {
        await forge.stop();
      }
    });
  });
});
