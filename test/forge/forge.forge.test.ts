// The forge suite: the shipped templates and reusable workflows on a real Gitea 1.27 (127.0.0.1),
// run by Gitea's runner registered in daemon mode under the templates' labels (host and docker
// mode), with `uses:` resolved by Gitea from the action mirrored on it at v1. Every result, job log
// and output is read back through Gitea's API. See docs/testing.md for what is real and what stands in.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopPids } from "../../scripts/lib/process.mjs";
import { generateKey, narinfos, trivialDrv } from "../../scripts/lib/nix.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";
import { forgeContainers, podmanEnv } from "./forge-runner.js";
import { callerTree, CALLER_OWNER, type Forge, localJobImage, NIX_CONF, startForge, template } from "./forge.js";
import { branchAt, createRepo, git, MIRROR_OWNER, pushTree, rewriteUses, runs, waitRun } from "./repos.js";

const FLAKE = readFileSync(path.join(ROOT, "test/fixtures/forge/flake/flake.nix.in"), "utf8");
const nixEnv = { ...process.env, NIX_CONFIG: NIX_CONF };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The processes of this machine: pid, command line, working folder. */
function processes(): { pid: number; cmdline: string; cwd: string }[] {
  const out: { pid: number; cmdline: string; cwd: string }[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmdline = readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0").join(" ");
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${e}/cwd`);
      } catch {
        /* gone, or a kernel thread */
      }
      out.push({ pid: Number(e), cmdline, cwd });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** Processes of a host-mode job: working in the runner's work folder, or naming the cache. */
function jobProcesses(runnerDir: string, cache: string): string[] {
  return processes()
    .filter((p) => p.pid !== process.pid && (p.cwd.startsWith(path.join(runnerDir, "work")) || p.cmdline.includes(cache)))
    .map((p) => `${p.pid} ${p.cmdline}`);
}

/**
 * Cancels a run the way the web UI does (Gitea 1.27's API has no cancel endpoint: routers/api/v1
 * has rerun and delete only): signs in with the admin's password for a session, then posts to
 * /{owner}/{repo}/actions/runs/{id}/cancel.
 */
async function cancelRun(f: Forge, repo: string, id: number): Promise<void> {
  const login = await fetch(`${f.gitea.url}/user/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user_name: f.gitea.admin.name, password: f.gitea.admin.password }).toString(),
  });
  // the sign-in renews the session: of a cookie set twice, the last one counts
  const jar = new Map(login.headers.getSetCookie().map((c) => c.split(";")[0].split("=") as [string, string]));
  const cookies = [...jar].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join("; ");
  expect(login.status, await login.text()).toBe(303);
  // a failed sign-in redirects back to the form; a good one elsewhere
  expect(login.headers.get("location") ?? "").not.toContain("/user/login");
  const r = await fetch(`${f.gitea.url}/${repo}/actions/runs/${id}/cancel`, { method: "POST", redirect: "manual", headers: { Cookie: cookies } });
  expect(r.status, `${await r.text()} (cookies: ${cookies.replace(/=[^;]+/g, "=…")}, sign-in went to ${login.headers.get("location")})`).toBeLessThan(400);
}

