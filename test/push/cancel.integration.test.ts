import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateKey } from "../../scripts/lib/nix.mjs";
import { type CacheServer, startCache } from "../../scripts/lib/http-server.mjs";
import { trivialDrv } from "../helpers/nix.js";
import { buildInStep, JOB_NIX_CONFIG, salt } from "../helpers/push.js";
import { type Job, laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";

/** Processes whose command line contains `needle`, with their process group. */
function processesWith(needle: string): { pid: number; pgid: number; cmd: string }[] {
  const out: { pid: number; pgid: number; cmd: string }[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").join(" ");
      if (!cmd.includes(needle)) continue;
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const pgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      out.push({ pid: Number(d), pgid, cmd });
    } catch {
      /* the process ended while we looked */
    }
  }
  return out;
}

/** Members of process group `pgid` still alive (zombies count as gone). */
function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

async function until<T>(what: string, f: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a cancelled post step (the runner sends SIGTERM during the upload)", () => {
  const key = generateKey(`nra-cancel-${salt()}`);
  let server: CacheServer | undefined;
  let job: Job | undefined;
  afterAll(async () => {
    await server?.stop();
    if (job) rmSync(job.temp, { recursive: true, force: true });
  });

  it("kills the nix copy's process group (the key only ever in its memory, no key file), and exits 143", async () => {
    const s = salt();
    job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
    server = await startCache(path.join(job.temp, "never-written"), "hang");
    const inputs = { "push-to": server.url, "signing-key": key.secret, "push-during-build": "false" };
    expect((await runStep(job, "main", inputs)).code).toBe(0);
    buildInStep(job, laterStepEnv(job), trivialDrv("nra-cancel", s));
    const jobDir = path.join(job.temp, "nix-runner-action");
    const keyFiles = () => readdirSync(jobDir).filter((n) => n.includes("key"));

    let post: ChildProcess | undefined;
    // a long push timeout and one attempt: only the signal can end this post step early
    const done = runStep(job, "post", inputs, { NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "60000,1,100" }, process.execPath, (c) => (post = c));
    const copy = await until("nix copy to the silent cache", () => processesWith(`--to ${server!.url}`).find((p) => / copy /.test(p.cmd)), 20_000);
    expect(keyFiles()).toEqual([]);
    // nix copy leads its own process group (it was started detached), not the post step's
    expect(copy.pgid).toBe(copy.pid);
    expect(copy.pgid).not.toBe(post!.pid);

    const t0 = Date.now();
    post!.kill("SIGTERM");
    const result = await done;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(result.code).toBe(143);
    expect(result.log).toMatch(/::warning::nix-runner-action post: cancelled \(SIGTERM\); stopped 1 running command\(s\); the push did not finish/);
    expect(keyFiles()).toEqual([]);
    expect(existsSync(jobDir)).toBe(true);
    // SIGKILL is delivered at once, but give the kernel a moment to reap
    await until("the nix copy process group to be gone", () => (groupMembers(copy.pgid).length === 0 ? true : undefined), 3000);
    expect(processesWith(`--to ${server.url}`)).toEqual([]);
  });
});
