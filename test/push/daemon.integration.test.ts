import { existsSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureUser, generateKey } from "../../scripts/lib/nix.mjs";
import { trivialDrv } from "../helpers/nix.js";
import { brokenNarinfos, daemonForTests, filesContaining, inStep, JOB_NIX_CONFIG, nix, salt } from "../helpers/push.js";
import { laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";

// Daemon mode: the job reaches the store through a real nix-daemon on a private socket.
describe("daemon mode", () => {
  const key = generateKey(`nra-daemon-${salt()}`);
  const { daemon, jobs } = daemonForTests("trusted-users = root");

  async function pushAs(user: { uid: number; gid: number } | undefined, name: string) {
    const s = salt();
    const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG, ...daemon().clientEnv }, user);
    jobs.push(job);
    const cacheDir = path.join(job.temp, "cache");
    const inputs = { "push-to": `file://${cacheDir}`, "signing-key": key.secret };
    const main = await runStep(job, "main", inputs);
    expect(main.code, main.log).toBe(0);
    // a result link in the workspace, as `nix build` leaves one: through a daemon that cannot run the
    // job's hook, only what the job's own GC roots hold is pushed (attribution.integration.test.ts)
    const link = path.join(job.temp, "result");
    inStep(job, laterStepEnv(job), "nix-build", ["-o", link, "-E", trivialDrv(name, s)]);
    const built = readlinkSync(link);
    const post = await runStep(job, "post", inputs);
    return { job, cacheDir, main, post, built };
  }

  it("an untrusted user (nixtest): the store listing diff is used, said in the log, and the push works", async () => {
    const u = ensureUser();
    const { job, cacheDir, main, post, built } = await pushAs(u, "nra-untrusted");
    // The daemon runs in this container's PID namespace, so its trusted-users (root only) are known.
    expect(main.log).toMatch(/push: paths will be found by the diff method: the Nix daemon does not trust user "nixtest", so it ignores a post-build-hook from this job; the store listing taken now is compared/);
    expect(main.log).toMatch(/store listing: \d+ entries in \/nix\/store/);
    expect(readFileSync(path.join(job.temp, "nix-runner-action", "nix.conf"), "utf8")).not.toMatch(/post-build-hook/);
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/push: diff method/);
    expect(post.log).not.toMatch(/::warning::|::error::/);
    // whole and signed by the job's key, and refused under another key
    const verify = (pub: string) => nix(["store", "verify", "--store", `file://${cacheDir}`, "--trusted-public-keys", pub, "-r", built]);
    const good = verify(key.pub);
    expect(good.code, good.err).toBe(0);
    expect(verify(generateKey(`nra-daemon-other-${salt()}`).pub).code).not.toBe(0);
    expect(brokenNarinfos(cacheDir)).toEqual([]);
    expect(filesContaining(job.temp, key.secret.split(":")[1])).toEqual([]);
    // the post step ran as nixtest, and the listing file is in the job dir, not in state
    expect(post.state["push-plan"]).toMatch(/"listingFile":"[^"]+store-before"/);
    expect(existsSync(path.join(job.temp, "nix-runner-action", "store-before"))).toBe(true);
  });

  it("root through the daemon pushes as well", async () => {
    const { cacheDir, main, post, built } = await pushAs(undefined, "nra-root-daemon");
    // root is trusted and the daemon can see this job's files: the exact hook method, run by the daemon
    expect(main.log).toMatch(/push: paths will be found by the hook method: the daemon trusts user "root"/);
    expect(post.code).toBe(0);
    expect(post.log).not.toMatch(/::warning::|::error::/);
    const sigs = nix(["path-info", "--sigs", "--store", `file://${cacheDir}`, built]);
    expect(sigs.out).toContain(`${key.pub.split(":")[0]}:`);
  });
});
