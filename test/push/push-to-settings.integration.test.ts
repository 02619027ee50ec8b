import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Job, newJob, runStep } from "../../scripts/lib/runner.mjs";
import { pushTarget } from "../../src/push-target.js";
import { checkPushSettings } from "../../src/push/check-target.js";
import { RECORDED_SETTINGS, standInRefusal, storeSettings } from "../../src/nix/store-settings.js";
import { parseNixVersion } from "../../src/nix/version.js";
import { trivialDrv } from "../helpers/nix.js";
import { buildInStep, JOB_NIX_CONFIG, nix, salt, testNixEnv } from "../helpers/push.js";
import { laterStepEnv } from "../../scripts/lib/runner.mjs";

// Run with the Nix on PATH: Debian's 2.8 by default, 2.34 with its BINDIR first on PATH
// (node scripts/provision-nix.mjs); each test says which it met.
const version = nix(["--version"]).out.trim().split(" ").pop() ?? "";
const jobs: Job[] = [];
const tmp = mkdtempSync(path.join(os.tmpdir(), "nra-settings-"));
afterAll(() => {
  for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

/** What main left in the job's folder (its files: nix.conf, the hook, the pusher's pid…). */
function jobFolder(job: Job): string[] {
  const dir = path.join(job.temp, "nix-runner-action");
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function mainWith(pushTo: string): Promise<{ job: Job; code: number; log: string; out: string }> {
  const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
  jobs.push(job);
  const r = await runStep(job, "main", { "push-to": pushTo });
  return { job, code: r.code, log: r.log, out: readFileSync(job.files.env, "utf8") + readFileSync(job.files.path, "utf8") };
}

describe(`push-to's settings checked in main, against the Nix in use (${version})`, () => {
  it("the Nix in use answers which settings each store takes (describe-stores on 2.8, help-stores on 2.34)", async () => {
    const known = await storeSettings(testNixEnv());
    expect(known.source).toBe(version.startsWith("2.8.") ? "nix describe-stores --json" : "nix help-stores");
    expect([...(known.byScheme.get("file:") ?? [])]).toEqual(expect.arrayContaining(["compression", "parallel-compression", "secret-key", "priority"]));
    expect([...(known.byScheme.get("https:") ?? [])]).toContain("compression");
    expect([...(known.byScheme.get("ssh-ng:") ?? [])]).toContain("remote-program");
    // the recorded table is never narrower than what this Nix says
    for (const [scheme, names] of known.byScheme) {
      if (RECORDED_SETTINGS[scheme]) for (const n of names) expect(RECORDED_SETTINGS[scheme], `${scheme} ${n}`).toContain(n);
    }
  });

  it("a misspelt setting (Nix only warns 'unknown setting'): main fails naming push-to and it, nothing written", async () => {
    const r = await mainWith(`file://${tmp}/c1?compresion=zstd`);
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/::error::push-to: "compresion" is not a setting of this store; did you mean "compression"\?.*\[file:\/\/ store of Nix 2\.\d+\.\d+, per nix (describe-stores --json|help-stores)\]; fix push-to's query: nothing was set up/);
    expect(jobFolder(r.job)).toEqual([]);
    expect(r.out).toBe("");
    expect(existsSync(`${tmp}/c1`)).toBe(false);
  });

  it("a bad Boolean value: Nix's refusal, named, and nothing written", async () => {
    const r = await mainWith(`http://127.0.0.1:1/?parallel-compression=maybe`);
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/::error::push-to: Nix 2\.\d+\.\d+ refuses parallel-compression=maybe \(Boolean setting 'parallel-compression' has invalid value 'maybe'\); fix push-to's query/);
    expect(jobFolder(r.job)).toEqual([]);
  });

  it("a compression method Nix has none for: refused in main (2.8 itself would refuse it only at the first upload)", async () => {
    const r = await mainWith(`file://${tmp}/c2?compression=zst`);
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/::error::push-to: compression=zst is not a compression method Nix knows; use one of xz, bzip2, gzip, zstd/);
    expect(jobFolder(r.job)).toEqual([]);
  });

  it("the stand-in cache: what this Nix says of a bad number", async () => {
    const refusal = await standInRefusal([["priority", "abc"]], !version.startsWith("2.8."), testNixEnv());
    expect(refusal).toEqual({ name: "priority", message: "setting 'priority' has invalid value 'abc'" });
    expect(await standInRefusal([["priority", "30"], ["compression", "xz"]], !version.startsWith("2.8."), testNixEnv())).toBeUndefined();
  });

  it("good settings pass, and main goes on to configure the job", async () => {
    const r = await mainWith(`file://${tmp}/c3?compression=zstd&priority=30&parallel-compression=true`);
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(/push-to: 3 setting\(s\) checked against Nix 2\.\d+\.\d+/);
    expect(jobFolder(r.job)).toContain("nix.conf");
  });

  it("an ssh store's setting names are checked too (values only when it connects)", async () => {
    await expect(checkPushSettings(pushTarget("ssh-ng://builder?remote-programm=nix-daemon"), parseNixVersion(nix(["--version"]).out), testNixEnv())).rejects.toThrow(/"remote-programm" is not a setting of this store; did you mean "remote-program"\?/);
    await expect(checkPushSettings(pushTarget("ssh-ng://builder?remote-program=nix-daemon"), parseNixVersion(nix(["--version"]).out), testNixEnv())).resolves.toBeUndefined();
  });

  it("post never retries a refusal that cannot change: one attempt, not three", async () => {
    // main refuses this push-to; post, run anyway with push-paths (as after a failed main), meets Nix's own refusal
    const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
    jobs.push(job);
    const built = buildInStep(job, laterStepEnv(job), trivialDrv("nra-settings", salt()));
    const inputs = { "push-to": `file://${tmp}/c4?parallel-compression=maybe`, "push-paths": built };
    const post = await runStep(job, "post", inputs, { NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "60000,3,2000" });
    expect(post.log).toMatch(/::warning::push to file:\/\/.* failed: Boolean setting 'parallel-compression' has invalid value 'maybe' \[attempt 1 of 3\]; 1 of 1 selected path\(s\) left unpushed/);
    expect(post.log).not.toMatch(/retrying|attempt 2/);
  });
});
