import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnvFile } from "../../scripts/lib/env-file.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export { parseEnvFile };

export interface Job {
  /** The job's temp dir (RUNNER_TEMP) and the folder holding the runner files. */
  temp: string;
  files: { env: string; output: string; state: string; path: string; summary: string };
  /** Environment every step of the job starts from (no INPUT_*). */
  env: NodeJS.ProcessEnv;
  /** Unix user the steps run as; undefined: this process's user. */
  uid?: number;
  gid?: number;
  /**
   * An argv prefix every step and later command runs under (e.g. a private mount namespace, see
   * underFreshNix); it is started as this process's user and switches to uid/gid itself.
   */
  wrap?: string[];
}

export interface StepResult {
  code: number;
  /** stdout+stderr as a runner would log them: ::add-mask:: lines are consumed by the runner, not logged. */
  log: string;
  /** The raw stream, add-mask commands included. */
  raw: string;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  state: Record<string, string>;
  path: string[];
}

/** A fresh job: temp dir and empty GITHUB_* files, optionally owned by another user. */
export function newJob(baseEnv: NodeJS.ProcessEnv = {}, user?: { uid: number; gid: number }): Job {
  const temp = mkdtempSync(path.join(os.tmpdir(), "nra-job-"));
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
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: user ? temp : process.env.HOME,
    USER: user ? undefined : process.env.USER,
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: temp,
    GITHUB_ACTIONS: "true",
    ...baseEnv,
  };
  return { temp, files, env, uid: user?.uid, gid: user?.gid };
}

/**
 * Runs a built bundle the way a runner runs a step: INPUT_* from `inputs`, the env the job has
 * accumulated in GITHUB_ENV so far, STATE_* from main's saves for the post step, and the GITHUB_* file
 * paths. Returns what the step wrote.
 */
export async function runStep(
  job: Job,
  /** The bundle: the root action's main or post, or a sub-action's (dist/bump, dist/publish-image, dist/check-image). */
  which: "main" | "post" | "bump" | "publish-image" | "check-image",
  inputs: Record<string, string> = {},
  extraEnv: NodeJS.ProcessEnv = {},
  node = process.execPath,
  /** Called once the step's process is started (to signal it, as a runner cancelling the step would). */
  onSpawn?: (child: ChildProcess) => void,
): Promise<StepResult> {
  const read = (f: string) => readFileSync(f, "utf8");
  const before = { output: read(job.files.output) };
  const stepEnv: NodeJS.ProcessEnv = { ...job.env, ...parseEnvFile(read(job.files.env)) };
  const addedPath = read(job.files.path).split("\n").filter(Boolean);
  if (addedPath.length) stepEnv.PATH = [...addedPath.reverse(), stepEnv.PATH].join(":");
  for (const [k, v] of Object.entries(inputs)) stepEnv[`INPUT_${k.replace(/ /g, "_").toUpperCase()}`] = v;
  if (which === "post") {
    for (const [k, v] of Object.entries(parseEnvFile(read(job.files.state)))) stepEnv[`STATE_${k}`] = v;
  }
  Object.assign(stepEnv, {
    GITHUB_ENV: job.files.env,
    GITHUB_OUTPUT: job.files.output,
    GITHUB_STATE: job.files.state,
    GITHUB_PATH: job.files.path,
    GITHUB_STEP_SUMMARY: job.files.summary,
    ...extraEnv,
  });
  for (const k of Object.keys(stepEnv)) if (stepEnv[k] === undefined) delete stepEnv[k];
  const raw = await new Promise<{ code: number; out: string }>((resolve, reject) => {
    const argv = [...(job.wrap ?? []), node, path.join(ROOT, "dist", which, "index.js")];
    const child = spawn(argv[0], argv.slice(1), {
      env: stepEnv,
      cwd: job.env.GITHUB_WORKSPACE,
      ...(job.wrap ? {} : { uid: job.uid, gid: job.gid }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    onSpawn?.(child);
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
  const outputText = read(job.files.output).slice(before.output.length);
  return {
    code: raw.code,
    raw: raw.out,
    log: raw.out
      .split("\n")
      .filter((l) => !l.startsWith("::add-mask::"))
      .join("\n"),
    outputs: parseEnvFile(outputText),
    exportedEnv: parseEnvFile(read(job.files.env)),
    state: parseEnvFile(read(job.files.state)),
    path: read(job.files.path).split("\n").filter(Boolean),
  };
}

/** Environment of a process started by a later step of the job (what GITHUB_ENV/GITHUB_PATH give it). */
export function laterStepEnv(job: Job): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...job.env, ...parseEnvFile(readFileSync(job.files.env, "utf8")) };
  const added = readFileSync(job.files.path, "utf8").split("\n").filter(Boolean);
  if (added.length) env.PATH = [...added.reverse(), env.PATH].join(":");
  return env;
}

