import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServer } from "../../scripts/lib/http-server.mjs";
import { generateKey } from "../../scripts/lib/nix.mjs";
import { nixHasS3, trivialDrv } from "../helpers/nix.js";
import { buildInStep, helloFlake, JOB_NIX_CONFIG, narinfoCount, nix, salt, testNixEnv } from "../helpers/push.js";
import { type Job, laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";

const key = generateKey(`nra-half-${salt()}`);
const jobs: Job[] = [];
afterAll(() => {
  for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
});
function job(): Job {
  const j = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
  jobs.push(j);
  return j;
}

describe("a main step that failed half-way", () => {
  it("no state at all: post warns clearly, exits 0, and still removes the secret files main recorded", async () => {
    const j = job();
    const secret = path.join(j.temp, "nix-runner-action", "netrc");
    mkdirSync(path.dirname(secret), { recursive: true });
    writeFileSync(secret, "machine x login y password z\n");
    appendFileSync(j.files.state, `secret-files=${JSON.stringify([secret])}\n`);
    const post = await runStep(j, "post", { "push-to": `file://${j.temp}/cache`, "signing-key": key.secret, "push-during-build": "false" });
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/::warning::push to file:\/\/.* failed: the main step did not get far enough .* nothing was pushed/);
    expect(existsSync(secret)).toBe(false);
  });

  it("no state and fail-on-push-error: true: the post step fails with that message", async () => {
    const j = job();
    const post = await runStep(j, "post", { "push-to": `file://${j.temp}/cache`, "fail-on-push-error": "true" });
    expect(post.code).not.toBe(0);
    expect(post.log).toMatch(/::error::push to .* the main step did not get far enough/);
  });

  it("unreadable state (a truncated save) counts as missing, not a crash", async () => {
    const j = job();
    appendFileSync(j.files.state, `push-plan={"method":"ho\n`);
    const post = await runStep(j, "post", { "push-to": `file://${j.temp}/cache` });
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/::warning::.*did not get far enough/);
  });

  it("the hook's queue vanished: a clear warning naming the file", async () => {
    const j = job();
    const inputs = { "push-to": `file://${j.temp}/cache` };
    expect((await runStep(j, "main", inputs)).code).toBe(0);
    rmSync(path.join(j.temp, "nix-runner-action", "push-queue"));
    const post = await runStep(j, "post", inputs);
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/::warning::.*queue .*push-queue is missing/);
  });

  it("main never ran but push-paths is set: post pushes those paths, signed", async () => {
    const j = job();
    const built = buildInStep(j, { ...j.env }, trivialDrv("nra-no-main", salt()));
    const cacheDir = path.join(j.temp, "cache");
    const post = await runStep(j, "post", { "push-to": `file://${cacheDir}`, "signing-key": key.secret, "push-during-build": "false", "push-paths": built });
    expect(post.code).toBe(0);
    expect(post.log).not.toMatch(/::warning::/);
    expect(nix(["store", "verify", "--store", `file://${cacheDir}`, "--trusted-public-keys", key.pub, built]).code).toBe(0);
    expect(existsSync(path.join(j.temp, "nix-runner-action")) ? readdirSync(path.join(j.temp, "nix-runner-action")) : []).toEqual([]);
  });

  it("invalid inputs (main failed on them): post skips the push with a warning, no crash", async () => {
    const j = job();
    const post = await runStep(j, "post", { "push-to": `file://${j.temp}/cache`, "signing-key": "not-a-key" });
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/::warning::push skipped: the inputs are invalid .*signing-key/);
  });

  // a Nix built with S3 (Debian's 2.34) is tested against a real S3 API instead: s3-cache.integration.test.ts
  it.runIf(!nixHasS3())("a push-to this Nix cannot open (s3 without S3 support) fails fast with a clear error, no retries", async () => {
    const j = job();
    const inputs = { "push-to": "s3://nra-bucket?endpoint=127.0.0.1:18199&scheme=http", "signing-key": key.secret, "push-during-build": "false" };
    expect((await runStep(j, "main", inputs)).code).toBe(0);
    buildInStep(j, laterStepEnv(j), trivialDrv("nra-s3", salt()));
    const post = await runStep(j, "post", inputs);
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/::warning::push to s3:\/\/nra-bucket failed: .*built without S3 support.*\[attempt 1 of 3\]/);
  });
});

