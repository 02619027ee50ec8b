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
import { FORGE_PODMAN_STORAGE, forgeContainers, type ForgeRunner, podmanEnv, RUNNER_TEMPLATE, startRunner, TEMPLATE_REGISTRY } from "./forge-runner.js";
import { callerTree, CALLER_OWNER, type Forge, JOB_IMAGE_REPO, localJobImage, NIX_CONF, startForge, template } from "./forge.js";
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

/**
 * The digest Gitea's registry answers a tag's manifest with (OCI distribution API: a bearer token
 * from /v2/token for the admin, then HEAD /v2/<name>/manifests/<tag>).
 */
async function manifestDigest(f: Forge, name: string, tag: string): Promise<string> {
  const basic = Buffer.from(`${f.gitea.admin.name}:${f.gitea.admin.token}`).toString("base64");
  const t = await fetch(`${f.gitea.url}/v2/token?scope=repository:${name}:pull`, { headers: { Authorization: `Basic ${basic}` } });
  expect(t.status).toBe(200);
  const { token } = (await t.json()) as { token: string };
  const accept = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.index.v1+json"].join(", ");
  const r = await fetch(`${f.gitea.url}/v2/${name}/manifests/${tag}`, { method: "HEAD", headers: { Authorization: `Bearer ${token}`, Accept: accept } });
  expect(r.status, `${name}:${tag}`).toBe(200);
  return r.headers.get("docker-content-digest") ?? "";
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
  // The image chain of the seeds: the template's caller (pointed at this Gitea's registry, plain
  // HTTP, so insecure-registry: true) runs build-runner-image.yml from the mirror: the host runner
  // builds the job image flake, publish-image pushes it with skopeo to the date tag first and adds
  // latest and unstable by digest, then the test job runs under `nix`, the label the runner maps to
  // <registry>/nra/nix-runner:latest, pulled anew (force_pull: true in the template), and
  // check-image passes in it. (Once, Gitea 1.27.3's JSON-boolean inputs to called workflows and
  // runner 1.0.8's `== "true"` turned insecure-registry false; the reusable workflow now also reads
  // github.event.inputs, and this case holds it.)
  it(
    "build-runner-image.yml publishes the job image to Gitea's own registry (date tag first, latest and unstable by digest), and a `nix` job runs in it (check-image passes)",
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
      expect(run.conclusion, `${build?.log.slice(-6000)}\n${test?.log.slice(-3000)}`).toBe("success");
      expect(build?.labels).toEqual(["native-nix"]);
      expect(test?.labels).toEqual(["nix"]);
      expect(build?.conclusion).toBe("success");
      expect(test?.conclusion).toBe("success");
      // built by the host runner's Nix and pushed to the cache by the action
      expect(build?.log).toMatch(/building '\/nix\/store\/[a-z0-9]{32}-runner-image\.tar\.drv'/);
      expect(narinfos(cache).length).toBeGreaterThan(0);

      // the registry: the three tags exist and are one new manifest
      const digest = inspectDigest(f, `${image}:20260220`);
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(digest).not.toBe(latestBefore);
      expect(inspectDigest(f, `${image}:latest`)).toBe(digest);
      expect(inspectDigest(f, `${image}:unstable`)).toBe(digest);
      // Gitea's packages API lists them as versions of the container package nra/nix-runner
      const versions = await f.gitea.api<{ name: string; version: string }[]>("GET", `/packages/${MIRROR_OWNER}?type=container&q=${JOB_IMAGE_REPO}`);
      const tags = versions.filter((v) => v.name === JOB_IMAGE_REPO).map((v) => v.version);
      expect(tags).toEqual(expect.arrayContaining(["20260220", "latest", "unstable"]));
      // and its registry answers each tag's manifest with that digest
      for (const tag of ["20260220", "latest", "unstable"]) expect(await manifestDigest(f, `${MIRROR_OWNER}/${JOB_IMAGE_REPO}`, tag)).toBe(digest);

      // the log: the date tag pushed first (from the archive, digest file written), the others by digest
      // the registry user (a secret) is the mirror's owner, nra: Gitea masks it in the job logs
      const unmask = (text = "") => text.replaceAll(`/***/${JOB_IMAGE_REPO}`, `/${MIRROR_OWNER}/${JOB_IMAGE_REPO}`);
      const log = unmask(build?.log);
      const lineOf = (needle: string) => log.split("\n").findIndex((l) => l.includes(needle));
      const pushed = lineOf(`Pushing ${image}:20260220`);
      const latest = lineOf(`Tagging ${image}@${digest} as latest`);
      const unstable = lineOf(`Tagging ${image}@${digest} as unstable`);
      const publishLines = log.split("\n").filter((l) => /skopeo|Pushing|Tagging/.test(l)).join("\n");
      expect(pushed, publishLines).toBeGreaterThanOrEqual(0);
      expect(log).toMatch(new RegExp(`\\[command\\]\\S*skopeo copy .*--dest-tls-verify=false .*--digestfile \\S+ docker-archive:\\S+ docker://${image.replace(/[.]/g, "\\.")}:20260220`));
      expect(latest).toBeGreaterThan(pushed);
      expect(unstable).toBeGreaterThan(pushed);
      expect(log).toContain(`--preserve-digests docker://${image}@${digest} docker://${image}:latest`);
      expect(log).toContain(`--preserve-digests docker://${image}@${digest} docker://${image}:unstable`);

      // the test job ran in the image just pushed: the runner pulled the label's image, and what it
      // pulled is that digest, with this run's salt layer
      const testLog = unmask(test?.log);
      expect(testLog).toContain(`docker pull image=${image}:latest`);
      expect(testLog).toContain("ok: ");
      expect(testLog).not.toMatch(/image check failed|check-image failed/);
      const pulled = execFileSync("podman", ["image", "inspect", "--format", "{{json .RepoDigests}}", `${image}:latest`], { env: { ...process.env, ...podmanEnv(FORGE_PODMAN_STORAGE) }, encoding: "utf8" });
      expect(pulled).toContain(`${image}@${digest}`);
      expect(await containersGone()).toEqual([]);
      console.log(
        `[forge] image chain: run ${run.id} ${run.conclusion}; ${image} 20260220/latest/unstable = ${digest}\n` +
          [pushed, latest, unstable].map((i) => log.split("\n")[i]).join("\n") +
          `\n${testLog.split("\n").filter((l) => /docker pull|ok: |nix \(Nix\)/.test(l)).join("\n")}`,
      );
    },
    1_200_000,
  );
  // How runner 1.0.8 cancels a host-mode job, read in its source (gitea.com/gitea/runner@v1.0.8):
  // - it learns of the cancel from UpdateTask's answer (internal/pkg/report/reporter.go:590-591,
  //   r.cancel() on RESULT_CANCELLED), sent on every state change and at least every 5 s as a
  //   heartbeat (reporter.go:552, state_report_interval); Gitea 1.27.3 answers CANCELLED at once,
  //   since the runner does not advertise the "cancelling" capability (models/actions/task.go:575-578);
  // - the cancelled context kills the step's process only: exec.CommandContext's default Cancel
  //   is a SIGKILL to the shell (act/container/host_environment.go:316); the tree kill and Go's
  //   WaitDelay are set for Windows only (host_environment.go:334-347), and the step's group
  //   (Setpgid, act/container/util.go:24) is not signalled. A child of the shell (`run: sleep 600`)
  //   survives with the step's output pipe open, so cmd.Wait() (host_environment.go:390) blocks
  //   until it exits: the job sits in that step, its post steps unrun. That, not the cancel, is
  //   what held this case before; a step whose process is the command itself (`exec sleep`) is
  //   killed, and act then runs the post steps on a fresh 5-minute context
  //   (act/runner/job_executor.go:170-176).
  it(
    "a run cancelled (the web UI's cancel; Gitea 1.27 has no API for it) while the background pusher uploads: the run ends cancelled, the step is killed, the action's post step runs within its bound, nothing is left running, no narinfo lacks its NAR",
    async () => {
      const repo = "cancel";
      const app = `${CALLER_OWNER}/${repo}`;
      const cache = path.join(f.caches, repo);
      mkdirSync(cache);
      const key = generateKey("forge-cancel-1", tempDir("nra-forge-key-"));
      // 300 MB that does not compress: its upload takes a few seconds, in which the cancel lands
      const big = trivialDrv("nra-forge-big", `cancel-${process.pid}-${Date.now()}`, "head -c 300000000 /dev/urandom > $out", 'PATH = "/usr/bin:/bin";');
      const tree = callerTree({
        ".gitea/workflows/cancel.yml": rewriteUses(
          [
            "name: cancel",
            "on: push",
            "jobs:",
            "  upload:",
            "    runs-on: native-nix",
            "    env:",
            // the post step's push (draining the pusher) bounded at 60 s instead of 15 min (TEST ONLY knob)
            '      NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "60000,1,0"',
            "    steps:",
            "      - uses: org/nix-runner-action@v1",
            "        with:",
            `          push-to: file://${cache}`,
            "          signing-key: ${{ secrets.NIX_SIGNING_KEY }}",
            `      - run: nix-build --no-out-link -E '${big.replace(/'/g, "'\\''")}'`,
            // the step's process is sleep itself: runner 1.0.8 kills only that (see above)
            "      - run: exec sleep 600",
            "",
          ].join("\n"),
          f.gitea,
          f.form,
        ),
      });
      await createRepo(f.gitea, CALLER_OWNER, repo);
      await f.gitea.api("PUT", `/repos/${app}/actions/secrets/NIX_SIGNING_KEY`, { data: key.secret });
      const sha = pushTree(f.gitea, CALLER_OWNER, repo, tree);
      // cancel while the pusher uploads (a nix copy to this cache runs) and the sleep step runs
      const uploading = () => processes().some((p) => p.cmdline.includes("copy") && p.cmdline.includes(`file://${cache}`));
      const sleeping = () => jobProcesses(f.runner.dir, cache).some((p) => /^\d+ sleep 600\b/.test(p));
      let ready = false;
      for (let i = 0; i < 240 && !ready; i++) {
        ready = uploading() && sleeping();
        if (!ready) await sleep(500);
      }
      expect(ready, `a nix copy to the cache and the sleep step within 120 s (copy: ${uploading()}, sleep: ${sleeping()})`).toBe(true);
      const started = (await runs(f.gitea, app)).find((r) => r.head_sha === sha);
      expect(started?.status).toBe("in_progress");
      const cancelledAt = Date.now();
      await cancelRun(f, app, started?.id ?? 0);
      const { run, jobs } = await waitRun(f.gitea, app, (r) => r.head_sha === sha, 180_000);
      const jobId = jobs[0].id;
      expect(run.conclusion).toBe("cancelled");
      // the runner stops the job and runs post; its log reaches Gitea when the runner closes the
      // task. Bounded: the runner gives post steps 5 minutes after a cancel.
      let log = "";
      let left = jobProcesses(f.runner.dir, cache);
      let sleepGoneAfterMs = -1;
      const done = () => /Post nra\/nix-runner-action@v1/.test(log) && left.length === 0;
      for (let i = 0; i < 400; i++) {
        left = jobProcesses(f.runner.dir, cache);
        if (sleepGoneAfterMs < 0 && !left.some((p) => /^\d+ sleep 600\b/.test(p))) sleepGoneAfterMs = Date.now() - cancelledAt;
        log = await f.gitea.apiText(`/repos/${app}/actions/jobs/${jobId}/logs`).catch(() => "");
        if (done()) break;
        await sleep(1000);
      }
      const postAfterMs = Date.now() - cancelledAt;
      // the step was killed: its sleep gone within the runner's 5 s heartbeat and a margin
      expect(sleepGoneAfterMs, `processes left: ${left.join("\n")}`).toBeGreaterThanOrEqual(0);
      expect(sleepGoneAfterMs).toBeLessThan(30_000);
      // the action's post step ran, and ended within its bound (push budget 60 s; the runner's 5 min)
      const post = log.split("\n").findIndex((l) => /Post nra\/nix-runner-action@v1/.test(l));
      expect(post, log.slice(-6000)).toBeGreaterThanOrEqual(0);
      const postLines = log.split("\n").slice(post);
      expect(postLines.some((l) => /push: |background pusher/.test(l)), postLines.join("\n").slice(-4000)).toBe(true);
      // the pusher's own log, in post's output: it was uploading, and post told it to finish (the nix copy
      // running when the cancel was sent is checked above)
      expect(postLines.join("\n")).toMatch(/pusher: uploading [\s\S]*pusher: end of queue signalled by the post step/);
      expect(postAfterMs).toBeLessThan(150_000);
      // nothing of the job is left running (the pusher and its nix copy included); whatever is, is
      // stopped by PID before the check, so that it does not outlive the case
      const copying = uploading();
      await stopPids(left.map((p) => Number(p.split(" ")[0])), 5000);
      expect(left).toEqual([]);
      expect(copying).toBe(false);
      // every narinfo in the cache has its NAR (an upload cut short leaves none half-made)
      for (const n of narinfos(cache)) {
        const url = /^URL: (.+)$/m.exec(readFileSync(path.join(cache, n), "utf8"))?.[1] ?? "";
        expect(existsSync(path.join(cache, url)), `${n} -> ${url}`).toBe(true);
      }
      console.log(
        `[forge] cancel: run ${run.id} ${run.conclusion}; sleep step gone ${sleepGoneAfterMs} ms after the cancel, post logged by ${postAfterMs} ms; narinfos ${narinfos(cache).length}\n` +
          postLines.filter((l) => /Post nra|push:|pusher|cancel/i.test(l)).slice(0, 12).join("\n"),
      );
    },
    900_000,
  );

  // A wrong label in the runner's template must fail a job: a runner registered from a copy of
  // gitea-act-runner.yaml whose `nix` label names an image the registry does not have. The suite's
  // runner is disabled meanwhile, so that the broken one is the only one to take the `nix` job.
  it("a runner registered from a template whose `nix` label names a missing image: the `nix` job is picked up by it and fails at the pull", async () => {
    const broken = path.join(tempDir("nra-forge-broken-"), "gitea-act-runner.yaml");
    writeFileSync(broken, must(readFileSync(RUNNER_TEMPLATE, "utf8"), `nix:docker://${TEMPLATE_REGISTRY}nix-runner:latest`, `nix:docker://${TEMPLATE_REGISTRY}nix-runnr:latest`));
    type R = { id: number; name: string; labels: { name: string }[] };
    const list = async () => (await f.gitea.api<{ runners: R[] }>("GET", "/admin/actions/runners")).runners;
    const main = (await list()).find((r) => r.name === f.runner.name);
    expect(main).toBeDefined();
    await f.gitea.api("PATCH", `/admin/actions/runners/${main?.id}`, { disabled: true });
    let other: ForgeRunner | undefined;
    try {
      other = await startRunner({
        gitea: f.gitea,
        owner: MIRROR_OWNER,
        env: { PATH: process.env.PATH, NIX_CONFIG: NIX_CONF, DOCKER_HOST: f.podman.dockerHost },
        volumes: [f.caches],
        template: broken,
      });
      expect(other.labels).toContain(`nix:docker://${f.gitea.host}/${MIRROR_OWNER}/nix-runnr:latest`);
      const repo = "wrong-label";
      const tree = callerTree({
        ".gitea/workflows/nix.yml": ["name: wrong label", "on: push", "jobs:", "  in-image:", "    runs-on: nix", "    steps:", '      - run: echo "in-the-image-$((40 + 2))"', ""].join("\n"),
      });
      await createRepo(f.gitea, CALLER_OWNER, repo);
      const sha = pushTree(f.gitea, CALLER_OWNER, repo, tree);
      const { run, jobs } = await waitRun(f.gitea, `${CALLER_OWNER}/${repo}`, (r) => r.head_sha === sha, 300_000);
      const job = jobs[0];
      expect(job.runner_name).toBe(other.name);
      expect(run.conclusion, job.log.slice(-4000)).toBe("failure");
      expect(job.log).toContain(`docker pull image=${f.gitea.host}/${MIRROR_OWNER}/nix-runnr:latest`);
      expect(job.log).toMatch(/failed to create container: .*no such image: \S+\/nix-runnr:latest/);
      expect(job.log).not.toContain("in-the-image-42");
      expect(await containersGone()).toEqual([]);
      console.log(`[forge] wrong label: run ${run.id} ${run.conclusion} on ${job.runner_name}:\n${job.log.split("\n").filter((l) => /nix-runnr|pull|manifest|unknown|denied/i.test(l)).slice(0, 6).join("\n")}`);
    } finally {
      await other?.stop();
      await f.gitea.api("PATCH", `/admin/actions/runners/${main?.id}`, { disabled: false });
      const gone = (await list()).find((r) => r.name === other?.name);
      if (gone) await f.gitea.api("DELETE", `/admin/actions/runners/${gone.id}`);
    }
  }, 600_000);
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
