// The e2e: the action as committed (action.yml + dist/), run by real runners, offline: act, Gitea's
// runner (`runner exec`) and the Forgejo stand-in, on the host and in job containers on Podman, one
// row each of test/e2e/rows.ts, each check a test under the row's name. A runner that cannot be
// installed, or cannot run offline, fails its rows; it is never skipped. E2E_ONLY and E2E_ROWS
// (rows.ts) leave rows out, as skipped. See docs/testing.md.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopHostDaemon } from "../../scripts/containers/host-daemon.mjs";
import { alive } from "../../scripts/lib/process.mjs";
import { context, finish, hostConfState, JOB_NIX_CONFIG, nix, ROOT, say, verifyCache } from "./context.js";
import { setUp, type Setup } from "./environments.js";
import { checksOf, KINDS } from "./kinds.js";
import type { Run } from "./run.js";
import { ROWS, rowName, wanted } from "./rows.js";

// The cache check must be able to pass and to fail: a path the harness itself signs and copies
// verifies under the run's key and is refused under another. If this fails, the harness is wrong,
// not the action.
describe("harness self-check of the cache verification", () => {
  let control = "";
  let cache = "";
  beforeAll(() => {
    const ctx = context();
    cache = path.join(ctx.work, "control-cache");
    const built = spawnSync("nix-build", [path.join(ROOT, "test/fixtures/e2e/salted.nix"), "--argstr", "salt", ctx.salt, "--argstr", "job", "harness-control", "--no-out-link"],
      { encoding: "utf8", env: { ...process.env, NIX_CONFIG: JOB_NIX_CONFIG }, timeout: 300_000 });
    control = built.stdout.trim();
    const copied = nix(["copy", "--to", `file://${cache}?secret-key=${ctx.key.secretFile}`, control]);
    if (built.status !== 0 || copied.status !== 0) throw new Error(`the harness could not build and sign its own path: ${built.stderr}${copied.stderr}`);
  });
  it("a path signed with the run's key verifies in a file:// cache", () => expect(verifyCache(cache, context().key.pub, control)).toBe(true));
  it("the same path is refused under an unrelated key", () => expect(verifyCache(cache, context().wrongKey.pub, control)).toBe(false));
});

for (const row of ROWS) {
  (wanted(row) ? describe : describe.skip)(rowName(row), () => {
    let s: Setup;
    let r: Run;
    beforeAll(async () => {
      say(`${rowName(row)}: ${KINDS[row.kind].title(row)}`);
      s = await setUp(row);
      r = await KINDS[row.kind].run(row, s);
    });
    for (const c of checksOf(row)) it(c.name, () => c.test(r, s));
  });
}

/** conmon processes of podman.sh's storage: one per container and per exec, each ends by itself 10 s after its exec (podman.sh). */
function conmons(): number[] {
  const storage = path.join(process.env.PODMAN_STORAGE ?? path.join(ROOT, ".tools/podman"), "storage");
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/comm`, "utf8").trim() === "conmon" && readFileSync(`/proc/${p}/cmdline`, "utf8").includes(`${storage}/`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("teardown", () => {
  let daemons: { dir: string; pid: number }[] = [];
  afterAll(() => finish());
  it("the host daemons were stopped by their PIDs", async () => {
    const work = context().work;
    daemons = readdirSync(work)
      .filter((d) => d.startsWith("daemon-") && existsSync(path.join(work, d, "pid")))
      .map((d) => ({ dir: path.join(work, d), pid: Number(readFileSync(path.join(work, d, "pid"), "utf8")) }));
    for (const d of daemons) await stopHostDaemon(d.dir);
    expect(daemons.filter((d) => alive(d.pid))).toEqual([]);
  });
  it("no conmon of podman.sh's storage left running (60 s for those of the last execs)", async () => {
    for (let i = 0; i < 60 && conmons().length; i++) await new Promise((r) => setTimeout(r, 1000));
    expect(conmons()).toEqual([]);
  }, 90_000);
  it("this machine's /etc/nix/nix.conf is byte-identical after the whole run", () => expect(hostConfState()).toBe(context().hostConfBefore));
  it("nothing else of the run was left to stop (process groups, services, containers)", async () => expect(await finish()).toEqual([]));
});
