export const id = 218;
export const ids = [218];
export const modules = {

/***/ 7837:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AFTER_SCRIPT_DEFAULT_MS: () => (/* binding */ AFTER_SCRIPT_DEFAULT_MS),
/* harmony export */   DEFAULT_LIMITS: () => (/* binding */ DEFAULT_LIMITS),
/* harmony export */   DRAIN_SIGNAL: () => (/* binding */ DRAIN_SIGNAL),
/* harmony export */   backoffBefore: () => (/* binding */ backoffBefore),
/* harmony export */   boundText: () => (/* binding */ boundText),
/* harmony export */   drainDeadline: () => (/* binding */ drainDeadline),
/* harmony export */   goDurationMs: () => (/* binding */ goDurationMs),
/* harmony export */   limitsFrom: () => (/* binding */ limitsFrom),
/* harmony export */   withinAfterScript: () => (/* binding */ withinAfterScript)
/* harmony export */ });
/**
 * The defaults when push-timeout is not given (src/inputs.ts holds its 15 minutes): long enough for a
 * few GB to a nearby cache, short enough that a hung cache does not hold a runner for the job's full
 * 6-hour limit. Three attempts ride out a restart or a 502.
 */
const DEFAULT_LIMITS = { timeoutMs: 15 * 60_000, attempts: 3, backoffMs: 5_000 };
/**
 * The push's limits: `timeoutMs` is push-timeout's (Inputs.pushTimeoutMs).
 * TEST ONLY: NIX_RUNNER_ACTION_TEST_PUSH_LIMITS="timeoutMs,attempts,backoffMs" shortens them so fault
 * tests finish in seconds; a part left empty or invalid keeps its value. Not an input and not for
 * production use.
 */
function limitsFrom(env, timeoutMs = DEFAULT_LIMITS.timeoutMs) {
    const base = { ...DEFAULT_LIMITS, timeoutMs };
    const raw = env.NIX_RUNNER_ACTION_TEST_PUSH_LIMITS;
    if (!raw)
        return base;
    const [t, a, b] = raw.split(",").map((s) => (s.trim() === "" ? undefined : Number(s.trim())));
    const ok = (n, min) => n !== undefined && Number.isInteger(n) && n >= min;
    return {
        timeoutMs: ok(t, 1) ? t : base.timeoutMs,
        attempts: ok(a, 1) ? Math.min(a, 10) : base.attempts,
        backoffMs: ok(b, 0) ? b : base.backoffMs,
    };
}
/** The push's bound for logs and the summary: "push-timeout (15 min)", "push-timeout (0.1 min, 6 s)". */
function boundText(limits, name = "push-timeout") {
    const min = Math.round((limits.timeoutMs / 60_000) * 100) / 100;
    return `${name} (${min} min${limits.timeoutMs < 60_000 ? `, ${Math.round(limits.timeoutMs / 1000)} s` : ""})`;
}
/**
 * When the background pusher, asked to drain by post at `now` with post's own deadline, stops by
 * itself: a little before post's deadline (a twentieth of what is left, 1 to 5 s), so that it has
 * killed its uploads and written its status when post stops waiting; never before `now`.
 */
function drainDeadline(postDeadline, now) {
    const left = postDeadline - now;
    const margin = Math.min(5000, Math.max(1000, left / 20));
    return Math.max(now, Math.floor(postDeadline - margin));
}
/** Wait before attempt `n` (2, 3, …): backoff, doubled per retry, never past what is left. */
function backoffBefore(n, limits, remainingMs) {
    return Math.max(0, Math.min(limits.backoffMs * 2 ** (n - 2), remainingMs));
}
/**
 * The signal that asks the pusher to drain. Not SIGUSR1: until a Node process sets a handler for that,
 * Node takes it as "open the inspector" (a debugger on 127.0.0.1:9229, in a process that holds the
 * signing key). SIGUSR2 means nothing to Node; sent too early, it ends the pusher, and post pushes.
 */
const DRAIN_SIGNAL = "SIGUSR2";
/** GitLab's default after_script budget, when RUNNER_AFTER_SCRIPT_TIMEOUT does not say. */
const AFTER_SCRIPT_DEFAULT_MS = 5 * 60_000;
/**
 * A Go duration as GitLab's runner reads RUNNER_AFTER_SCRIPT_TIMEOUT ("5m", "300s", "1h30m", "90s");
 * undefined when it is not one.
 */
function goDurationMs(text) {
    const s = (text ?? "").trim();
    if (!/^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(s))
        return undefined;
    const unit = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    let ms = 0;
    for (const [, n, u] of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
        ms += Number(n) * unit[u];
    return ms;
}
/**
 * GitLab runs the push in after_script, which its runner ends after RUNNER_AFTER_SCRIPT_TIMEOUT (5
 * minutes by default): the push's timeout is cut to fit, leaving a fifth of the budget (at most
 * 30 s) for Node to start and for the steps around the copies.
 */
function withinAfterScript(limits, env) {
    // the bound is cut, never raised: push-timeout below the budget stands
    const budget = goDurationMs(env.RUNNER_AFTER_SCRIPT_TIMEOUT) || AFTER_SCRIPT_DEFAULT_MS;
    const usable = budget - Math.min(30_000, budget / 5);
    return { ...limits, timeoutMs: Math.max(1000, Math.min(limits.timeoutMs, Math.floor(usable))) };
}


/***/ })

};
