import type { ChildProcess } from "node:child_process";

export const ROOT: string;
export function parseEnvFile(text: string): Record<string, string>;

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
   * underMounts); it is started as this process's user and switches to uid/gid itself.
   */
  wrap?: string[];
  /** A step still running after this long is killed (SIGKILL); undefined: no limit. */
  timeoutMs?: number;
}

export interface StepResult {
  code: number;
  /** How long the step's process ran, from its start to its exit. */
  ms: number;
  /** stdout+stderr as a runner would log them: ::add-mask:: lines are consumed by the runner, not logged. */
  log: string;
  /** The raw stream, add-mask commands included. */
  raw: string;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  state: Record<string, string>;
  path: string[];
}

/** A new folder in the OS's temp dir (named `prefix` + random), removed by removeTempDirs(). */
export function tempDir(prefix: string): string;
/** Removes the folders tempDir and newJob (without a `where.parent`) made so far. */
export function removeTempDirs(): void;
/** A fresh job: temp dir (under `where.parent`, default the OS's) and empty GITHUB_* files, optionally owned by another user. */
export function newJob(baseEnv?: NodeJS.ProcessEnv, user?: { uid: number; gid: number }, where?: { parent?: string; workspace?: string }): Job;

/** Environment of a process started by a later step of the job (what GITHUB_ENV/GITHUB_PATH give it). */
export function laterStepEnv(job: Job): NodeJS.ProcessEnv;
export function stepEnv(job: Job, which: string, inputs: Record<string, string>, extraEnv: NodeJS.ProcessEnv): Record<string, string>;

/**
 * Runs a built bundle the way a runner runs a step: INPUT_* from `inputs`, the env the job has
 * accumulated in GITHUB_ENV so far, STATE_* from main's saves for the post step, and the GITHUB_*
 * file paths. Returns what the step wrote.
 */
export function runStep(
  job: Job,
  /** The bundle: the root action's main or post, or a sub-action's (dist/bump, dist/publish-image, dist/check-image). */
  which: "main" | "post" | "bump" | "publish-image" | "check-image",
  inputs?: Record<string, string>,
  extraEnv?: NodeJS.ProcessEnv,
  node?: string,
  /** Called once the step's process is started (to signal it, as a runner cancelling the step would). */
  onSpawn?: (child: ChildProcess) => void,
): Promise<StepResult>;

/** True when dist/ holds the root action's main and post bundles. */
export function distBuilt(): boolean;
/** Runs npm run build when dist/ lacks the root action's bundles; throws when the build fails. */
export function ensureBuilt(): void;
