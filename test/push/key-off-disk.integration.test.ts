import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startThrottledCache, type ThrottledCache } from "../../scripts/lib/throttled-cache.mjs";
import { trivialDrv } from "../helpers/nix.js";
import { fd3, keyExposure, treeOf } from "../helpers/key-scan.js";
import { generateKey } from "../../scripts/lib/nix.mjs";
import { brokenNarinfos, buildInStep, JOB_NIX_CONFIG, nix, salt, testNixEnv } from "../helpers/push.js";
import { type Job, laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";

const key = generateKey(`nra-fd-${salt()}`);
const b64 = key.secret.split(":")[1];
const tmp = mkdtempSync(path.join(os.tmpdir(), "nra-fd-"));
let cache: ThrottledCache | undefined;
let job: Job | undefined;
afterAll(async () => {
  await cache?.stop();
  if (job) rmSync(job.temp, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe("the signing key reaches nix copy through a pipe, never a file, argv or env", () => {
  it("while a slow upload runs, no file under the job's folders and no process of the step holds the key (but the step itself, in the INPUT_SIGNING-KEY the runner gave it); nix reads it from a pipe on fd 3", async () => {
    const s = salt();
    // 6 MB of random bytes at 1 MB/s: several seconds of upload to look at
    cache = await startThrottledCache({ dir: path.join(tmp, "cache"), bytesPerSecond: 1_000_000, maxSeconds: 300 });
    job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
    const inputs = { "push-to": cache.url, "signing-key": key.secret, "push-during-build": "false" };
    expect((await runStep(job, "main", inputs)).code).toBe(0);
    const built = buildInStep(job, laterStepEnv(job), trivialDrv("nra-fd-big", s, "/usr/bin/head -c 6000000 /dev/urandom > $out"));

    let post: ChildProcess | undefined;
    const done = runStep(job, "post", inputs, {}, process.execPath, (c) => (post = c));
    const exposures: string[] = [];
    const nixFd3 = new Set<string>();
    let scans = 0;
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 600 && !finished; i++) {
      const tree = treeOf([post!.pid!]);
      exposures.push(...keyExposure(b64, tree, [job.temp, tmp], post!.pid));
      for (const p of tree) if (/(^|\/)nix copy /.test(p.cmd) || /^nix .* copy /.test(p.cmd)) nixFd3.add(fd3(p.pid)?.replace(/\[\d+\]/, "") ?? "none");
      nixFd3.delete("gone"); // it ended between the listing and the look
      scans++;
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = await done;
    expect(result.code, result.log).toBe(0);
    expect(result.log).toMatch(/push: 1 path\(s\) uploaded/);
    expect(scans).toBeGreaterThan(20); // the upload took seconds: the scan saw it
    expect(nixFd3).toEqual(new Set(["pipe:"]));
    expect(exposures).toEqual([]);
    expect(keyExposure(b64, [], [job.temp, tmp])).toEqual([]);
    expect(result.log).not.toContain(b64);

    const verify = nix(["store", "verify", "--store", cache.url, "--trusted-public-keys", key.pub, built], testNixEnv());
    expect(verify.code, verify.err).toBe(0);
    expect(brokenNarinfos(cache.dir)).toEqual([]);
  });
});
