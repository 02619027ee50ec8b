// Runs the built action on this machine exactly as a runner runs a job that uses it: the main step,
// a later step that builds something small with Nix, then the post step that pushes it. Inputs come
// from the environment as a runner passes them (INPUT_*); the defaults push to a file:// cache in
// .local-run/cache, signed with a key made once in .local-run/keys. The runner emulation is the
// tests' own (scripts/lib/runner.mjs).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generateKey, HOST_NIX_CONFIG, narinfos, trivialDrv } from "./lib/nix.mjs";
import { laterStepEnv, newJob, ROOT, runStep } from "./lib/runner.mjs";

const work = path.join(ROOT, ".local-run");
const keys = path.join(work, "keys");
const cache = path.join(work, "cache");
mkdirSync(cache, { recursive: true });
if (!existsSync(path.join(keys, "secret"))) generateKey("local-run-1", keys);
const publicKey = readFileSync(path.join(keys, "public"), "utf8").trim();

const jobs = path.join(work, "jobs");
mkdirSync(jobs, { recursive: true });
// Debian's nix-bin as root has no build users and no working sandbox (a runner image's Nix sets these
// itself), and this machine may have no network.
const NIX_CONFIG = [process.env.NIX_CONFIG, HOST_NIX_CONFIG].filter(Boolean).join("\n");
const job = newJob({ ...process.env, NIX_CONFIG }, undefined, { parent: jobs, workspace: ROOT });
// This shell's own RUNNER_TEMP or GITHUB_WORKSPACE (inside a CI job) must not stand for this job's.
Object.assign(job.env, { RUNNER_TEMP: job.temp, GITHUB_WORKSPACE: ROOT, GITHUB_ACTIONS: "true" });
const inputs = {
  "push-to": process.env["INPUT_PUSH-TO"] ?? `file://${cache}`,
  "signing-key": process.env["INPUT_SIGNING-KEY"] ?? readFileSync(path.join(keys, "secret"), "utf8").trim(),
  "trusted-public-keys": process.env["INPUT_TRUSTED-PUBLIC-KEYS"] ?? publicKey,
};

/** Prints a step's log (without ::add-mask::, as a runner), and stops the run when the step failed. */
function report(title, code, log) {
  console.log(`\n=== ${title}`);
  console.log(log.trimEnd());
  if (code !== 0) {
    console.error(`${title} failed (exit ${code})`);
    process.exit(code || 1);
  }
}

const main = await runStep(job, "main", inputs);
report("main step (dist/main/index.js)", main.code, main.log);
console.log(`\noutputs: ${JSON.stringify(main.outputs)}`);

const salt = new Date().toISOString();
const expr = trivialDrv("local-run-hello", salt, `echo built by the local run at ${salt} > $out`);
// --offline: the derivation needs nothing from a cache, and this machine may have no network.
const build = spawnSync("nix", ["build", "--offline", "--no-link", "--impure", "--expr", expr], { env: laterStepEnv(job), cwd: ROOT, encoding: "utf8" });
report("a later step: nix build", build.status ?? 1, `${build.stdout}${build.stderr}`);

const post = await runStep(job, "post", inputs);
report("post step (dist/post/index.js)", post.code, post.log);

const summary = readFileSync(job.files.summary, "utf8").trim();
if (summary) console.log(`\n=== job summary\n${summary}`);
console.log(`\ncache ${inputs["push-to"]}: ${narinfos(cache).length} narinfo files; public key ${publicKey}`);
