import { spawnSync } from "node:child_process";
import { chownSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cachedPaths, ensureUser, generateKey } from "../../scripts/lib/nix.mjs";
import { trivialDrv, underMounts } from "../helpers/nix.js";
import { daemonForTests, inStep, JOB_NIX_CONFIG, nix, salt } from "../helpers/push.js";
import { laterStepEnv, newJob, runStep, type StepResult, tempDir } from "../../scripts/lib/runner.mjs";

// The diff method's blind spot: two jobs of one runner user on one daemon that does not trust that
// user (a runner with capacity 2). Both store listings are taken before either job builds, so each
// job's diff holds the other's output. Only what a job's own result links hold is its to push.
describe("two overlapping jobs on one untrusted daemon (diff method)", () => {
  const key = generateKey(`nra-attrib-${salt()}`);
  const { daemon: d, jobs } = daemonForTests("trusted-users = root");

  /** Two jobs of user nixtest whose main steps both run before either builds; each builds one output, linked as `result` in its workspace. */
  async function overlapping(inputs: Record<string, string>) {
    const u = ensureUser();
    const pair = ["a", "b"].map((name) => {
      const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG, ...d().clientEnv }, u);
      jobs.push(job);
      const cacheDir = path.join(job.temp, "cache");
      return { name, job, cacheDir, inputs: { ...inputs, "push-to": `file://${cacheDir}`, "signing-key": key.secret } };
    });
    for (const j of pair) {
      const main = await runStep(j.job, "main", j.inputs);
      expect(main.code, main.log).toBe(0);
      expect(main.log).toMatch(/push: paths will be found by the diff method: the Nix daemon does not trust user "nixtest"/);
    }
    const built = pair.map((j) => {
      const out = path.join(j.job.temp, "result");
      inStep(j.job, laterStepEnv(j.job), "nix-build", ["-o", out, "-E", trivialDrv(`nra-attrib-${j.name}`, salt())]);
      return readlinkSync(out);
    });
    const posts: StepResult[] = [];
    for (const j of pair) posts.push(await runStep(j.job, "post", j.inputs));
    return pair.map((j, i) => ({ ...j, post: posts[i], built: built[i], other: built[1 - i], summary: readFileSync(j.job.files.summary, "utf8") }));
  }

  it("by default each cache holds its own job's output and not the other's, and the summary counts what was left out", async () => {
    for (const j of await overlapping({})) {
      expect(j.post.code, j.post.log).toBe(0);
      expect(j.post.log).not.toMatch(/::warning::|::error::/);
      expect(cachedPaths(j.cacheDir, [j.built, j.other]), `job ${j.name}`).toEqual([j.built]);
      expect(j.post.log).toMatch(/push: 1 GC root\(s\) of this job under .*; 1 of the 2 new store path\(s\) are in it; 1 left out as not attributable to this job/);
      expect(j.summary).toContain("<th>left out (not attributable to this job)</th>");
      expect(j.summary).toContain("<td>1 (push-unattributed: true pushes them)</td>");
      const verify = nix(["store", "verify", "--store", `file://${j.cacheDir}`, "--trusted-public-keys", key.pub, "-r", j.built]);
      expect(verify.code, verify.err).toBe(0);
    }
  });

  it("a job that keeps no link to what it built is warned that nothing of its own could be found, and pushes nothing", async () => {
    const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG, ...d().clientEnv }, ensureUser());
    jobs.push(job);
    const cacheDir = path.join(job.temp, "cache");
    const inputs = { "push-to": `file://${cacheDir}`, "signing-key": key.secret };
    expect((await runStep(job, "main", inputs)).code).toBe(0);
    const out = inStep(job, laterStepEnv(job), "nix-build", ["--no-out-link", "-E", trivialDrv("nra-attrib-nolink", salt())]).trim();
    const post = await runStep(job, "post", inputs);
    expect(post.code, post.log).toBe(0);
    expect(post.log).toMatch(/::warning::push: this job left no GC root under .*, so none of the 1 new store path\(s\) can be shown to be its own, and none was pushed: keep a result link/);
    expect(cachedPaths(cacheDir, [out])).toEqual([]);
    const summary = readFileSync(job.files.summary, "utf8");
    expect(summary).toContain("<td>nothing of this job's to push</td>");
    expect(summary).toContain("<td>1 (push-unattributed: true pushes them)</td>");
  });

  it("a workspace the daemon cannot see (a container's, on the host's socket): the job's own result link is found by walking it", async () => {
    const u = ensureUser();
    const seen = tempDir("nra-attrib-ws-");
    const hidden = tempDir("nra-attrib-hidden-");
    chownSync(hidden, u.uid, u.gid);
    const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG, ...d().clientEnv }, u, { workspace: seen });
    jobs.push(job);
    // every step sees `hidden` at `seen`; the daemon, outside that mount namespace, sees an empty folder
    job.wrap = underMounts({ binds: [[hidden, seen]], user: u });
    const cacheDir = path.join(job.temp, "cache");
    const inputs = { "push-to": `file://${cacheDir}`, "signing-key": key.secret };
    expect((await runStep(job, "main", inputs)).code).toBe(0);
    inStep(job, laterStepEnv(job), "nix-build", ["-o", path.join(seen, "result"), "-E", trivialDrv("nra-attrib-hidden", salt())]);
    const built = readlinkSync(path.join(hidden, "result"));
    const roots = spawnSync("nix-store", ["--gc", "--print-roots"], { env: { ...process.env, ...d().clientEnv }, encoding: "utf8" });
    expect(roots.stdout).not.toContain(seen);
    const post = await runStep(job, "post", inputs);
    expect(post.code, post.log).toBe(0);
    expect(post.log).toMatch(/push: 1 GC root\(s\) of this job under .*; 1 of the 1 new store path\(s\) are in it/);
    expect(cachedPaths(cacheDir, [built])).toEqual([built]);
  });

  it("with push-unattributed: true, today's behaviour: each cache holds both jobs' outputs", async () => {
    for (const j of await overlapping({ "push-unattributed": "true" })) {
      expect(j.post.code, j.post.log).toBe(0);
      expect(cachedPaths(j.cacheDir, [j.built, j.other]).sort()).toEqual([j.built, j.other].sort());
      expect(j.post.log).not.toMatch(/GC root|not attributable/);
      expect(j.summary).not.toContain("left out");
    }
  });
});
