import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { cachedPaths, generateKey } from "../../scripts/lib/nix.mjs";
import { type CacheServer, startCache } from "../../scripts/lib/http-server.mjs";
import { trivialDrv } from "../helpers/nix.js";
import { brokenNarinfos, buildInStep, filesContaining, JOB_NIX_CONFIG, nix, narinfoCount, salt, testNixEnv } from "../helpers/push.js";
import { type Job, laterStepEnv, newJob, runStep, type StepResult } from "../../scripts/lib/runner.mjs";

const key = generateKey(`nra-http-${salt()}`);
const jobs: Job[] = [];
const servers: CacheServer[] = [];
const tmp = mkdtempSync(path.join(os.tmpdir(), "nra-http-"));

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});
afterAll(() => {
  for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

/** A job that ran main with these inputs and then built `exprs` in a later step. */
async function jobThatBuilt(inputs: Record<string, string>, exprs: string[], extraConf = ""): Promise<{ job: Job; paths: string[] }> {
  const job = newJob({ NIX_CONFIG: `${JOB_NIX_CONFIG}\n${extraConf}` });
  jobs.push(job);
  const main = await runStep(job, "main", inputs);
  expect(main.code, main.log).toBe(0);
  const env = laterStepEnv(job);
  return { job, paths: exprs.map((e) => buildInStep(job, env, e)) };
}

/** Substitutes `paths` into a fresh store that trusts `pub` and has only `url` as substituter. */
function consume(url: string, pub: string, paths: string[]): { code: number; err: string } {
  const root = mkdtempSync(path.join(tmp, "consumer-"));
  const r = nix(["build", "--no-link", "--store", root, "--substituters", url, "--trusted-public-keys", pub, ...paths], testNixEnv());
  return { code: r.code, err: r.err };
}

function keyLeftovers(job: Job): string[] {
  const dir = path.join(job.temp, "nix-runner-action");
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.includes("key")) : [];
}

describe("push over HTTP (PUT) to a cache on 127.0.0.1, then substitution by a consumer", () => {
  it("pushes signed; a consumer trusting the key substitutes the paths, one trusting another key refuses them", async () => {
    const s = salt();
    const cache = await startCache(path.join(tmp, `cache-${s}`));
    servers.push(cache);
    const inputs = { "push-to": cache.url, "signing-key": key.secret, "push-during-build": "false" };
    const { job, paths } = await jobThatBuilt(inputs, [trivialDrv("nra-http-a", s), trivialDrv("nra-http-b", s, "echo b > $out")]);
    const post = await runStep(job, "post", inputs);
    expect(post.code).toBe(0);
    expect(post.log).not.toMatch(/::warning::|::error::/);
    expect(Number(post.log.match(/push: 2 path\(s\) uploaded \((\d+) NAR bytes/)?.[1])).toBeGreaterThan(0);
    expect(readFileSync(job.files.summary, "utf8")).toContain(`<td>${cache.url}/</td>`.replace("/</td>", "</td>"));

    expect(consume(cache.url, key.pub, paths).code).toBe(0);
    const refused = consume(cache.url, generateKey("someone-else").pub, paths);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/not signed by any of the keys/);
    expect(brokenNarinfos(cache.dir)).toEqual([]);
    expect(keyLeftovers(job)).toEqual([]);
    expect(filesContaining(job.temp, key.secret.split(":")[1])).toEqual([]);
  });
});

// Faults: the post step must end within its (test-shortened) timeout, warn or fail as asked, leave no
// key file and no narinfo without its NAR, and a later push must complete.
describe("faults: the post step stays bounded and honest", () => {
  const FAST = { NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "20000,2,100" };
  // Nix retries HTTP errors itself (5 tries by default); one Nix try per attempt keeps these tests short.
  const NIX_ONE_TRY = "download-attempts = 1";

  it("cache unreachable: a warning after 2 attempts, job stays green, key file gone", async () => {
    const s = salt();
    const gone = await startCache(path.join(tmp, `gone-${s}`));
    await gone.stop(); // a port in our range with nothing listening
    const inputs = { "push-to": gone.url, "signing-key": key.secret, "push-during-build": "false" };
    const { job } = await jobThatBuilt(inputs, [trivialDrv("nra-unreach", s)], NIX_ONE_TRY);
    const t0 = Date.now();
    const post = await runStep(job, "post", inputs, FAST);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/::warning::push to http:\/\/127\.0\.0\.1:\d+ failed: .*(?:Couldn't|Could not) connect.*\[attempt 2 of 2\]/);
    expect(post.log).toMatch(/fail-on-push-error is false/);
    expect(keyLeftovers(job)).toEqual([]);
  });

  it("cache unreachable with fail-on-push-error: true fails the step", async () => {
    const s = salt();
    const gone = await startCache(path.join(tmp, `gone2-${s}`));
    await gone.stop();
    const inputs = { "push-to": gone.url, "signing-key": key.secret, "push-during-build": "false", "fail-on-push-error": "true" };
    const { job } = await jobThatBuilt(inputs, [trivialDrv("nra-unreach2", s)], NIX_ONE_TRY);
    const post = await runStep(job, "post", inputs, FAST);
    expect(post.code).not.toBe(0);
    expect(post.log).toMatch(/::error::push to http:\/\/127\.0\.0\.1:\d+ failed/);
    expect(keyLeftovers(job)).toEqual([]);
  });

  it("HTTP 500 on every upload: warns after its retries; after the cache recovers a second push completes", async () => {
    const s = salt();
    const dir = path.join(tmp, `c500-${s}`);
    // the cache is up and says what it is; only its uploads fail (a full disk, a broken backend)
    mkdirSync(dir);
    writeFileSync(path.join(dir, "nix-cache-info"), "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n");
    const broken = await startCache(dir, "fail500");
    servers.push(broken);
    const inputs = { "push-to": broken.url, "signing-key": key.secret, "push-during-build": "false" };
    const { job, paths } = await jobThatBuilt(inputs, [trivialDrv("nra-500-a", s), trivialDrv("nra-500-b", s, "echo b > $out")], NIX_ONE_TRY);
    const first = await runStep(job, "post", inputs, FAST);
    expect(first.code).toBe(0);
    expect(first.log).toMatch(/push: attempt 1 to .* failed \(.*HTTP error 500.*\); retrying/);
    expect(first.log).toMatch(/::warning::push to .* failed: .*500/);
    expect(narinfoCount(dir)).toBe(0);
    expect(keyLeftovers(job)).toEqual([]);

    await broken.stop();
    const fixed = await startCache(dir, "ok", { port: broken.port });
    servers.push(fixed);
    const second = await runStep(job, "post", inputs, FAST);
    expect(second.code).toBe(0);
    expect(second.log).toMatch(/push: 2 path\(s\) uploaded/);
    expect(nix(["store", "verify", "--store", fixed.url, "--trusted-public-keys", key.pub, ...paths]).code).toBe(0);
    expect(brokenNarinfos(dir)).toEqual([]);
  });

  it("a cache that accepts connections but never answers: the post step ends at its timeout", async () => {
    const s = salt();
    const hang = await startCache(path.join(tmp, `hang-${s}`), "hang");
    servers.push(hang);
    const inputs = { "push-to": hang.url, "signing-key": key.secret, "push-during-build": "false" };
    const { job } = await jobThatBuilt(inputs, [trivialDrv("nra-hang", s)]);
    const t0 = Date.now();
    const post = await runStep(job, "post", inputs, { NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "3000,3,100" });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(3000);
    expect(took).toBeLessThan(8000);
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/::warning::push to .* failed: push-timeout \(0.05 min, 3 s\) reached: the copy was stopped/);
    expect(keyLeftovers(job)).toEqual([]);
  });

  it("the server dies mid-upload: warns, leaves no narinfo without its NAR; the push after a restart completes", async () => {
    const s = salt();
    const dir = path.join(tmp, `die-${s}`);
    const dying = await startCache(dir, "die", { dieAfterBytes: 300_000 });
    servers.push(dying);
    const inputs = { "push-to": dying.url, "signing-key": key.secret, "push-during-build": "false" };
    const big = trivialDrv("nra-big", s, "head -c 3000000 /dev/urandom > $out", 'PATH = "/usr/bin:/bin";');
    const { job, paths } = await jobThatBuilt(inputs, [trivialDrv("nra-small", s), big], NIX_ONE_TRY);
    const first: StepResult = await runStep(job, "post", inputs, FAST);
    expect(await Promise.race([dying.exited, new Promise((r) => setTimeout(() => r("alive"), 100))])).toBe(3);
    expect(first.code).toBe(0);
    expect(first.log).toMatch(/::warning::push to .* failed/);
    expect(brokenNarinfos(dir)).toEqual([]);
    expect(cachedPaths(dir, [paths[1]])).toEqual([]);
    expect(keyLeftovers(job)).toEqual([]);

    const back = await startCache(dir, "ok", { port: dying.port });
    servers.push(back);
    const second = await runStep(job, "post", inputs, FAST);
    expect(second.code).toBe(0);
    expect(second.log).not.toMatch(/::warning::/);
    expect(nix(["store", "verify", "--store", back.url, "--trusted-public-keys", key.pub, ...paths]).code).toBe(0);
    expect(brokenNarinfos(dir)).toEqual([]);
  });
});