/** The manifest digest of a tag on the forge's registry (none: ""). */
function inspectDigest(f: Forge, ref: string): string {
  const r = spawnSync("skopeo", ["inspect", "--tls-verify=false", "--authfile", f.authfile, "--format", "{{.Digest}}", `docker://${ref}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "";
}

/** The forge's job containers once the runner cleaned up (bounded wait: it removes them as the job ends). */
async function containersGone(): Promise<string[]> {
  let left = forgeContainers();
  for (let i = 0; i < 30 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    left = forgeContainers();
  }
  return left;
}

/** The label a case runs on, and what it is on the runner (from the template). */
const LABELS = [
  { label: "native-nix", mode: "host" },
  { label: "nix", mode: "docker" },
] as const;

/** Replaces `from` in `text`, failing when the template no longer has it (the suite must follow the template). */
function must(text: string, from: string | RegExp, to: string): string {
  expect(text).toMatch(from);
  return text.replace(from, to);
}

/** The nix-build.yml template as a user fills it in: their mirror, their label, their cache and key. */
function nixBuildWorkflow(f: Forge, label: string, cacheUrl: string, publicKey: string): string {
  let t = rewriteUses(template("nix-build.yml"), f.gitea, f.form);
  t = must(t, /runs-on: nix\n/, `runs-on: ${label}\n`);
  t = must(t, "substituters: https://cache.example.com", `substituters: ${cacheUrl}`);
  t = must(t, "'https://cache.example.com'", `'${cacheUrl}'`);
  t = must(t, "cache.example.com-1:REPLACE_WITH_YOUR_CACHE_PUBLIC_KEY=", publicKey);
  return t;
}

/** The store path the fixture flake's default package has (evaluated by the host's Nix, as the job's must). */
function outPath(dir: string): string {
  return execFileSync("nix", ["eval", "--raw", `path:${dir}#packages.x86_64-linux.default.outPath`], { env: nixEnv, encoding: "utf8" }).trim();
}

function verify(cache: string, publicKey: string, storePath: string) {
  return spawnSync("nix", ["store", "verify", "--store", `file://${cache}`, "--trusted-public-keys", publicKey, "-r", storePath], {
    env: nixEnv,
    encoding: "utf8",
  });
}

describe("on Gitea 1.27 with DEFAULT_ACTIONS_URL=self (uses: nra/nix-runner-action@v1), host and docker labels", () => {
  let f: Forge;
  beforeAll(async () => {
    f = await startForge({ form: "short", docker: true });
  }, 1_800_000);
  afterAll(async () => {
    await f?.stop();
  }, 120_000);

  it("the mirror is the action as released: reusable workflows only, its own queue no job", async () => {
    expect(f.dropped.length).toBeGreaterThan(0);
    expect(f.dropped.every((w) => w.startsWith("e2e"))).toBe(true);
    expect(await runs(f.gitea, "nra/nix-runner-action")).toEqual([]);
  });

  it("the runner declared the template's labels to Gitea (the job image on this Gitea's registry)", async () => {
    const { runners } = await f.gitea.api<{ runners: { name: string; labels: { name: string }[] }[] }>("GET", "/admin/actions/runners");
    const me = runners.find((r) => r.name === f.runner.name);
    expect(me?.labels.map((l) => l.name).sort()).toEqual(["native-nix", "nix"]);
    expect(f.runner.labels).toContain(`nix:docker://${f.gitea.host}/nra/nix-runner:latest`);
  });

  describe.each(LABELS)("runs-on: $label ($mode mode)", ({ label, mode }) => {
    it(
      "nix-build.yml: builds the flake, pushes it signed to the file:// cache, `nix store verify` accepts it",
      async () => {
        const repo = `build-${label}`;
        const cache = path.join(f.caches, repo);
        mkdirSync(cache);
        const key = generateKey(`forge-${label}-1`, tempDir("nra-forge-key-"));
        const tree = callerTree({
          "flake.nix": FLAKE.replaceAll("@SALT@", `${label}-${process.pid}-${Date.now()}`),
          ".gitea/workflows/nix.yml": nixBuildWorkflow(f, label, `file://${cache}`, key.pub),
        });
        await createRepo(f.gitea, CALLER_OWNER, repo);
        await f.gitea.api("PUT", `/repos/${CALLER_OWNER}/${repo}/actions/secrets/NIX_SIGNING_KEY`, { data: key.secret });
        const sha = pushTree(f.gitea, CALLER_OWNER, repo, tree);
        const { run, jobs } = await waitRun(f.gitea, `${CALLER_OWNER}/${repo}`, (r) => r.head_sha === sha, 600_000);
        const job = jobs[0];
        expect(run.conclusion, job.log.slice(-6000)).toBe("success");
        expect(job.runner_name).toBe(f.runner.name);
        expect(job.labels).toEqual([label]);
        if (mode === "docker") {
          expect(job.log).toContain(`docker pull image=${f.gitea.host}/nra/nix-runner:latest`);
          expect(await containersGone()).toEqual([]);
        }
        expect(job.log).toContain("checkout (STAND-IN)");
        const out = outPath(tree);
        expect(readdirSync(cache).filter((n) => n.endsWith(".narinfo")).length).toBeGreaterThanOrEqual(2);
        const v = verify(cache, key.pub, out);
        expect(v.status, v.stderr).toBe(0);
        // a key that did not sign it is refused: the check can fail
        const other = generateKey("forge-other-1");
        expect(verify(cache, other.pub, out).status).not.toBe(0);
        console.log(`[forge] nix-build ${label}: run ${run.id} ${run.conclusion}\n${job.log.split("\n").filter((l) => /push|cache|sign/i.test(l)).slice(0, 12).join("\n")}`);
      },
      900_000,
    );

    it("a bad input: the job fails, its log names the input, the next step does not run", async () => {
      const repo = `bad-input-${label}`;
      const tree = callerTree({
        ".gitea/workflows/bad.yml": rewriteUses(
          [
            "name: bad input",
            "on: push",
            "jobs:",
            "  bad:",
            `    runs-on: ${label}`,
            "    steps:",
            "      - uses: org/nix-runner-action@v1",
            "        with:",
            "          mode: imgae",
            '      - run: echo "next-step-$((40 + 2))"',
            "",
          ].join("\n"),
          f.gitea,
          f.form,
        ),
      });
      await createRepo(f.gitea, CALLER_OWNER, repo);
      const sha = pushTree(f.gitea, CALLER_OWNER, repo, tree);
      const { run, jobs } = await waitRun(f.gitea, `${CALLER_OWNER}/${repo}`, (r) => r.head_sha === sha, 600_000);
      const job = jobs[0];
      expect(run.conclusion).toBe("failure");
      expect(job.log).toMatch(/mode must be one of auto, image, native, install \(got "imgae"\)/);
      expect(job.log).not.toContain("next-step-42");
      console.log(`[forge] bad input ${label}: run ${run.id} ${run.conclusion}: ${job.log.split("\n").find((l) => l.includes("mode must be"))}`);
    }, 600_000);
  });
  describe("bump-nixpkgs.yml called from another owner's repository (workflow_dispatch, the job token alone)", () => {
    const app = `${CALLER_OWNER}/bump-app`;
    let nixpkgs: string;
    let tree: string;
    /** A new commit of the nixpkgs stand-in on this Gitea, dated `iso`; returns its rev. */
    const advanceNixpkgs = (iso: string): string => {
      writeFileSync(path.join(nixpkgs, "default.nix"), `{ release = "${iso}"; }\n`);
      git(nixpkgs, ["add", "-A"]);
      git(nixpkgs, ["commit", "-q", "-m", `nixpkgs at ${iso}`], { GIT_AUTHOR_DATE: iso, GIT_COMMITTER_DATE: iso });
      return pushTree(f.gitea, MIRROR_OWNER, "nixpkgs", nixpkgs);
    };
    const openPulls = () => f.gitea.api<{ number: number; title: string; head: { ref: string; sha: string }; base: { ref: string }; labels: { name: string }[] }[]>("GET", `/repos/${app}/pulls?state=open`);
    /** Dispatches `workflow` on main and waits for its run. */
    const dispatch = async (workflow: string) => {
      const before = new Set((await runs(f.gitea, app)).map((r) => r.id));
      await f.gitea.api("POST", `/repos/${app}/actions/workflows/${workflow}/dispatches`, { ref: "main", inputs: { mode: "pull-request" } });
      return waitRun(f.gitea, app, (r) => !before.has(r.id) && r.path.startsWith(workflow), 600_000);
    };
    const logOf = (r: Awaited<ReturnType<typeof dispatch>>) => r.jobs.map((j) => j.log).join("\n");

    beforeAll(async () => {
      // nixpkgs: a repository on this Gitea with dated commits (the real one is out of reach)
      nixpkgs = callerTree({ "default.nix": "{ }\n" });
      git(nixpkgs, ["commit", "-q", "--amend", "-m", "nixpkgs fixture"], { GIT_AUTHOR_DATE: "2026-01-15T12:00:00Z", GIT_COMMITTER_DATE: "2026-01-15T12:00:00Z" });
      await createRepo(f.gitea, MIRROR_OWNER, "nixpkgs");
      pushTree(f.gitea, MIRROR_OWNER, "nixpkgs", nixpkgs);
      const caller = rewriteUses(template("bump-nixpkgs.yml"), f.gitea, f.form);
      expect(caller).toContain("uses: nra/nix-runner-action/.gitea/workflows/bump-nixpkgs.yml@v1");
      // the same caller with a read-only job token: the bump must fail, and say why
      const readOnly = must(caller, /permissions:\n  contents: write\n  pull-requests: write\n/, "permissions:\n  contents: read\n");
      tree = callerTree({
        "flake.nix": readFileSync(path.join(ROOT, "test/fixtures/workflows/bump-repo/flake.nix.in"), "utf8").replace("@NIXPKGS_URL@", `git+${f.gitea.url}/${MIRROR_OWNER}/nixpkgs?ref=main`),
        ".gitea/workflows/bump.yml": caller,
        ".gitea/workflows/bump-read-only.yml": readOnly.replace("name: bump nixpkgs", "name: bump nixpkgs (read-only token)"),
        // the reusable workflow's steps as one job of the caller's own, under the same read-only block
        ".gitea/workflows/bump-direct-read-only.yml": rewriteUses(
          [
            "name: bump nixpkgs (direct job, read-only token)",
            "on: workflow_dispatch",
            "permissions:",
            "  contents: read",
            "jobs:",
            "  bump:",
            "    runs-on: native-nix",
            "    steps:",
            "      - uses: actions/checkout@v4",
            "      - uses: org/nix-runner-action@v1",
            "      - uses: org/nix-runner-action/bump@v1",
            "        with:",
            "          labels: dependencies",
            "          base-branch: main",
            "",
          ].join("\n"),
          f.gitea,
          f.form,
        ),
      });
      execFileSync("nix", ["flake", "lock"], { cwd: tree, env: nixEnv, stdio: "ignore" });
      git(tree, ["add", "-A"]);
      git(tree, ["commit", "-q", "-m", "consumer with a locked nixpkgs"]);
      await createRepo(f.gitea, CALLER_OWNER, "bump-app");
      await f.gitea.api("POST", `/repos/${app}/labels`, { name: "dependencies", color: "#0366d6" });
      await branchAt(f.gitea, app, "main", pushTree(f.gitea, CALLER_OWNER, "bump-app", tree));
    }, 300_000);

    it("opens a labelled pull request, updates it on the next bump, does nothing when the lock did not change", async () => {
      advanceNixpkgs("2026-03-02T08:00:00Z");
      const first = await dispatch("bump.yml");
      expect(first.run.conclusion, logOf(first).slice(-6000)).toBe("success");
      expect(first.run.event).toBe("workflow_dispatch");
      let pulls = await openPulls();
      expect(pulls.map((p) => [p.title, p.head.ref, p.base.ref, p.labels.map((l) => l.name)])).toEqual([
        ["chore(ci): Update nixos to 20260302", "ci/bump-nixpkgs", "main", ["dependencies"]],
      ]);
      const number = pulls[0].number;
      const firstHead = pulls[0].head.sha;

      advanceNixpkgs("2026-04-10T08:00:00Z");
      const second = await dispatch("bump.yml");
      expect(second.run.conclusion, logOf(second).slice(-6000)).toBe("success");
      pulls = await openPulls();
      expect(pulls.map((p) => [p.number, p.title])).toEqual([[number, "chore(ci): Update nixos to 20260410"]]);
      expect(pulls[0].head.sha).not.toBe(firstHead);
      const secondHead = pulls[0].head.sha;

      // nixpkgs did not move: the bump branch already carries this lock, nothing is pushed
      const third = await dispatch("bump.yml");
      expect(third.run.conclusion, logOf(third).slice(-6000)).toBe("success");
      expect(logOf(third)).toContain("ci/bump-nixpkgs already carries this flake.lock on top of main; not pushing it again");
      pulls = await openPulls();
      expect(pulls.map((p) => [p.number, p.head.sha])).toEqual([[number, secondHead]]);

      // once merged, the lock on main is the newest: no commit, no pull request
      await f.gitea.api("POST", `/repos/${app}/pulls/${number}/merge`, { Do: "merge" });
      const mainAfterMerge = (await f.gitea.api<{ merge_commit_sha: string }>("GET", `/repos/${app}/pulls/${number}`)).merge_commit_sha;
      await branchAt(f.gitea, app, "main", mainAfterMerge);
      const fourth = await dispatch("bump.yml");
      expect(fourth.run.conclusion, logOf(fourth).slice(-6000)).toBe("success");
      expect(logOf(fourth)).toContain("flake.lock unchanged: input nixpkgs is already at its newest revision; nothing to commit");
      expect(await openPulls()).toEqual([]);
      expect((await f.gitea.api<{ commit: { id: string } }>("GET", `/repos/${app}/branches/main`)).commit.id).toBe(mainAfterMerge);
      console.log(
        `[forge] bump: runs ${[first, second, third, fourth].map((r) => `${r.run.id} ${r.run.conclusion}`).join(", ")}; PR #${number}\n` +
          [first, second, third, fourth].map((r) => logOf(r).split("\n").filter((l) => /pull request #|not pushing it again|flake.lock unchanged/.test(l)).join("\n")).join("\n"),
      );
    }, 1_800_000);

    it("with `permissions: contents: read` on a job of the caller's own, the job token may not push: the bump fails and says why", async () => {
      advanceNixpkgs("2026-05-01T08:00:00Z");
      const r = await dispatch("bump-direct-read-only.yml");
      const log = logOf(r);
      expect(r.run.conclusion, log.slice(-6000)).toBe("failure");
      // the checkout (contents: read) worked; the push of the bump branch was refused
      expect(log).toContain("checkout (STAND-IN)");
      expect(log).toMatch(/403|denied|permission/i);
      expect(await openPulls()).toEqual([]);
      console.log(`[forge] bump direct read-only: run ${r.run.id} ${r.run.conclusion}:\n${log.split("\n").filter((l) => /error|403|denied|permission/i.test(l)).slice(0, 8).join("\n")}`);
    }, 900_000);

    it("Gitea 1.27.3 does not narrow a called workflow's job token by the caller's `permissions:` (the reusable bump still opens its pull request)", async () => {
      // services/actions/reusable_workflow.go takes a called job's permissions from the called
      // workflow only; bump-nixpkgs.yml declares none, so its job gets the repository's default
      // token. This case fails the day Gitea applies the caller's block, and the template's
      // comment must then change.
      const r = await dispatch("bump-read-only.yml");
      expect(r.run.conclusion, logOf(r).slice(-6000)).toBe("success");
      expect((await openPulls()).map((p) => p.title)).toEqual(["chore(ci): Update nixos to 20260501"]);
      console.log(`[forge] bump read-only caller: run ${r.run.id} ${r.run.conclusion}: ${logOf(r).split("\n").find((l) => /pull request #/.test(l))}`);
    }, 900_000);
  });
  // KNOWN BUG, found by this case: Gitea 1.27.3 hands a called workflow its boolean inputs as JSON
  // booleans (modules/actions/jobparser/workflow_call.go, parseWorkflowCallInput), and Gitea's
  // runner 1.0.8 reads a boolean workflow_call input as `value == "true"` (act/runner/expression.go),
  // which a JSON boolean never equals: `insecure-registry: true` reaches publish-image as false.
  // With the reusable workflow reading `inputs.insecure-registry || github.event.inputs.insecure-registry`
  // the chain ran through (date tag pushed, latest and unstable by digest, the `nix` job pulled
  // latest and ran check-image in it). This case pins the bug; it fails once the bug is gone, and
  // then asserts the whole chain instead.
  it(
    "build-runner-image.yml to Gitea's own plain-HTTP registry: the image is built, but `insecure-registry: true` arrives false in the called workflow (Gitea 1.27.3 + runner 1.0.8), so the publish step refuses the registry and nothing is published",
    async () => {
      const repo = "runner-image";
      const app = `${CALLER_OWNER}/${repo}`;
      const image = `${f.gitea.host}/${MIRROR_OWNER}/nix-runner`;
      const cache = path.join(f.caches, repo);
      mkdirSync(cache);
      // the job image as a docker-archive, which the flake extends by a salt layer
      const base = path.join(f.caches, "job-image.tar");
      execFileSync("podman", ["save", "--quiet", "--format", "docker-archive", "-o", base, localJobImage()], { env: { ...process.env, ...podmanEnv() } });
      const nixpkgs = callerTree({ "default.nix": "{ }\n" });
      git(nixpkgs, ["commit", "-q", "--amend", "-m", "nixpkgs fixture"], { GIT_AUTHOR_DATE: "2026-02-20T12:00:00Z", GIT_COMMITTER_DATE: "2026-02-20T12:00:00Z" });
      await createRepo(f.gitea, MIRROR_OWNER, "nixpkgs-image");
      pushTree(f.gitea, MIRROR_OWNER, "nixpkgs-image", nixpkgs);
      let caller = rewriteUses(template("build-runner-image.yml"), f.gitea, f.form);
      caller = must(caller, "image: registry.example.com/ci/nix-runner\n", `image: ${image}\n      insecure-registry: true\n`);
      caller = must(caller, "push-to: https://cache.example.com", `push-to: file://${cache}`);
      const fixture = path.join(ROOT, "test/fixtures/forge/image-repo");
      const tree = callerTree({
        "flake.nix": readFileSync(path.join(fixture, "flake.nix.in"), "utf8")
          .replaceAll("@NIXPKGS_URL@", `git+${f.gitea.url}/${MIRROR_OWNER}/nixpkgs-image?ref=main`)
          .replaceAll("@BASE_ARCHIVE@", base)
          .replaceAll("@SALT@", `image-${process.pid}-${Date.now()}`),
        "add-layer.mjs": readFileSync(path.join(fixture, "add-layer.mjs"), "utf8"),
        ".gitea/workflows/runner-image.yml": caller,
      });
      execFileSync("nix", ["flake", "lock"], { cwd: tree, env: nixEnv, stdio: "ignore" });
      git(tree, ["add", "-A"]);
      git(tree, ["commit", "-q", "-m", "image flake, locked"]);
      await createRepo(f.gitea, CALLER_OWNER, repo);
      const key = generateKey("forge-image-1", tempDir("nra-forge-key-"));
      for (const [name, data] of Object.entries({ REGISTRY_USERNAME: f.gitea.admin.name, REGISTRY_PASSWORD: f.gitea.admin.token, NIX_SIGNING_KEY: key.secret })) {
        await f.gitea.api("PUT", `/repos/${app}/actions/secrets/${name}`, { data });
      }
      const latestBefore = inspectDigest(f, `${image}:latest`);
      expect(latestBefore).toMatch(/^sha256:/);
      // the push to main that touches flake.nix and flake.lock starts it, as it would for users
      const sha = pushTree(f.gitea, CALLER_OWNER, repo, tree);
      const { run, jobs } = await waitRun(f.gitea, app, (r) => r.head_sha === sha, 900_000);
      const build = jobs.find((j) => j.name === "build");
      const test = jobs.find((j) => j.name === "test");
      expect(run.conclusion).toBe("failure");
      expect(build?.labels).toEqual(["native-nix"]);
      // built by the host runner's Nix and pushed to the cache by the action
      expect(build?.log).toMatch(/building '\/nix\/store\/[a-z0-9]{32}-runner-image\.tar\.drv'/);
      expect(narinfos(cache).length).toBeGreaterThan(0);
      expect(build?.log).toContain(`::error::${f.gitea.host} speaks plain HTTP; set the insecure-registry input to true`);
      expect(test?.conclusion).toBe("skipped");
      expect(inspectDigest(f, `${image}:20260220`)).toBe("");
      expect(inspectDigest(f, `${image}:unstable`)).toBe("");
      expect(inspectDigest(f, `${image}:latest`)).toBe(latestBefore);
      console.log(`[forge] image chain: run ${run.id} ${run.conclusion}: ${build?.log.split("\n").find((l) => l.includes("speaks plain HTTP"))}`);
    },
    1_200_000,
  );
  it(
    "a run cancelled (the web UI's cancel; Gitea 1.27 has no API for it) while the background pusher uploads: Gitea ends the run cancelled at once and no narinfo lacks its NAR, but runner 1.0.8 does not stop the host-mode job (KNOWN PROBLEM, pinned)",
    async () => {
      const repo = "cancel";
      const app = `${CALLER_OWNER}/${repo}`;
      const cache = path.join(f.caches, repo);
      mkdirSync(cache);
      const key = generateKey("forge-cancel-1", tempDir("nra-forge-key-"));
      // 300 MB that does not compress: the upload (xz, the file:// default) takes tens of seconds
      const big = trivialDrv("nra-forge-big", `cancel-${process.pid}-${Date.now()}`, "head -c 300000000 /dev/urandom > $out", 'PATH = "/usr/bin:/bin";');
      const tree = callerTree({
        ".gitea/workflows/cancel.yml": rewriteUses(
          [
            "name: cancel",
            "on: push",
            "jobs:",
            "  upload:",
            "    runs-on: native-nix",
            "    steps:",
            "      - uses: org/nix-runner-action@v1",
            "        with:",
            `          push-to: file://${cache}`,
            "          signing-key: ${{ secrets.NIX_SIGNING_KEY }}",
            `      - run: nix-build --no-out-link -E '${big.replace(/'/g, "'\\''")}'`,
            "      - run: sleep 600",
            "",
          ].join("\n"),
          f.gitea,
          f.form,
        ),
      });
      await createRepo(f.gitea, CALLER_OWNER, repo);
      await f.gitea.api("PUT", `/repos/${app}/actions/secrets/NIX_SIGNING_KEY`, { data: key.secret });
      const sha = pushTree(f.gitea, CALLER_OWNER, repo, tree);
      // the pusher is uploading once a `nix copy` to this cache runs
      let uploading = false;
      for (let i = 0; i < 240 && !uploading; i++) {
        uploading = processes().some((p) => p.cmdline.includes("copy") && p.cmdline.includes(`file://${cache}`));
        if (!uploading) await sleep(500);
      }
      expect(uploading, "a nix copy to the cache within 120 s").toBe(true);
      const started = (await runs(f.gitea, app)).find((r) => r.head_sha === sha);
      expect(started?.status).toBe("in_progress");
      const cancelledAt = Date.now();
      await cancelRun(f, app, started?.id ?? 0);
      const { run, jobs } = await waitRun(f.gitea, app, (r) => r.head_sha === sha, 180_000);
      const job = jobs[0];
      const endedAfterMs = new Date((job as unknown as { completed_at: string }).completed_at).getTime() - cancelledAt;
      expect(run.conclusion, job.log.slice(-6000)).toBe("cancelled");
      // Gitea's side: the job is over (cancelled) well within the bound a post step has
      expect(endedAfterMs).toBeLessThan(90_000);
      // KNOWN PROBLEM, found by this case: Gitea marks the run cancelled at once, but runner 1.0.8
      // goes on with the host-mode job: 90 s after the cancel its `sleep 600` step and the action's
      // background pusher still ran, the runner logged nothing about a cancel, and Gitea's job log
      // ends at the step that was running (no post step in it). Pinned here for 30 s; the case must
      // then assert that post ran and nothing is left, as it meant to.
      await sleep(30_000);
      const left = jobProcesses(f.runner.dir, cache);
      expect(left.some((p) => /\bsleep 600\b/.test(p)), left.join("\n")).toBe(true);
      expect(job.log).not.toContain("Run Post nra/nix-runner-action@v1");
      // stop what the runner left, by PID, so that nothing of this case outlives it
      await stopPids(left.map((p) => Number(p.split(" ")[0])), 5000);
      // every narinfo in the cache has its NAR (an upload cut short leaves none half-made)
      for (const n of narinfos(cache)) {
        const url = /^URL: (.+)$/m.exec(readFileSync(path.join(cache, n), "utf8"))?.[1] ?? "";
        expect(existsSync(path.join(cache, url)), `${n} -> ${url}`).toBe(true);
      }
      console.log(
        `[forge] cancel: run ${run.id} ${run.conclusion}, job ended ${endedAfterMs} ms after the cancel; narinfos ${narinfos(cache).length}\n` +
          job.log.split("\n").filter((l) => /Post nra|pusher|cancel/i.test(l)).slice(0, 12).join("\n"),
      );
    },
    900_000,
  );
});

describe("on Gitea 1.27 with its default DEFAULT_ACTIONS_URL=github (full-URL uses:, as air-gapped users write it)", () => {
  let f: Forge;
  beforeAll(async () => {
    f = await startForge({ form: "url", docker: false });
  }, 1_800_000);
  afterAll(async () => {
    await f?.stop();
  }, 120_000);

  it("nix-build.yml with `uses: http://127.0.0.1:PORT/nra/nix-runner-action@v1` on the host label: built, pushed, verified", async () => {
    const repo = "build-url";
    const cache = path.join(f.caches, repo);
    mkdirSync(cache);
    const key = generateKey("forge-url-1", tempDir("nra-forge-key-"));
    const workflow = nixBuildWorkflow(f, "native-nix", `file://${cache}`, key.pub);
    expect(workflow).toContain(`uses: ${f.gitea.url}/nra/nix-runner-action@v1`);
    expect(workflow).toContain(`uses: ${f.gitea.url}/actions/checkout@v4`);
    const tree = callerTree({ "flake.nix": FLAKE.replaceAll("@SALT@", `url-${process.pid}-${Date.now()}`), ".gitea/workflows/nix.yml": workflow });
    await createRepo(f.gitea, CALLER_OWNER, repo);
    await f.gitea.api("PUT", `/repos/${CALLER_OWNER}/${repo}/actions/secrets/NIX_SIGNING_KEY`, { data: key.secret });
    const sha = pushTree(f.gitea, CALLER_OWNER, repo, tree);
    const { run, jobs } = await waitRun(f.gitea, `${CALLER_OWNER}/${repo}`, (r) => r.head_sha === sha, 600_000);
    expect(run.conclusion, jobs[0].log.slice(-6000)).toBe("success");
    const v = verify(cache, key.pub, outPath(tree));
    expect(v.status, v.stderr).toBe(0);
    console.log(`[forge] nix-build full URL: run ${run.id} ${run.conclusion}`);
  }, 900_000);
});
