import type { Platform } from "../platform.js";

/**
 * How the background pusher's life is bound to its job's (besides the job's folder, whose removal
 * always stops it, and the idle limit). Plain data: main decides it, the pusher obeys it.
 */
export interface Lifetime {
  /** The pusher stops once this process is gone; 0: no such process. */
  runnerPid: number;
  /** The pusher stops at this time (ms since the epoch); 0: no deadline. */
  deadline: number;
  /**
   * true: the pusher leads a session and process group of its own, so cancelling the main step does
   * not stop it (post stops it). false: it stays in the job's process group, and a cancel that
   * signals the group stops it too.
   */
  ownGroup: boolean;
  /** How the deadline was found, for the log. */
  why: string;
}

/** GitLab's default job timeout (a project's "Timeout" setting), used where CI_JOB_TIMEOUT is absent. */
export const GITLAB_DEFAULT_TIMEOUT_S = 60 * 60;

/**
 * Actions runners: the runner's worker started main (`ppid`), and the pusher lives while it does;
 * post stops it. GitLab: see gitlabLifetime.
 */
export function lifetimeFor(platform: Platform, env: NodeJS.ProcessEnv, now: number, ppid: number): Lifetime {
  if (platform === "gitlab") return gitlabLifetime(env, now);
  return { runnerPid: ppid, deadline: 0, ownGroup: true, why: `it follows the process that started the main step (pid ${ppid})` };
}

/**
 * GitLab: setup's parent is the `$(…)` that ran it, gone at once, so there is no process to follow.
 * On the shell executor a background process outlives the job (it is reparented to PID 1), and
 * after_script does not run after the job's own timeout: the pusher stops at the job's deadline,
 * CI_JOB_STARTED_AT + CI_JOB_TIMEOUT (seconds), which GitLab's runner sets. Where either is missing
 * or unreadable (gitlab-ci-local sets no CI_JOB_TIMEOUT), the start is now and the timeout GitLab's
 * default hour. It stays in the job's process group: GitLab cancels a job with SIGTERM to the
 * script's process group, which then stops it too.
 */
export function gitlabLifetime(env: NodeJS.ProcessEnv, now: number): Lifetime {
  const parsed = env.CI_JOB_STARTED_AT ? Date.parse(env.CI_JOB_STARTED_AT) : NaN;
  const started = Number.isFinite(parsed) && parsed <= now ? parsed : now;
  const t = Number(env.CI_JOB_TIMEOUT);
  const timeoutS = Number.isInteger(t) && t > 0 ? t : GITLAB_DEFAULT_TIMEOUT_S;
  const from = started === parsed ? `CI_JOB_STARTED_AT ${env.CI_JOB_STARTED_AT}` : "now (no readable CI_JOB_STARTED_AT)";
  const limit = timeoutS === t ? `CI_JOB_TIMEOUT ${t} s` : `GitLab's default timeout of ${GITLAB_DEFAULT_TIMEOUT_S} s (no readable CI_JOB_TIMEOUT)`;
  const deadline = started + timeoutS * 1000;
  return { runnerPid: 0, deadline, ownGroup: false, why: `it stops at the job's deadline ${new Date(deadline).toISOString()} (${from} + ${limit}) and with the job's process group` };
}
