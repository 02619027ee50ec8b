// The post step (src/steps/post-step.ts) run in process from the sources by the step-io fixture,
// after a main step that saved nothing or only part of its state (it failed half-way, or never ran):
// none of these paths runs nix. Pushes through real Nix run the bundles: test/push/*.integration.test.ts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { newJob } from "../../scripts/lib/runner.mjs";
import { runInProcess } from "../helpers/step-io.js";

const NO_PLAN =
  "push to file:///srv/cache failed: the main step did not get far enough to record how to find what this job built (no push plan in its state), so nothing was pushed; fix the main step's error, or list what to push in push-paths";

/** A job whose main step saved nothing; PATH without nix, so a post that tried to run it would fail. */
const job = () => newJob({ PATH: "/nonexistent" });
const commands = (log: string) => log.split("\n").filter((l) => /^::(warning|error)::/.test(l));

describe("post step without main's state (from src, in process; no Nix needed)", () => {
  it("nothing to push: ends green and silent, writes nothing", async () => {
    const j = job();
    const r = await runInProcess(j, "post");
    expect(r.code, r.log).toBe(0);
    expect(r.log).toBe("");
    for (const f of Object.values(j.files)) expect(readFileSync(f, "utf8")).toBe("");
  });

  it("push-to but no push plan: a warning that says why nothing was pushed, and the job stays green", async () => {
    const r = await runInProcess(job(), "post", { "push-to": "file:///srv/cache" });
    expect(r.code, r.log).toBe(0);
    expect(commands(r.log)).toEqual([`::warning::${NO_PLAN} (the job stays green: fail-on-push-error is false)`]);
  });

  it("the same with fail-on-push-error: the step fails with that message", async () => {
    const r = await runInProcess(job(), "post", { "push-to": "file:///srv/cache", "fail-on-push-error": "true" });
    expect(r.code).toBe(1);
    expect(commands(r.log)).toEqual([`::error::${NO_PLAN}`]);
  });

  it("inputs main refused: post warns once and pushes nothing, green even with fail-on-push-error", async () => {
    const r = await runInProcess(job(), "post", { "push-to": "file:///srv/cache", mode: "imgae", "fail-on-push-error": "true" });
    expect(r.code, r.log).toBe(0);
    expect(commands(r.log)).toEqual([
      '::warning::push skipped: the inputs are invalid (the main step reported this): mode must be one of auto, image, native, install (got "imgae")',
    ]);
  });

  it("a main that saved only its secret files: post removes them", async () => {
    const j = job();
    const netrc = path.join(j.temp, "netrc");
    writeFileSync(netrc, "machine cache.lan password hunter2\n", { mode: 0o600 });
    writeFileSync(j.files.state, `secret-files=${JSON.stringify([netrc, path.join(j.temp, "never-written.conf")])}\n`);
    const r = await runInProcess(j, "post");
    expect(r.code, r.log).toBe(0);
    expect(commands(r.log)).toEqual([]);
    expect(existsSync(netrc)).toBe(false);
  });
});
