/** How long and how often the post step tries before it gives up. */
export interface Limits {
  /** Wall-clock budget for the whole push (resolving paths, signing, every copy attempt). */
  timeoutMs: number;
  /** Copy attempts, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubles for each later one. */
  backoffMs: number;
}

/**
 * 15 minutes is long enough for a few GB to a nearby cache and short enough that a hung cache does
 * not hold a runner for the job's full 6-hour limit. Three attempts ride out a restart or a 502.
 */
export const DEFAULT_LIMITS: Limits = { timeoutMs: 15 * 60_000, attempts: 3, backoffMs: 5_000 };

/**
 * TEST ONLY: NIX_RUNNER_ACTION_TEST_PUSH_LIMITS="timeoutMs,attempts,backoffMs" shortens the limits so
 * fault tests finish in seconds. Not an input and not for production use.
 */
export function limitsFrom(env: NodeJS.ProcessEnv): Limits {
  const raw = env.NIX_RUNNER_ACTION_TEST_PUSH_LIMITS;
  if (!raw) return DEFAULT_LIMITS;
  const [t, a, b] = raw.split(",").map((s) => Number(s.trim()));
  const ok = (n: number | undefined, min: number): n is number => n !== undefined && Number.isInteger(n) && n >= min;
  return {
    timeoutMs: ok(t, 1) ? t : DEFAULT_LIMITS.timeoutMs,
    attempts: ok(a, 1) ? Math.min(a, 10) : DEFAULT_LIMITS.attempts,
    backoffMs: ok(b, 0) ? b : DEFAULT_LIMITS.backoffMs,
  };
}

/** Wait before attempt `n` (2, 3, …): backoff, doubled per retry, never past what is left. */
export function backoffBefore(n: number, limits: Limits, remainingMs: number): number {
  return Math.max(0, Math.min(limits.backoffMs * 2 ** (n - 2), remainingMs));
}

/**
 * The signal that asks the pusher to drain. Not SIGUSR1: until a Node process sets a handler for that,
 * Node takes it as "open the inspector" (a debugger on 127.0.0.1:9229, in a process that holds the
 * signing key). SIGUSR2 means nothing to Node; sent too early, it ends the pusher, and post pushes.
 */
export const DRAIN_SIGNAL = "SIGUSR2";

/** GitLab's default after_script budget, when RUNNER_AFTER_SCRIPT_TIMEOUT does not say. */
export const AFTER_SCRIPT_DEFAULT_MS = 5 * 60_000;

/**
 * A Go duration as GitLab's runner reads RUNNER_AFTER_SCRIPT_TIMEOUT ("5m", "300s", "1h30m", "90s");
 * undefined when it is not one.
 */
export function goDurationMs(text: string | undefined): number | undefined {
  const s = (text ?? "").trim();
  if (!/^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(s)) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  for (const [, n, u] of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(n) * unit[u];
  return ms;
}

/**
 * GitLab runs the push in after_script, which its runner ends after RUNNER_AFTER_SCRIPT_TIMEOUT (5
 * minutes by default): the push's timeout is cut to fit, leaving a fifth of the budget (at most
 * 30 s) for Node to start and for the steps around the copies.
 */
export function withinAfterScript(limits: Limits, env: NodeJS.ProcessEnv): Limits {
  const budget = goDurationMs(env.RUNNER_AFTER_SCRIPT_TIMEOUT) || AFTER_SCRIPT_DEFAULT_MS;
  const usable = budget - Math.min(30_000, budget / 5);
  return { ...limits, timeoutMs: Math.max(1000, Math.min(limits.timeoutMs, Math.floor(usable))) };
}
