export const id = 549;
export const ids = [549];
export const modules = {

/***/ 1549:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GITLAB_DEFAULT_TIMEOUT_S: () => (/* binding */ GITLAB_DEFAULT_TIMEOUT_S),
/* harmony export */   gitlabLifetime: () => (/* binding */ gitlabLifetime),
/* harmony export */   lifetimeFor: () => (/* binding */ lifetimeFor)
/* harmony export */ });
/** GitLab's default job timeout (a project's "Timeout" setting), used where CI_JOB_TIMEOUT is absent. */
const GITLAB_DEFAULT_TIMEOUT_S = 60 * 60;
/**
 * Actions runners: the runner's worker started main (`ppid`), and the pusher lives while it does;
 * post stops it. GitLab: see gitlabLifetime.
 */
function lifetimeFor(platform, env, now, ppid) {
    if (platform === "gitlab")
        return gitlabLifetime(env, now);
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
function gitlabLifetime(env, now) {
    const parsed = env.CI_JOB_STARTED_AT ? Date.parse(env.CI_JOB_STARTED_AT) : NaN;
    const started = Number.isFinite(parsed) && parsed <= now ? parsed : now;
    const t = Number(env.CI_JOB_TIMEOUT);
    const timeoutS = Number.isInteger(t) && t > 0 ? t : GITLAB_DEFAULT_TIMEOUT_S;
    const from = started === parsed ? `CI_JOB_STARTED_AT ${env.CI_JOB_STARTED_AT}` : "now (no readable CI_JOB_STARTED_AT)";
    const limit = timeoutS === t ? `CI_JOB_TIMEOUT ${t} s` : `GitLab's default timeout of ${GITLAB_DEFAULT_TIMEOUT_S} s (no readable CI_JOB_TIMEOUT)`;
    const deadline = started + timeoutS * 1000;
    return { runnerPid: 0, deadline, ownGroup: false, why: `it stops at the job's deadline ${new Date(deadline).toISOString()} (${from} + ${limit}) and with the job's process group` };
}


/***/ })

};
