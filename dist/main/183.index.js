export const id = 183;
export const ids = [183,218];
export const modules = {

/***/ 8183:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  idleLimitFrom: () => (/* binding */ idleLimitFrom),
  killOrphanUploads: () => (/* binding */ killOrphanUploads),
  livePusher: () => (/* binding */ livePusher),
  pusherLog: () => (/* binding */ pusherLog),
  readStatus: () => (/* binding */ readStatus),
  signalDrain: () => (/* binding */ signalDrain),
  startPusher: () => (/* binding */ startPusher),
  stopPusherSync: () => (/* binding */ stopPusherSync),
  waitForExit: () => (/* binding */ waitForExit)
});

// EXTERNAL MODULE: ./src/step-io.ts
var step_io = __webpack_require__(7814);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./src/exec.ts
var exec = __webpack_require__(3190);
// EXTERNAL MODULE: ./src/job-dir.ts
var job_dir = __webpack_require__(4374);
// EXTERNAL MODULE: ./src/push/limits.ts
var limits = __webpack_require__(7837);
;// CONCATENATED MODULE: ./src/push/url.ts

/** Percent-encodes a query value but keeps `/`, so a file path stays readable in the log. */
function q(v) {
    return encodeURIComponent(v).replace(/%2F/gi, "/");
}
/**
 * The destination URL for `nix copy --to`: zstd and parallel compression unless the URL sets them,
 * the signing key as the path nix reads it from. Query values the user wrote are kept as written.
 */
function buildPushUrl(target, opts) {
    const notes = [];
    const have = new Set(target.settings.map(([k]) => k));
    const add = [];
    if (target.binaryCache) {
        if (!have.has("compression")) {
            add.push(["compression", "zstd"]);
            notes.push("compression=zstd added (set compression= in push-to to choose another)");
        }
        if (!have.has("parallel-compression")) {
            add.push(["parallel-compression", "true"]);
            notes.push("parallel-compression=true added (used where this Nix's compressor supports threads; Nix 2.8 showed no gain for zstd)");
        }
        if (opts.keyFile) {
            if (have.has("secret-key"))
                notes.push("secret-key in push-to is replaced by the signing-key input");
            add.push(["secret-key", opts.keyFile]);
        }
    }
    const kept = target.settings.filter(([k]) => !(k === "secret-key" && opts.keyFile && target.binaryCache));
    const query = [...kept, ...add].map(([k, v]) => `${q(k)}=${q(v)}`).join("&");
    const signLocally = target.signs === "in-local-store" && Boolean(opts.keyFile);
    if (signLocally)
        notes.push(`${target.scheme}// stores take no secret-key setting: paths are signed in the local store before the copy`);
    return { url: query ? `${target.base}?${query}` : target.base, signLocally, notes };
}
/**
 * The arguments of every upload, post's and the pusher's: `nix copy -v` of `paths` to `url` with
 * substitute=false. A path gone from the store (deleted since it was built) then fails the copy at
 * once instead of being fetched from the job's substituters first: Nix 2.8 asks them for it, even
 * writes their nix-cache-info, and retries those that are down.
 */
function copyArgs(url, paths) {
    return [...NIX_FLAKES, "copy", "-v", "--option", "substitute", "false", "--to", url, ...paths];
}

;// CONCATENATED MODULE: ./src/push/background.ts









/**
 * Main's half: start the pusher for this job, detached, with the key on its stdin. Never fails the
 * main step: without a pusher, post pushes everything, as with push-during-build: false.
 */
