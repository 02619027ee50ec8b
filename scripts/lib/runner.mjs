// The runner emulation: a job (its temp dir and GITHUB_* files) and the built bundles run the way a
// runner runs a step of an action: INPUT_* from the inputs, the env and PATH earlier steps exported
// through GITHUB_ENV and GITHUB_PATH, STATE_* from main's saves for the post step. The one copy, for
// the tests (test/), the benchmarks (bench/) and the local run (scripts/local-run.mjs). Also whether
// the bundles are built, as a program for bash:
//   node scripts/lib/runner.mjs built         exits 1 (saying so) when dist/ lacks main's or post's bundle
//   node scripts/lib/runner.mjs ensure-built  runs npm run build when it does
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnvFile } from "./env-file.mjs";

/** The repository's root: the bundles are ROOT/dist/{main,post}/index.js. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export { parseEnvFile };

/** The bundle a step runs: the root action's main or post, or a sub-action's. @param {string} which */
const bundle = (which) => path.join(ROOT, "dist", which, "index.js");

/** True when dist/ holds the root action's main and post bundles (npm run build made them). */
export function distBuilt() {
  return ["main", "post"].every((which) => existsSync(bundle(which)));
}

/** Runs npm run build when dist/ lacks the root action's bundles; throws when the build fails. */
export function ensureBuilt() {
  if (distBuilt()) return;
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error("npm run build failed");
}

/** @typedef {import("./runner.d.mts").Job} Job */
/** @typedef {import("./runner.d.mts").StepResult} StepResult */

const read = (/** @type {string} */ f) => readFileSync(f, "utf8");
const lines = (/** @type {string} */ f) => read(f).split("\n").filter(Boolean);

/** Folders made in os.tmpdir() by tempDir and by newJob (without a parent), for removeTempDirs(). */
const made = [];

/** A new folder in the OS's temp dir (named `prefix` + random), removed by removeTempDirs(). */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * Removes the folders tempDir and newJob (without a parent) made so far; every test file does, once
 * its tests are done (test/helpers/cleanup.ts). A pusher still following such a job exits when its
 * folder goes. Jobs made under a parent of the caller's are the caller's to remove.
 */
export function removeTempDirs() {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      console.warn(`could not remove the test folder ${dir}: ${e instanceof Error ? e.message : e}`);
    }
  }
}

/**
 * A fresh job: temp dir and empty GITHUB_* files, optionally owned by another user.
 * @param {NodeJS.ProcessEnv} [baseEnv] @param {{ uid: number, gid: number }} [user]
 * @param {{ parent?: string, workspace?: string }} [where]
 * @returns {Job}
 */
export function newJob(baseEnv = {}, user, where = {}) {
  const temp = where.parent === undefined ? tempDir("nra-job-") : mkdtempSync(path.join(where.parent, "nra-job-"));
  const files = {
    env: path.join(temp, "github_env"),
    output: path.join(temp, "github_output"),
    state: path.join(temp, "github_state"),
    path: path.join(temp, "github_path"),
    summary: path.join(temp, "step_summary"),
  };
  for (const f of Object.values(files)) writeFileSync(f, "");
  if (user) {
    chmodSync(temp, 0o755);
    chownSync(temp, user.uid, user.gid);
    for (const f of Object.values(files)) chownSync(f, user.uid, user.gid);
  }
  const env = {
    PATH: process.env.PATH,
    HOME: user ? temp : process.env.HOME,
    USER: user ? undefined : process.env.USER,
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: where.workspace ?? temp,
    GITHUB_ACTIONS: "true",
    ...baseEnv,
  };
  return { temp, files, env, uid: user?.uid, gid: user?.gid };
}

/**
 * Environment of a process started by a later step of the job (what GITHUB_ENV/GITHUB_PATH give it).
 * @param {Job} job @returns {NodeJS.ProcessEnv}
 */
export function laterStepEnv(job) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...job.env, ...parseEnvFile(read(job.files.env)) };
  const added = lines(job.files.path);
  if (added.length) env.PATH = [...added.reverse(), env.PATH].join(":");
  return env;
}

/**
 * The environment a runner gives step `which`: INPUT_* from `inputs`, the env the job has
 * accumulated in GITHUB_ENV so far, STATE_* from main's saves for the post step, and the GITHUB_*
 * file paths (runStep's for a bundle, test/helpers/step-io.ts's for a step run in process).
 * @param {Job} job @param {string} which @param {Record<string, string>} inputs @param {NodeJS.ProcessEnv} extraEnv
 * @returns {Record<string, string>}
 */
export function stepEnv(job, which, inputs, extraEnv) {
  const env = laterStepEnv(job);
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, "_").toUpperCase()}`] = v;
  if (which === "post") {
    for (const [k, v] of Object.entries(parseEnvFile(read(job.files.state)))) env[`STATE_${k}`] = v;
  }
  Object.assign(env, {
    GITHUB_ENV: job.files.env,
    GITHUB_OUTPUT: job.files.output,
    GITHUB_STATE: job.files.state,
    GITHUB_PATH: job.files.path,
    GITHUB_STEP_SUMMARY: job.files.summary,
    ...extraEnv,
  });
  /** @type {Record<string, string>} */
  const defined = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) defined[k] = v;
  return defined;
}

/**
 * Runs a built bundle the way a runner runs a step: INPUT_* from `inputs`, the env the job has
 * accumulated in GITHUB_ENV so far, STATE_* from main's saves for the post step, and the GITHUB_*
 * file paths. Returns what the step wrote.
 * @param {Job} job @param {"main" | "post" | "bump" | "publish-image" | "check-image"} which @param {Record<string, string>} [inputs]
 * @param {NodeJS.ProcessEnv} [extraEnv] @param {string} [node]
 * @param {(child: import("node:child_process").ChildProcess) => void} [onSpawn]
 * @returns {Promise<StepResult>}
 */
export async function runStep(job, which, inputs = {}, extraEnv = {}, node = process.execPath, onSpawn) {
  const outputBefore = read(job.files.output);
  const env = stepEnv(job, which, inputs, extraEnv);
  const argv = [...(job.wrap ?? []), node, bundle(which)];
  const started = process.hrtime.bigint();
  const raw = await new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env,
      cwd: job.env.GITHUB_WORKSPACE,
      ...(job.wrap ? {} : { uid: job.uid, gid: job.gid }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    onSpawn?.(child);
    const timer = job.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), job.timeoutMs) : undefined;
    let out = "";
    child.stdout.on("data", (/** @type {Buffer} */ d) => (out += d.toString()));
    child.stderr.on("data", (/** @type {Buffer} */ d) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out });
    });
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    code: raw.code,
    ms,
    raw: raw.out,
    // A runner consumes ::add-mask:: and never logs it.
    log: raw.out
      .split("\n")
      .filter((/** @type {string} */ l) => !l.startsWith("::add-mask::"))
      .join("\n"),
    outputs: parseEnvFile(read(job.files.output).slice(outputBefore.length)),
    exportedEnv: parseEnvFile(read(job.files.env)),
    state: parseEnvFile(read(job.files.state)),
    path: lines(job.files.path),
  };
}

/** The program (see the top of this file). @param {string[]} argv */
function main([what, ...rest]) {
  if (what === "built" && rest.length === 0) {
    if (!distBuilt()) {
      console.error("dist/ is not built (npm run build)");
      process.exitCode = 1;
    }
  } else if (what === "ensure-built" && rest.length === 0) ensureBuilt();
  else {
    console.error("usage: runner.mjs built | ensure-built");
    process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
