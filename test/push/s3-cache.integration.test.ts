import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nixHasS3, nixVersion, trivialDrv } from "../helpers/nix.js";
import { generateKey } from "../../scripts/lib/nix.mjs";
import { type Job, laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";
import { buildInStep, JOB_NIX_CONFIG, nix, salt } from "../helpers/push.js";
import { motoInstalled, type S3Server, startS3 } from "../helpers/s3-server.js";

// A push to a real S3 API (moto's server on 127.0.0.1) with every Nix that can open s3:// stores
// (here Debian's 2.34; its 2.8 and 2.26 are built without S3, and halfway-and-paths checks the hint
// they get instead). Debian's 2.34 is built without AWS auth: it sends no credentials at all, so
// wrong credentials cannot be observed with it (docs/testing.md, Limits of what is tested); moto takes anonymous requests.
const HAS_S3 = nixHasS3();

describe.runIf(HAS_S3)(`push to S3 (moto's S3 server; Nix ${nixVersion()})`, () => {
  const key = generateKey(`nra-s3-${salt()}`);
  const jobs: Job[] = [];
  let s3: S3Server;
  beforeAll(async () => {
    expect(motoInstalled(), "moto_server is missing: pip install 'moto[server]' (scripts/setup-machine.sh does)").toBe(true);
    s3 = await startS3();
  });
  afterAll(async () => {
    await s3?.stop();
    for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
  });

  async function pushTo(url: string, name: string): Promise<{ built: string; post: Awaited<ReturnType<typeof runStep>> }> {
    const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
    jobs.push(job);
    const inputs = { "push-to": url, "signing-key": key.secret };
    const main = await runStep(job, "main", inputs);
    expect(main.code, main.log).toBe(0);
    const built = buildInStep(job, laterStepEnv(job), trivialDrv(name, salt()));
    return { built, post: await runStep(job, "post", inputs) };
  }

  it("the post step pushes what the job built, signed; nix store verify accepts it from the bucket", async () => {
    const bucket = `nra-ok-${Date.now()}`;
    await s3.createBucket(bucket);
    const { built, post } = await pushTo(s3.url(bucket), "nra-s3-ok");
    expect(post.code, post.log).toBe(0);
    expect(post.log).not.toMatch(/::warning::/);
    // uploaded by post itself, or during the job by the background pusher (push-during-build, the default)
    expect(post.log).toMatch(/push: 1 path\(s\) uploaded|the background pusher uploaded 1 path\(s\)/);
    // what is in the bucket, byte for byte, checked as a cache of its own: Nix verifies it anonymously
    // only through its own narinfo cache, since moto refuses unsigned reads
    const copy = mkdtempSync(path.join(os.tmpdir(), "nra-s3-copy-"));
    try {
      const keys = s3.download(bucket, copy);
      expect(keys).toContain("nix-cache-info");
      expect(keys).toContain(`${path.basename(built).slice(0, 32)}.narinfo`);
      expect(keys.filter((k) => k.startsWith("nar/"))).toHaveLength(1);
      const v = nix(["store", "verify", "--store", `file://${copy}`, "--trusted-public-keys", key.pub, built]);
      expect(v.code, v.err).toBe(0);
      // the signature is real: another key does not verify
      expect(nix(["store", "verify", "--store", `file://${copy}`, "--trusted-public-keys", generateKey("other").pub, built]).code).not.toBe(0);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("a bucket that does not exist: one clear warning naming it, no retries", async () => {
    const { post } = await pushTo(s3.url(`nra-missing-${Date.now()}`), "nra-s3-missing");
    expect(post.code).toBe(0);
    const warnings = post.log.split("\n").filter((l) => l.startsWith("::warning::"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/push to s3:\/\/nra-missing-\d+ failed: .*HTTP error 404.*the bucket does not exist.*\[attempt 1 of 3\]/);
  });
});