async function startPusher(inputs, queueFile, storeDir, dir, limits, lifetime) {
    // none of its files holds a secret: the key and the push URL (which may carry a password) reach it on its stdin only
    const files = (0,job_dir/* jobFiles */.DE)(dir);
    if (!inputs.pushTo)
        return;
    const to = buildPushUrl(inputs.pushTo, { keyFile: inputs.signingKey ? exec/* SECRET_FD_PATH */.eb : undefined });
    if (to.signLocally) {
        step_io/* info */.pq("push: no background pusher for ssh stores (they sign in the local store first); the post step pushes");
        return;
    }
    const handoff = {
        target: inputs.pushTo,
        url: to.url,
        key: inputs.signingKey || undefined,
        queueFile,
        statusFile: files.pusherStatus,
        jobDir: dir,
        storeDir,
        pushFilter: inputs.pushFilter,
        limits,
        runnerPid: lifetime.runnerPid,
        deadline: lifetime.deadline,
        parallel: 2,
        idleMs: idleLimitFrom(process.env),
        skipUpstream: inputs.skipUpstream,
        netrc: inputs.skipUpstream.length > 0 ? inputs.netrc : "",
    };
    const bundle = external_node_path_default().join(external_node_path_default().dirname((0,external_node_url_.fileURLToPath)(import.meta.url)), "..", "pusher", "index.js");
    if (!(0,external_node_fs_.existsSync)(bundle)) {
        step_io/* warning */.$e(`push: the background pusher's bundle ${bundle} is missing; the post step pushes everything`);
        return;
    }
    try {
        const pid = await (0,exec/* startDetached */.tG)(process.execPath, [bundle], { input: JSON.stringify(handoff), logFile: files.pusherLog, ownGroup: lifetime.ownGroup });
        await (0,promises_.writeFile)(files.pusherPid, `${pid}\n`, { mode: 0o600 });
        step_io/* info */.pq(`push: background pusher started (pid ${pid}, log ${files.pusherLog}): paths are uploaded as they are built; ${lifetime.why}`);
    }
    catch (e) {
        step_io/* warning */.$e(`push: could not start the background pusher (${String(e)}); the post step pushes everything`);
    }
}
/** 2 h without a new path: a job that builds longer than that between two paths loses only the overlap. */
const IDLE_MS = 2 * 60 * 60_000;
/** TEST ONLY: NIX_RUNNER_ACTION_TEST_PUSHER_IDLE_MS shortens the idle limit. */
function idleLimitFrom(env) {
    const n = Number(env.NIX_RUNNER_ACTION_TEST_PUSHER_IDLE_MS);
    return Number.isInteger(n) && n > 0 ? n : IDLE_MS;
}
/** The pusher's pid when one was started for this job and still runs (a recycled pid is not it). */
function livePusher(dir) {
    let pid;
    try {
        pid = Number((0,external_node_fs_.readFileSync)((0,job_dir/* jobFiles */.DE)(dir).pusherPid, "utf8").trim());
    }
    catch {
        return undefined;
    }
    if (!Number.isInteger(pid) || pid <= 1)
        return undefined;
    try {
        const cmd = (0,external_node_fs_.readFileSync)(`/proc/${pid}/cmdline`, "utf8");
        const stat = (0,external_node_fs_.readFileSync)(`/proc/${pid}/stat`, "utf8");
        if (!cmd.includes(`${(external_node_path_default()).sep}pusher${(external_node_path_default()).sep}index.js`) || stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z"))
            return undefined;
    }
    catch {
        return undefined;
    }
    return pid;
}
/**
 * Asks the pusher to finish: read the queue to its end, upload what is left of it, exit, and stop by
 * itself at `stopBy` (drainDeadline of post's push-timeout; 0: no such time) with what it has not sent. Only once it
 * is ready, that is once it wrote its first status (after setting its handlers): sent earlier, the
 * request would be lost. A pusher not ready within `readyMs` is stopped instead (SIGTERM), and post
 * pushes everything itself. Returns whether it was asked to drain.
 */
async function signalDrain(dir, pid, readyMs = 10_000, stopBy = 0) {
    const files = (0,job_dir/* jobFiles */.DE)(dir);
    const status = files.pusherStatus;
    const deadline = Date.now() + readyMs;
    while (!(0,external_node_fs_.existsSync)(status) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
    const ready = (0,external_node_fs_.existsSync)(status);
    // written before the signal, which makes the pusher read it
    if (ready && stopBy > 0)
        await (0,promises_.writeFile)(files.pusherDrain, JSON.stringify({ stopBy }), { mode: 0o600 });
    try {
        process.kill(pid, ready ? limits.DRAIN_SIGNAL : "SIGTERM");
    }
    catch {
        /* gone meanwhile */
    }
    return ready;
}
/**
 * Stops the pusher now: SIGTERM, on which it kills its uploads; and kills the uploads it last
 * reported itself, for a pusher that was killed and left them running. Synchronous: a cancel
 * handler calls it. Returns the pusher's pid if it was running.
 */
function stopPusherSync(dir) {
    const pid = livePusher(dir);
    if (pid !== undefined) {
        try {
            process.kill(pid, "SIGTERM");
        }
        catch {
            /* gone */
        }
    }
    killOrphanUploads(dir);
    return pid;
}
/** Kills the nix copies a pusher reported running, if they still run. */
function killOrphanUploads(dir) {
    const status = readStatusSync(dir);
    if (!status)
        return [];
    const killed = [];
    for (const g of status.uploads ?? []) {
        try {
            // the group leader is the shell that feeds nix the key, or nix itself: either names the copy
            if (!/\bcopy\b/.test((0,external_node_fs_.readFileSync)(`/proc/${g}/cmdline`, "utf8").replace(/\0/g, " ")))
                continue;
        }
        catch {
            continue;
        }
        (0,exec/* killGroupOf */.z3)(g);
        killed.push(g);
    }
    return killed;
}
/** States the pusher writes last, right before it exits. */
const FINAL = /^(?:drained|stopped)/;
/**
 * Waits (bounded by `ms`) for the pusher to exit; true if it did. Woken by the pusher's status file
 * changing (it is renamed into place after each upload and once more just before the exit), with a
 * look every 100 ms besides; once the status says it ended, every 5 ms until the process is gone.
 */
async function waitForExit(dir, ms) {
    const deadline = Date.now() + ms;
    const statusName = external_node_path_default().basename((0,job_dir/* jobFiles */.DE)(dir).pusherStatus);
    let wake;
    let watcher;
    try {
        watcher = (0,external_node_fs_.watch)(dir, { persistent: false }, (_event, name) => {
            if (name === null || name === statusName)
                wake?.();
        });
        watcher.on("error", () => undefined);
    }
    catch {
        /* no change events here: the 100 ms look is enough */
    }
    try {
        // bounded by the deadline
        for (;;) {
            if (livePusher(dir) === undefined)
                return true;
            const left = deadline - Date.now();
            if (left <= 0)
                return false;
            const ended = FINAL.test(readStatusSync(dir)?.state ?? "");
            await new Promise((resolve) => {
                const done = () => {
                    clearTimeout(timer);
                    wake = undefined;
                    resolve();
                };
                const timer = setTimeout(done, Math.min(left, ended ? 5 : 100));
                wake = done;
            });
        }
    }
    finally {
        watcher?.close();
    }
}
function readStatusSync(dir) {
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)((0,job_dir/* jobFiles */.DE)(dir).pusherStatus, "utf8"));
    }
    catch {
        return undefined;
    }
}
async function readStatus(dir) {
    try {
        return JSON.parse(await (0,promises_.readFile)((0,job_dir/* jobFiles */.DE)(dir).pusherStatus, "utf8"));
    }
    catch {
        return undefined;
    }
}
async function pusherLog(dir) {
    return (0,promises_.readFile)((0,job_dir/* jobFiles */.DE)(dir).pusherLog, "utf8").catch(() => "");
}


/***/ }),

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
