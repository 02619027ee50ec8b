import type { ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startServer } from "../../scripts/lib/http-server.mjs";
import { startThrottledCache, type ThrottledCache } from "../../scripts/lib/throttled-cache.mjs";
import { bigDrv, buildInStepAsync } from "../helpers/job-builds.js";
import { fd3, keyExposure, processes, treeOf } from "../helpers/key-scan.js";
import { cachedPaths, generateKey } from "../../scripts/lib/nix.mjs";
import { brokenNarinfos, JOB_NIX_CONFIG, nix, salt, testNixEnv } from "../helpers/push.js";
import { type Job, laterStepEnv, newJob, runStep, type StepResult, tempDir } from "../../scripts/lib/runner.mjs";
import { pusherLog, readStatus, signalDrain, waitForExit } from "../../src/push/background.js";

const key = generateKey(`nra-bg-${salt()}`);
const b64 = key.secret.split(":")[1];
const tmp = mkdtempSync(path.join(os.tmpdir(), "nra-bg-"));
const jobs: Job[] = [];
const caches: ThrottledCache[] = [];
// Nix retries HTTP errors itself (5 tries by default): one try per attempt keeps the fault tests short
const NIX_ONE_TRY = "download-attempts = 1";

afterEach(async () => {
  for (const j of jobs) {
    const pid = pusherPid(j);
    if (pid && alive(pid)) process.kill(pid, "SIGTERM");
  }
  for (const c of caches.splice(0)) await c.stop();
});
afterAll(() => {
  for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const jobDirOf = (j: Job) => path.join(j.temp, "nix-runner-action");
function pusherPid(j: Job): number | undefined {
  try {
    return Number(readFileSync(path.join(jobDirOf(j), "pusher.pid"), "utf8").trim());
  } catch {
    return undefined;
  }
}
function alive(pid: number): boolean {
  return processes().some((p) => p.pid === pid);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, f: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!f()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Watches the job every 150 ms until stopped: key material in any file under the job's folders or
 * in argv/env of the pusher, its uploads, and the post step's processes (the post step itself may
 * hold it in INPUT_SIGNING-KEY, which the runner gave it); and what the uploads' fd 3 is.
 */
function watch(job: Job, postPid: () => number | undefined) {
  const exposures: string[] = [];
  const fd3s = new Set<string>();
  let uploadsSeen = 0;
  let on = true;
  const loop = (async () => {
    for (let i = 0; on && i < 4000; i++) {
      const roots = [pusherPid(job), postPid()].filter((p): p is number => p !== undefined && p > 0);
      const tree = treeOf(roots);
      exposures.push(...keyExposure(b64, tree, [job.temp, tmp], postPid()));
      for (const p of tree) {
        if (/^nix .*\bcopy /.test(p.cmd)) {
          uploadsSeen++;
          const what = fd3(p.pid)?.replace(/\[\d+\]/, "") ?? "none";
          if (what !== "gone") fd3s.add(what);
        }
      }
      await sleep(150);
    }
  })();
  return {
    stop: async () => {
      on = false;
      await loop;
      return { exposures, fd3s, uploadsSeen };
    },
  };
}

async function startJob(rate: number, extraEnv: NodeJS.ProcessEnv = {}, opts: { fail500Seconds?: number } = {}) {
  const cache = await startThrottledCache({ dir: path.join(tmp, `cache-${salt()}`), bytesPerSecond: rate, fail500Seconds: opts.fail500Seconds, maxSeconds: 300 });
  caches.push(cache);
  const job = newJob({ NIX_CONFIG: `${JOB_NIX_CONFIG}\n${NIX_ONE_TRY}`, ...extraEnv });
  jobs.push(job);
  const inputs = { "push-to": cache.url, "signing-key": key.secret };
  const main = await runStep(job, "main", inputs);
  expect(main.code, main.log).toBe(0);
  return { cache, job, inputs, main, env: laterStepEnv(job) };
}

/** A TMPDIR of the job's own, so what uploads leave there is seen (Nix writes each NAR to a temp file before it uploads it). */
function jobTmp(): string {
  return tempDir("nra-bg-tmpdir-");
}
/** What uploads left behind: files in the job's TMPDIR, and the uploads' temp folder under the job's folder. */
function leftBehind(runnerTmp: string, job: Job): string[] {
  return [...readdirSync(runnerTmp), ...(existsSync(path.join(jobDirOf(job), "nix-tmp")) ? ["nix-tmp"] : [])];
}

function verified(cache: ThrottledCache, paths: string[]): { code: number; err: string } {
  const r = nix(["store", "verify", "--store", cache.url, "--trusted-public-keys", key.pub, ...paths], testNixEnv());
  return { code: r.code, err: r.err };
}

describe("push during the build: a background pusher uploads each path as it is built", () => {
  it("8 paths of 25 MB built over time, a 20 MB/s cache: most are up before post; post waits briefly, verifies, logs its wait", async () => {
    const { cache, job, inputs, main, env } = await startJob(20_000_000);
    expect(main.log).toMatch(/push: background pusher started \(pid \d+/);
    const pid = pusherPid(job)!;
    expect(alive(pid)).toBe(true);
    const s = salt();
    let post: ChildProcess | undefined;
    const w = watch(job, () => post?.pid);
    const built: string[] = [];
    for (let i = 0; i < 8; i++) built.push(await buildInStepAsync(job, env, bigDrv(`nra-bg-${i}`, s, 25, 2)));
    const beforePost = cachedPaths(cache.dir, built).length;
    const t0 = Date.now();
    const result: StepResult = await runStep(job, "post", inputs, {}, process.execPath, (c) => (post = c));
    const postSeconds = (Date.now() - t0) / 1000;
    const seen = await w.stop();

    expect(result.code, result.log).toBe(0);
    expect(result.log).not.toMatch(/::warning::|::error::/);
    expect(beforePost, `only ${beforePost} of 8 in the cache when post started`).toBeGreaterThanOrEqual(6);
    const waited = Number(result.log.match(/post waited ([\d.]+) s for it/)?.[1]);
    expect(waited).toBeLessThan(postSeconds);
    expect(result.log).toMatch(/the background pusher uploaded [1-9]\d* path\(s\) \(\d+ NAR bytes\) during the job/);
    const summary = readFileSync(job.files.summary, "utf8");
    expect(summary).toContain("uploaded during the job");
    expect(summary).toContain("post waited (s)");
    // every path there once, signed with our key, each narinfo's NAR present
    expect(verified(cache, built).code).toBe(0);
    expect(brokenNarinfos(cache.dir)).toEqual([]);
    expect(cache.puts.filter((p) => p.path.endsWith(".narinfo")).length).toBe(8);
    // the key: never in a file, argv or env; the uploads read it from a pipe
    expect(seen.uploadsSeen).toBeGreaterThan(0);
    // fd 3 of an upload is the key's pipe, or closed once Nix has read the key: never a file (at least one pipe seen)
    expect([...seen.fd3s].filter((t) => t !== "none")).toEqual(["pipe:"]);
    expect(seen.exposures).toEqual([]);
    expect(alive(pid)).toBe(false);
    console.log(`background: ${beforePost}/8 in the cache before post; post ${postSeconds.toFixed(1)} s, waited ${waited} s`);
  });

  it("the cache answers 500 for a while: the pusher gives up on what it could not send, post pushes it; nothing lost", async () => {
    const outageStart = Date.now();
    const { cache, job, inputs, env } = await startJob(4_000_000, { NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "60000,3,700" }, { fail500Seconds: 6 });
    const s = salt();
    let post: ChildProcess | undefined;
    const w = watch(job, () => post?.pid);
    const built: string[] = [];
    for (let i = 0; i < 3; i++) built.push(await buildInStepAsync(job, env, bigDrv(`nra-bg500-${i}`, s, 2, 1)));
    // post after the outage, as a later step of a longer job would be
    await until("the outage to end", () => Date.now() - outageStart > 6500, 20_000);
    const result = await runStep(job, "post", inputs, { NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "60000,3,700" }, process.execPath, (c) => (post = c));
    const seen = await w.stop();
    expect(result.code, result.log).toBe(0);
    expect(result.log, result.log).toMatch(/pusher: attempt 1 of 3 for \d+ path\(s\) failed: /);
    expect(cache.puts.filter((p) => p.path.endsWith(".narinfo")).length).toBe(3);
    expect(verified(cache, built).code).toBe(0);
    expect(brokenNarinfos(cache.dir)).toEqual([]);
    expect(seen.exposures).toEqual([]);
  });

  it("the pusher is killed mid-upload: post stops its orphaned upload, pushes what it had not sent, removes the temp NAR it left", async () => {
    const runnerTmp = jobTmp();
    const { cache, job, inputs, env } = await startJob(1_000_000, { TMPDIR: runnerTmp });
    const s = salt();
    let post: ChildProcess | undefined;
    const w = watch(job, () => post?.pid);
    const pid = pusherPid(job)!;
    const built = [await buildInStepAsync(job, env, bigDrv("nra-bgkill-0", s, 4, 0))];
    await until("an upload by the pusher", () => processes().some((p) => p.ppid === pid && /\bcopy\b/.test(p.cmd)), 10_000);
    await sleep(500);
    process.kill(pid, "SIGKILL");
    for (let i = 1; i < 3; i++) built.push(await buildInStepAsync(job, env, bigDrv(`nra-bgkill-${i}`, s, 1, 0)));
    const t0 = Date.now();
    const result = await runStep(job, "post", inputs, {}, process.execPath, (c) => (post = c));
    const seen = await w.stop();
    expect(result.code, result.log).toBe(0);
    expect(result.log).toMatch(/the background pusher was not running any more when post started/);
    const v = verified(cache, built);
    expect(v.code, `${v.err}\n${result.log}`).toBe(0);
    expect(brokenNarinfos(cache.dir)).toEqual([]);
    expect(seen.exposures).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(leftBehind(runnerTmp, job)).toEqual([]);
  });

  it("the post step is cancelled while the pusher uploads: pusher and uploads gone within seconds, no dangling narinfo, no temp NAR left", async () => {
    const runnerTmp = jobTmp();
    const { cache, job, inputs, env } = await startJob(1_000_000, { TMPDIR: runnerTmp });
    const s = salt();
    let post: ChildProcess | undefined;
    const w = watch(job, () => post?.pid);
    const pid = pusherPid(job)!;
    const built = [await buildInStepAsync(job, env, bigDrv("nra-bgcancel-0", s, 8, 0)), await buildInStepAsync(job, env, bigDrv("nra-bgcancel-1", s, 8, 0))];
    const done = runStep(job, "post", inputs, {}, process.execPath, (c) => (post = c));
    await until("post waiting for the pusher", () => post?.pid !== undefined && existsSync(path.join(jobDirOf(job), "pusher.log")), 10_000);
    await sleep(1500);
    const uploads = processes().filter((p) => p.ppid === pid && /\bcopy\b/.test(p.cmd));
    expect(uploads.length).toBeGreaterThan(0);
    const t0 = Date.now();
    post!.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(143);
    expect(result.log).toMatch(/cancelled \(SIGTERM\).*stopped the background pusher \(pid \d+\)/);
    await until("the pusher and its uploads to be gone", () => !alive(pid) && uploads.every((u) => !processes().some((p) => p.pgid === u.pgid)), 5000);
    expect(Date.now() - t0).toBeLessThan(6000);
    const seen = await w.stop();
    expect(brokenNarinfos(cache.dir)).toEqual([]);
    expect(seen.exposures).toEqual([]);
    // the killed uploads' temp NARs went with the uploads' folder
    expect(leftBehind(runnerTmp, job)).toEqual([]);
    // the cache is consistent: a later push completes it
    const again = await runStep(job, "post", { ...inputs, "push-during-build": "false" });
    expect(again.code, again.log).toBe(0);
    const v = verified(cache, built);
    expect(v.code, `${v.err}\n${again.log}`).toBe(0);
    expect(leftBehind(runnerTmp, job)).toEqual([]);
  });

  it("the drain handshake: post's wait ends when the pusher has drained and exited, not before; the queue is followed by change events", async () => {
    const { cache, job, env } = await startJob(20_000_000);
    const dir = jobDirOf(job);
    const pid = pusherPid(job)!;
    // it yields the CPU to the job's builds: 10 nicer than the steps (started from this process, like main), once it has read main's handoff
    await until("the pusher to start", () => /started \(pid \d+, niceness \d+\)/.test(readFileSync(path.join(dir, "pusher.log"), "utf8")), 10_000);
    expect(os.getPriority(pid)).toBe(Math.min(19, os.getPriority() + 10));
    const built = [await buildInStepAsync(job, env, bigDrv("nra-bgwait-0", salt(), 1, 0))];
    // not told to finish, the pusher is still there at the wait's deadline
    expect(await waitForExit(dir, 300)).toBe(false);
    expect(alive(pid)).toBe(true);
    expect(await signalDrain(dir, pid)).toBe(true);
    expect(await waitForExit(dir, 60_000)).toBe(true);
    expect(alive(pid)).toBe(false);
    const status = await readStatus(dir);
    expect(status?.state).toBe("drained");
    expect(status?.sent).toEqual(built);
    expect(status?.uploads).toEqual([]);
    expect(cachedPaths(cache.dir, built)).toEqual(built);
    expect(brokenNarinfos(cache.dir)).toEqual([]);
    const log = await pusherLog(dir);
    expect(log).toMatch(/following \S+ \(change events\)/);
    // the drain may be signalled while the upload runs (a slow machine): its line then stands between
    expect(log).toMatch(/queued 1 new path\(s\)\n.*uploading 1 path\(s\): \S+nra-bgwait-0\n(?:.*end of queue signalled by the post step.*\n)?.*sent 1 path\(s\)/);
  });

  it("a job that ends without a post step (hard kill): the pusher exits by itself when the job's folder goes", async () => {
    const { job } = await startJob(1_000_000);
    const pid = pusherPid(job)!;
    expect(alive(pid)).toBe(true);
    rmSync(jobDirOf(job), { recursive: true, force: true }); // what the runner does with RUNNER_TEMP after the job
    await until("the pusher to exit", () => !alive(pid), 5000);
  });

  it("a queued path gone from the store: its upload fails at once without asking the job's substituters; post names it gone and pushes the rest", async () => {
    // the job's substituter: an upload that tried to fetch the missing path would ask it first
    const asked: string[] = [];
    const substituter = await startServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      res.writeHead(404).end();
    });
    try {
      const { cache, job, inputs, env } = await startJob(20_000_000, { NIX_CONFIG: `${JOB_NIX_CONFIG}\n${NIX_ONE_TRY}\nsubstituters = ${substituter.origin}` });
      // the builds themselves ask no substituter (a later line wins over the job's)
      const buildEnv = { ...env, NIX_CONFIG: `${env.NIX_CONFIG}\nsubstituters =` };
      const kept = await buildInStepAsync(job, buildEnv, bigDrv("nra-bggone-kept", salt(), 1, 0));
      // what the hook queued for a path a garbage collection deleted before the pusher got to it
      const gone = `${path.dirname(kept)}/${"0".repeat(32)}-nra-bggone-${salt()}`;
      appendFileSync(path.join(jobDirOf(job), "push-queue"), `${gone}\n`);
      await until("the pusher to give up on the missing path", () => /attempt 1 of \d+ for \d+ path\(s\) failed: /.test(readFileSync(path.join(jobDirOf(job), "pusher.log"), "utf8")), 30_000);
      expect(asked).toEqual([]);
      const result = await runStep(job, "post", inputs);
      // given up on at once, not retried: no retry brings a path back to the store
      expect(result.log).not.toMatch(/pusher: uploading .*\(attempt 2\)/);
      expect(result.code, result.log).toBe(0);
      expect(result.log).toMatch(new RegExp(`1 path\\(s\\) the job built are no longer in the store .*first ${gone}`));
      expect(asked).toEqual([]);
      expect(verified(cache, [kept]).code).toBe(0);
      expect(readdirSync(cache.dir).filter((f) => f.endsWith(".narinfo"))).toEqual([`${path.basename(kept).slice(0, 32)}.narinfo`]);
    } finally {
      await substituter.stop();
    }
  });

  it("a post step that skips the push (invalid inputs) still stops the pusher, which holds the key, and removes the uploads' folder", async () => {
    const { job } = await startJob(20_000_000);
    const pid = pusherPid(job)!;
    expect(alive(pid)).toBe(true);
    const result = await runStep(job, "post", { "push-to": "file:///nowhere", "signing-key": "not-a-key" });
    expect(result.code, result.log).toBe(0);
    expect(result.log).toMatch(/::warning::push skipped: the inputs are invalid/);
    expect(result.log).toContain(`push: stopped the background pusher (pid ${pid}), still running when post ended\n`);
    await until("the pusher to exit", () => !alive(pid), 2000);
    expect(existsSync(path.join(jobDirOf(job), "nix-tmp"))).toBe(false);
  });

  it("idle past its limit, the pusher exits; post then pushes everything itself", async () => {
    const { cache, job, inputs, env } = await startJob(20_000_000, { NIX_RUNNER_ACTION_TEST_PUSHER_IDLE_MS: "1500" });
    const pid = pusherPid(job)!;
    await until("the idle pusher to exit", () => !alive(pid), 10_000);
    const built = [await buildInStepAsync(job, env, bigDrv("nra-bgidle", salt(), 1, 0))];
    const result = await runStep(job, "post", inputs);
    expect(result.code, result.log).toBe(0);
    expect(result.log).toMatch(/stopped: idle for 2 s/);
    expect(result.log).toMatch(/push: 1 path\(s\) uploaded/);
    expect(verified(cache, built).code).toBe(0);
  });
});