describe("push-paths: exactly those closures", () => {
  it("store paths (also a file inside one) and a flake installable; nothing else the job built", async () => {
    const s = salt();
    const j = job();
    const cacheDir = path.join(j.temp, "cache");
    const flake = helloFlake(path.join(j.temp, "flake"), "nra-flake-hello", s);
    // main decides the method, so it is given push-paths too: what it knows before the build
    const mainInputs = { "push-to": `file://${cacheDir}`, "signing-key": key.secret, "push-during-build": "false", "push-paths": `path:${flake}#hello` };
    const main = await runStep(j, "main", mainInputs);
    expect(main.code, main.log).toBe(0);
    // main chose the paths method: no hook, so the job's other builds are queued nowhere
    expect(main.log).toMatch(/push: paths will be found by the paths method: push-paths is set/);
    expect(main.log).not.toMatch(/post-build-hook|background pusher started/);
    const env = laterStepEnv(j);
    const wanted = buildInStep(j, env, trivialDrv("nra-wanted", s, "mkdir -p $out/bin; echo hi > $out/bin/x", 'PATH = "/usr/bin:/bin";'));
    const other = buildInStep(j, env, trivialDrv("nra-not-wanted", s));
    const inputs = { ...mainInputs, "push-paths": `${wanted}/bin/x\npath:${flake}#hello` };
    const post = await runStep(j, "post", inputs);
    expect(post.code, post.log).toBe(0);
    expect(post.log).toMatch(/push: paths method: push-paths is set/);
    expect(post.log).not.toMatch(/::warning::/);
    expect(narinfoCount(cacheDir), post.log).toBe(2);
    expect(nix(["path-info", "--store", `file://${cacheDir}`, wanted]).code).toBe(0);
    expect(nix(["path-info", "--store", `file://${cacheDir}`, other]).code).not.toBe(0);
    const all = nix(["path-info", "--all", "--store", `file://${cacheDir}`]).out;
    const flakeOut = all.split("\n").find((p) => p.endsWith("-nra-flake-hello"));
    expect(flakeOut, all).toBeDefined();
    // what was pushed is whole and signed by the job's key, and refused under another key
    const verify = (pub: string) => nix(["store", "verify", "--store", `file://${cacheDir}`, "--trusted-public-keys", pub, "-r", wanted, flakeOut ?? ""]);
    const good = verify(key.pub);
    expect(good.code, good.err).toBe(0);
    expect(verify(generateKey(`nra-half-other-${s}`).pub).code).not.toBe(0);
  });
});

describe("a path the job built is deleted before post (hook method, whose paths are checked only when a copy fails)", () => {
  it("post pushes the rest, names what is gone, and never asks the job's substituters for it", async () => {
    // the job's substituter: a copy that tried to fetch the deleted path would ask it first
    const asked: string[] = [];
    const substituter = await startServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      res.writeHead(404).end();
    });
    afterAll(() => substituter.stop());
    const j = newJob({ NIX_CONFIG: `${JOB_NIX_CONFIG}\nsubstituters = ${substituter.origin}` });
    jobs.push(j);
    const cache = path.join(j.temp, "cache");
    const inputs = { "push-to": `file://${cache}`, "signing-key": key.secret, "push-during-build": "false" };
    expect((await runStep(j, "main", inputs)).code).toBe(0);
    const s = salt();
    // the builds themselves ask no substituter (a later line wins over the job's)
    const buildEnv = { ...laterStepEnv(j), NIX_CONFIG: `${laterStepEnv(j).NIX_CONFIG}\nsubstituters =` };
    const kept = buildInStep(j, buildEnv, trivialDrv("nra-gc-kept", s));
    const deleted = buildInStep(j, buildEnv, trivialDrv("nra-gc-deleted", s));
    const del = spawnSync("nix-store", ["--delete", deleted], { env: testNixEnv(), encoding: "utf8" });
    expect(del.status, del.stderr).toBe(0);
    const post = await runStep(j, "post", inputs);
    expect(post.code, post.log).toBe(0);
    expect(post.log).not.toMatch(/::(warning|error)::/);
    expect(post.log).toContain("validity checked if a copy fails, 2 to push");
    expect(post.log).toMatch(new RegExp(`1 path\\(s\\) the job built are no longer in the store .*first ${deleted}; copying the rest again`));
    expect(asked).toEqual([]);
    expect(post.log).toMatch(/push: 1 path\(s\) uploaded/);
    expect(readdirSync(cache).filter((f) => f.endsWith(".narinfo"))).toEqual([`${path.basename(kept).slice(0, 32)}.narinfo`]);
    expect(readFileSync(j.files.summary, "utf8")).toMatch(/<td>hook<\/td><td>1<\/td><td>1<\/td>/);
  });
});
