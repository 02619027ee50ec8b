import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedPaths, generateKey } from "../../scripts/lib/nix.mjs";
import { trivialDrv } from "../helpers/nix.js";
import { brokenNarinfos, buildInStep, filesContaining, filesUnder, JOB_NIX_CONFIG, nix, queuedOutputs, salt } from "../helpers/push.js";
import { type Job, laterStepEnv, newJob, runStep, type StepResult } from "../../scripts/lib/runner.mjs";

// Image mode: no daemon, the job owns the store, so the post-build hook records what later steps build.
describe("a job in image mode pushes what it built to a file:// cache, signed", () => {
  const key = generateKey(`nra-test-${salt()}`);
  const s = salt();
  let job: Job;
  let cacheDir: string;
  let main: StepResult;
  let post: StepResult;
  let shimDir: string;
  let built: { dep: string; app: string; skipped: string; drv: string };

  beforeAll(async () => {
    job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
    cacheDir = path.join(job.temp, "cache");
    const inputs = { "push-to": `file://${cacheDir}`, "signing-key": key.secret, "push-during-build": "false", "push-filter": "-skipme-", "trusted-public-keys": key.pub };
    main = await runStep(job, "main", inputs);
    const env = laterStepEnv(job);
    const depExpr = trivialDrv("nra-dep", s, "echo dep > $out");
    built = {
      dep: buildInStep(job, env, depExpr),
      app: buildInStep(job, env, `let dep = ${depExpr}; in ${trivialDrv("nra-app", s, "echo ${dep} > $out")}`),
      skipped: buildInStep(job, env, trivialDrv("nra-skipme-x", s)),
      drv: "",
    };
    // A `nix` first on PATH that records each call's argv, env (exactly as exec gave it) and what the key path is, then runs the real nix.
    shimDir = path.join(job.temp, "shim");
    mkdirSync(shimDir);
    const realNix = execFileSync("sh", ["-c", "command -v nix"]).toString().trim();
    writeFileSync(
      path.join(shimDir, "nix"),
      `#!/bin/sh\nprintf 'ARGV %s\\n' "$*" >> ${shimDir}/calls\ntr '\\0' '\\n' < /proc/$$/environ >> ${shimDir}/calls\n` +
        `k=$(printf '%s' "$*" | sed -n 's/.*secret-key=\\([^& ]*\\).*/\\1/p')\n` +
        `[ -n "$k" ] && stat -L -c "KEYFILE %F $k" "$k" >> ${shimDir}/calls\nexec ${realNix} "$@"\n`,
      { mode: 0o755 },
    );
    post = await runStep(job, "post", inputs, { PATH: `${shimDir}:${process.env.PATH}` });
  });
  afterAll(() => rmSync(job.temp, { recursive: true, force: true }));

  it("main chose the hook and said why", () => {
    expect(main.code).toBe(0);
    expect(main.log).toMatch(/push: paths will be found by the hook method: Nix opens the store directly/);
    expect(readFileSync(path.join(job.temp, "nix-runner-action", "nix.conf"), "utf8")).toMatch(/^post-build-hook = \/.*post-build-hook\.sh$/m);
    const hook = readFileSync(path.join(job.temp, "nix-runner-action", "post-build-hook.sh"), "utf8");
    expect(hook).toMatch(/^#!\/\S+\/sh\n/);
  });

  it("the hook queued exactly the built outputs", () => {
    // Nix 2.8 gives the hook an empty OUT_PATHS, so the hook queues DRV_PATH instead: either way, these outputs.
    const queued = queuedOutputs(readFileSync(path.join(job.temp, "nix-runner-action", "push-queue"), "utf8"));
    expect(new Set(queued)).toEqual(new Set([built.app, built.dep, built.skipped]));
  });

  it("post pushed them signed; nix store verify accepts our key", () => {
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/push: hook method/);
    expect(post.log).not.toMatch(/::warning::|::error::/);
    const v = nix(["store", "verify", "--store", `file://${cacheDir}`, "--trusted-public-keys", key.pub, built.app, built.dep]);
    expect(v.err).not.toMatch(/untrusted|corrupt|error/);
    expect(v.code).toBe(0);
    const sigs = nix(["path-info", "--sigs", "--store", `file://${cacheDir}`, built.app]);
    expect(sigs.out).toContain(key.pub.split(":")[0] + ":");
    expect(brokenNarinfos(cacheDir)).toEqual([]);
  });

  it("a different key does not verify (the signature is real)", () => {
    const other = generateKey("other");
    const v = nix(["store", "verify", "--store", `file://${cacheDir}`, "--trusted-public-keys", other.pub, built.app]);
    expect(v.code).not.toBe(0);
  });

  it("zstd compression was added to the URL", () => {
    const narinfo = readFileSync(path.join(cacheDir, `${path.basename(built.app).slice(0, 32)}.narinfo`), "utf8");
    expect(narinfo).toMatch(/^Compression: zstd$/m);
    expect(post.log).toContain("compression=zstd added");
  });

  it("push-filter matches and derivations are not pushed", () => {
    expect(cachedPaths(cacheDir, [built.skipped])).toEqual([]);
    const r = nix(["path-info", "--store", `file://${cacheDir}`, "--all"]);
    expect(r.out).not.toMatch(/\.drv$/m);
  });

  it("the job summary has the table, with the cache URL and byte count", () => {
    const summary = readFileSync(job.files.summary, "utf8");
    expect(summary).toContain("<th>NAR bytes</th>");
    expect(summary).toContain(`file://${cacheDir}`);
    const row = summary.match(/<td>hook<\/td><td>2<\/td><td>2<\/td><td>(\d+)<\/td><td>([\d.]+)<\/td><td>([\d.-]+)<\/td><td>ok<\/td>/);
    expect(row, summary).not.toBeNull();
    // NAR bytes of the two paths as the local store knows them (nix-store --query --size: one number
    // per path on every Nix, where path-info's JSON changed shape after 2.18)
    const sizes = execFileSync("nix-store", ["--query", "--size", built.app, built.dep], { env: laterStepEnv(job), encoding: "utf8" }).trim().split("\n");
    expect(sizes).toHaveLength(2);
    const narSize = sizes.reduce((n, l) => n + Number(l), 0);
    expect(narSize).toBeGreaterThan(0);
    expect(Number(row![1])).toBe(narSize);
    expect(summary).not.toContain("secret-key");
  });

  it("the key text is in no log, env, state, summary or leftover file, and the key file is gone", () => {
    const b64 = key.secret.split(":")[1];
    for (const step of [main, post]) expect(step.log).not.toContain(b64);
    expect(filesContaining(job.temp, b64)).toEqual([]);
    expect(filesUnder(path.join(job.temp, "nix-runner-action")).filter((f) => /key/.test(path.basename(f)))).toEqual([]);
    // the masking happened: the runner was told to hide the key
    expect(post.raw).toContain(`::add-mask::${key.secret}`);
  });

  it("the key reaches nix only through a pipe on fd 3: never a file, argv or env", () => {
    const calls = readFileSync(path.join(shimDir, "calls"), "utf8");
    expect(calls).toMatch(/^ARGV .*copy -v --option substitute false --to file:\/\/.*secret-key=\/dev\/fd\/3/m);
    expect(calls).not.toContain(key.secret.split(":")[1]);
    // the step's inputs (INPUT_SIGNING-KEY among them) are not passed on to any command
    expect(calls).toMatch(/^RUNNER_TEMP=/m);
    expect(calls).not.toMatch(/^INPUT_/im);
    expect(calls.match(/^KEYFILE .*$/gm)).toEqual(["KEYFILE fifo /dev/fd/3"]);
  });

  it("main warned about neither a missing key nor anything else; without signing-key it warns once that the push is unsigned", async () => {
    expect(main.log).not.toMatch(/unsigned/);
    const j = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
    try {
      const unsigned = await runStep(j, "main", { "push-to": `file://${cacheDir}` });
      expect(unsigned.code).toBe(0);
      const warnings = unsigned.log.match(/^::warning::.*signing-key is empty.*$/gm) ?? [];
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/pushed unsigned, and consumers that check signatures .* will refuse them; set signing-key/);
    } finally {
      rmSync(j.temp, { recursive: true, force: true });
    }
  });

  it("a second post step is a no-op upload (Nix skips what the cache has)", async () => {
    const again = await runStep(job, "post", { "push-to": `file://${cacheDir}`, "signing-key": key.secret, "push-during-build": "false", "push-filter": "-skipme-" });
    expect(again.code).toBe(0);
    expect(again.log).toMatch(/push: 0 path\(s\) uploaded/);
  });
});
