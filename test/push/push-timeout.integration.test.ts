import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateKey } from "../../scripts/lib/nix.mjs";
import { cacheHandler, startServer } from "../../scripts/lib/http-server.mjs";
import { trivialDrv } from "../helpers/nix.js";
import { buildInStep, JOB_NIX_CONFIG, narinfoCount, salt } from "../helpers/push.js";
import { type Job, laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";

const key = generateKey(`nra-bound-${salt()}`);
const jobs: Job[] = [];
const stops: (() => Promise<unknown>)[] = [];
const tmp = mkdtempSync(path.join(os.tmpdir(), "nra-bound-"));

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});
afterAll(() => {
  for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

/** A binary cache on 127.0.0.1 that answers every request (nix-cache-info, narinfo lookups, each PUT) `delayMs` late. */
async function slowCache(dir: string, delayMs: number): Promise<string> {
  const handler = cacheHandler(dir);
  const s = await startServer((req, res) => void setTimeout(() => handler(req, res), delayMs), { maxSeconds: 300 });
  stops.push(s.stop);
  return s.origin;
}

async function jobThatBuilt(inputs: Record<string, string>, n: number, s: string): Promise<{ job: Job; paths: string[] }> {
  const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
  jobs.push(job);
  const main = await runStep(job, "main", inputs);
  expect(main.code, main.log).toBe(0);
  const env = laterStepEnv(job);
  const paths = Array.from({ length: n }, (_, i) => buildInStep(job, env, trivialDrv(`nra-bound-${i}`, s, `echo ${i} > $out`)));
  return { job, paths };
}

describe("push-timeout: the bound is reached on a slow cache (real Nix)", () => {
  it("post's own copy: stopped at the bound, the summary says how many paths it left unpushed; a warning by default", async () => {
    const s = salt();
    const dir = path.join(tmp, `slow-${s}`);
    const url = await slowCache(dir, 2000);
    const inputs = { "push-to": url, "signing-key": key.secret, "push-during-build": "false", "push-timeout": "0.1" };
    const { job } = await jobThatBuilt(inputs, 4, s);
    const t0 = Date.now();
    const post = await runStep(job, "post", inputs);
    const took = Date.now() - t0;
    expect(post.code, post.log).toBe(0);
    expect(took).toBeGreaterThanOrEqual(6000);
    expect(took).toBeLessThan(15_000);
    expect(post.log).toMatch(
      /::warning::push to .* failed: push-timeout \(0\.1 min, 6 s\) reached: the copy was stopped.*; 4 of 4 selected path\(s\) left unpushed \(this step did not push them\) \(the job stays green/,
    );
    const summary = readFileSync(job.files.summary, "utf8");
    expect(summary).toMatch(/<td>failed: push-timeout \(0\.1 min, 6 s\) reached: the copy was stopped[^<]*; 4 of 4 selected path\(s\) left unpushed \(this step did not push them\)<\/td>/);
    expect(summary).not.toMatch(/<td>ok/);
    expect(narinfoCount(dir)).toBeLessThan(4);
  });

  it("with fail-on-push-error: true, reaching the bound fails the step with the same words", async () => {
    const s = salt();
    const url = await slowCache(path.join(tmp, `slow-${s}`), 2000);
    const inputs = { "push-to": url, "push-during-build": "false", "push-timeout": "0.1", "fail-on-push-error": "true" };
    const { job } = await jobThatBuilt(inputs, 3, s);
    const post = await runStep(job, "post", inputs);
    expect(post.code).not.toBe(0);
    expect(post.log).toMatch(/::error::push to .* failed: push-timeout \(0\.1 min, 6 s\) reached.*; 3 of 3 selected path\(s\) left unpushed \(this step did not push them\)/);
  });

  it("the background pusher, asked to drain, stops itself before post's bound; post names what neither pushed", async () => {
    const s = salt();
    const url = await slowCache(path.join(tmp, `slow-${s}`), 3000);
    const inputs = { "push-to": url, "signing-key": key.secret, "push-timeout": "0.1" };
    const { job } = await jobThatBuilt(inputs, 3, s);
    const t0 = Date.now();
    const post = await runStep(job, "post", inputs);
    const took = Date.now() - t0;
    expect(post.code, post.log).toBe(0);
    expect(took).toBeLessThan(15_000);
    // it stopped by itself (post did not have to), before post's deadline
    expect(post.log).toMatch(/pusher: stopped: push-timeout reached while draining/);
    expect(post.log).not.toMatch(/did not finish within push-timeout; stopped it/);
    // post's copy of the rest starts with about a second left, or not at all: either way it stops at the bound
    const m = post.log.match(/push-timeout \(0\.1 min, 6 s\) reached(?: before the copy could start|: the copy was stopped)[^;]*; (\d) of 3 selected path\(s\) left unpushed \(this step did not push them\)/);
    expect(m, post.log).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(0);
    expect(readFileSync(job.files.summary, "utf8")).toMatch(/of 3 selected path\(s\) left unpushed/);
  });
});
