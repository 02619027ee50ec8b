import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 1480:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  H: () => (/* binding */ runPusher)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
var external_node_os_default = /*#__PURE__*/__nccwpck_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/step-io.ts
var step_io = __nccwpck_require__(7814);
;// CONCATENATED MODULE: ./src/exec.ts




/** Where a command started with `secret` reads it. */
const SECRET_FD_PATH = "/dev/fd/3";
/**
 * Node gives a child its extra stdio as a socket, and Linux refuses to open a socket through
 * /dev/fd ("No such device or address"), which is how Nix reads a key file. So the command runs
 * behind a shell pipeline: `cat` moves the secret from node's socket into a real pipe, which the
 * command gets as fd 3. The pipeline's status is the command's.
 */
const SECRET_PIPE = 'cat <&3 | "$0" "$@" 3<&0 0</dev/null';
/**
 * The env a child process gets: the given one without the step's inputs. The runner hands a step its
 * inputs as INPUT_* variables, secrets among them (signing-key, access-tokens, netrc); no command
 * this action runs needs them, and nix would pass them on to builders, hooks and ssh.
 */
function childEnv(env = process.env) {
    const out = {};
    for (const [k, v] of Object.entries(env))
        if (v !== undefined && !/^INPUT_/i.test(k))
            out[k] = v;
    return out;
}
/** Process groups of the detached commands still running (their leaders' pids). */
const running = new Set();
/**
 * Kills the process group of every command `run` started with a timeout that has not ended yet, and
 * returns their pids. For a step that is being cancelled: a detached group would outlive it.
 */
function killRunning() {
    const pids = [...running];
    for (const pid of pids)
        killGroup(pid);
    running.clear();
    return pids;
}
/** Process groups of the commands with a timeout still running (for a status another process reads). */
function runningGroups() {
    return [...running];
}
/** Kills process group `pgid` (a detached command's). */
function killGroupOf(pgid) {
    killGroup(pgid);
}
/**
 * The one place this action starts processes. It never throws for a non-zero exit: callers decide.
 * Built on node's spawn rather than @actions/exec because the push needs a hard timeout and a
 * kill of the whole process, which @actions/exec does not offer.
 */
async function exec_run(cmd, args, opts = {}) {
    if (opts.echo)
        step_io/* info */.pq(`[command]${[cmd, ...args].join(" ")}`);
    // loaded on first use: where Nix lives in the store, the main step starts no process at all
    const { spawn } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 1421, 23));
    let outFd;
    try {
        if (opts.stdoutFile !== undefined)
            outFd = (0,external_node_fs_.openSync)(opts.stdoutFile, "w", 0o600);
    }
    catch (err) {
        return { code: 126, stdout: "", stderr: String(err), timedOut: false };
    }
    const spool = opts.spool && !opts.echo && outFd === undefined ? spoolFiles() : undefined;
    const result = await startAndWait(spawn, cmd, args, opts, spool?.[0] ?? outFd, spool?.[1]);
    if (outFd !== undefined)
        (0,external_node_fs_.closeSync)(outFd);
    if (spool) {
        result.stdout += readSpooled(spool[0]);
        result.stderr = readSpooled(spool[1]) + result.stderr;
    }
    return result;
}
/** The command's result; one that cannot be started at all is exit 127. */
async function startAndWait(spawn, cmd, args, opts, out, err) {
    let child;
    try {
        child = start(spawn, cmd, args, opts, out, err);
    }
    catch (e) {
        return { code: 127, stdout: "", stderr: String(e), timedOut: false };
    }
    const ended = outcome(child, opts);
    feed(child, opts);
    return ended;
}
/**
 * Starts the command, with `out` and `err` as its stdout and stderr when given (files), else pipes.
 * With a secret it runs behind SECRET_PIPE; with a timeout it leads a process group of its own.
 */
function start(spawn, cmd, args, opts, out, err) {
    const viaPipe = opts.secret !== undefined;
    return spawn(viaPipe ? "sh" : cmd, viaPipe ? ["-c", SECRET_PIPE, cmd, ...args] : args, {
        env: childEnv(opts.env ?? process.env),
        cwd: opts.cwd,
        stdio: [opts.input === undefined || viaPipe ? "ignore" : "pipe", out ?? "pipe", err ?? "pipe", ...(viaPipe ? ["pipe"] : [])],
        detached: opts.timeoutMs !== undefined,
    });
}
/** Gives the command its input on stdin and its secret on fd 3. */
function feed(child, opts) {
    if (opts.input !== undefined && child.stdin)
        child.stdin.end(opts.input);
    const secretPipe = opts.secret === undefined ? undefined : child.stdio[3];
    if (secretPipe) {
        // a command that fails before it reads the secret closes the pipe: its exit status says why
        secretPipe.on("error", () => undefined);
        secretPipe.end(opts.secret);
    }
}
/** The command's end and what it printed; past `timeoutMs`, its whole process group is killed. */
function outcome(child, opts) {
    return new Promise((resolve) => {
        let stdout = "";
        let stderr = "";
        let timedOut = false;
        const pid = child.pid;
        if (opts.timeoutMs !== undefined && pid !== undefined)
            running.add(pid);
        const timer = opts.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                killGroup(pid);
            }, opts.timeoutMs);
        const done = (r) => {
            if (timer)
                clearTimeout(timer);
            if (pid !== undefined)
                running.delete(pid);
            resolve({ ...r, timedOut });
        };
        child.stdout?.setEncoding("utf8").on("data", (d) => {
            stdout += d;
            if (opts.echo)
                step_io/* raw */.lS(d);
        });
        child.stderr?.setEncoding("utf8").on("data", (d) => {
            stderr += d;
            if (opts.echo)
                step_io/* raw */.lS(d);
        });
        child.on("error", (err) => done({ code: err.code === "ENOENT" ? 127 : 126, stdout, stderr: stderr + String(err) }));
        child.on("close", (code, signal) => done({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    });
}
/** Two unlinked files for a command's stdout and stderr, or undefined when they cannot be made. */
function spoolFiles() {
    const fds = [];
    try {
        for (const name of ["out", "err"]) {
            const file = external_node_path_default().join(external_node_os_default().tmpdir(), `nix-runner-action-${process.pid}-${Math.random().toString(36).slice(2)}.${name}`);
            fds.push((0,external_node_fs_.openSync)(file, "wx+", 0o600));
            (0,external_node_fs_.unlinkSync)(file);
        }
        return [fds[0], fds[1]];
    }
    catch {
        for (const fd of fds)
            (0,external_node_fs_.closeSync)(fd);
        return undefined;
    }
}
/** What the command wrote to a spool file (read from the start: the child moved the shared offset), then closed. */
function readSpooled(fd) {
    try {
        const buf = Buffer.alloc((0,external_node_fs_.fstatSync)(fd).size);
        let at = 0;
        while (at < buf.length) {
            const n = (0,external_node_fs_.readSync)(fd, buf, at, buf.length - at, at);
            if (n === 0)
                break;
            at += n;
        }
        return buf.subarray(0, at).toString("utf8");
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
function killGroup(pid) {
    if (pid === undefined)
        return;
    try {
        // detached children lead their own process group: a negative pid reaches nix and its helpers.
        process.kill(-pid, "SIGKILL");
    }
    catch {
        try {
            process.kill(pid, "SIGKILL");
        }
        catch {
            /* already gone */
        }
    }
}
/** The first line of stderr (or stdout) that says something, for one-line error messages. */
function firstError(r) {
    const text = (r.stderr.trim() || r.stdout.trim()).split("\n");
    return text.find((l) => /error/i.test(l))?.trim() ?? text[0]?.trim() ?? `exit code ${r.code}`;
}
/**
 * Starts a long-lived helper that outlives this step (the background pusher): its own session and
 * process group unless `ownGroup` is false (then it stays in this process's group, and a signal to
 * the group reaches it), the environment without INPUT_*, `input` on its stdin (a secret may travel
 * there: never through argv or env), stdout and stderr appended to `logFile`, so that it holds none
 * of this process's output open. Resolves with its pid once `input` has been handed over.
 */
async function startDetached(cmd, args, opts) {
    const { spawn } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 1421, 23));
    const log = openSync(opts.logFile, "a", 0o600);
    try {
        const child = spawn(cmd, args, { env: childEnv(opts.env ?? process.env), stdio: ["pipe", log, log], detached: opts.ownGroup ?? true });
        const pid = await new Promise((resolve, reject) => {
            child.once("error", reject);
            child.once("spawn", () => resolve(child.pid));
        });
        await new Promise((resolve) => {
            child.stdin.once("error", () => resolve());
            child.stdin.end(opts.input, () => resolve());
        });
        child.stdin.destroy();
        child.unref();
        return pid;
    }
    finally {
        closeSync(log);
    }
}

;// CONCATENATED MODULE: ./src/push/limits.ts
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
const AFTER_SCRIPT_DEFAULT_MS = (/* unused pure expression or super */ null && (5 * 60_000));
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

;// CONCATENATED MODULE: ./src/push/report.ts
/** Adds what `nix copy -v`'s log `text` says it uploaded to `into`; `binaryCache`: PushTarget's. */
function parseCopyLog(text, binaryCache, into = { paths: new Set(), narBytes: 0 }) {
    if (!binaryCache) {
        // an ssh store logs no sizes: count the paths it reports
        for (const m of text.matchAll(/^copying path '([^']+)' to '/gm))
            into.paths.add(m[1]);
        return into;
    }
    for (const m of text.matchAll(/^copying path '([^']+)' \((\d+) bytes, compressed/gm)) {
        if (into.paths.has(m[1]))
            continue;
        into.paths.add(m[1]);
        into.narBytes += Number(m[2]);
    }
    return into;
}
/**
 * Why a successful `nix copy -v`'s log (of `given` paths) cannot be what parseCopyLog counts, or
 * undefined when it can. Every Nix so far logs `querying info about '<p>' on '<store>'...` per path,
 * `copying N paths...`, and per path sent `copying path '<p>' to '<store>'...`, followed, when the
 * target is a binary cache (file, http(s), s3), by the sized line parseCopyLog reads. Nothing of
 * that at all, an announced copy that names no path, or a path sent to a binary cache without its
 * sized line means the lines have changed.
 */
function copyLogDoubt(text, given, binaryCache) {
    const lines = text.split("\n").map((l) => l.trim());
    if (given > 0 && !lines.some((l) => /^(?:querying info about '|copying \d+ paths|copying path ')/.test(l))) {
        return `none of its lines is one the action knows ("querying info about …", "copying N paths…", "copying path …")`;
    }
    const announced = lines.reduce((n, l) => n + Number(l.match(/^copying (\d+) paths/)?.[1] ?? 0), 0);
    const sent = new Set(lines.flatMap((l) => l.match(/^copying path '([^']+)' to '/)?.[1] ?? []));
    if (announced > 0 && sent.size === 0)
        return `it announced ${announced} path(s) to copy and named none`;
    if (!binaryCache)
        return undefined;
    const counted = parseCopyLog(text, true).paths;
    const unsized = [...sent].filter((p) => !counted.has(p));
    if (unsized.length > 0)
        return `${unsized.length} path(s) sent without the line with their size (first: ${unsized[0]})`;
    return undefined;
}
/** Nix 2.8's words for a 401, 403 or 404 on nix-cache-info (2.26 and 2.34 say "HTTP error 40x"). */
const NOT_A_CACHE = /does not appear to be a binary cache/;
/** A receiving store refused a path it could not check: "lacks a valid signature" (2.8), "lacks a signature by a trusted key" (2.26, 2.34). */
const SIGNATURE_REFUSED = /lacks a (?:valid signature|signature by a trusted key)/;
/** Errors no retry can fix: retrying them only delays the job. Anything else is worth another try. */
function classifyFailure(stderr) {
    const permanent = [
        /don't know how to open Nix store/,
        /HTTP error 40[1345]/,
        NOT_A_CACHE,
        /is not valid/,
        // a path gone from the store, copied with substitute=false (2.8, 2.26 and 2.34 say so): no retry brings it back
        /is required, but there is no substituter that can build it/,
        SIGNATURE_REFUSED,
        // a setting of push-to this Nix refuses (measured on 2.8, 2.26, 2.34): the same URL is refused again.
        // Only as an error: "warning: unknown setting" leaves the copy going, and a later failure may be transient
        /^error: .*unknown (?:setting|compression method)/m,
        /^error: .*(?:setting|option) '[^']+' has invalid value/m,
        /invalid (?:secret key|base64)/i,
        /No space left on device/,
        /Permission denied/,
    ];
    return permanent.some((re) => re.test(stderr)) ? "permanent" : "transient";
}
/**
 * What to do about a failure nix's own words leave unclear, as " (…)" to append to them; "" when
 * there is nothing to add. Without S3 support, Nix 2.8 says "don't know how to open Nix store
 * 's3://…'" and Nix 2.26 "… Nix store with scheme 's3'". `scheme` is push-to's (PushTarget): a 401
 * or 403 from an S3 cache reads in Nix 2.34's words as from any HTTP server (the endpoint's URL, no "S3").
 */
function failureHint(stderr, scheme) {
    if (/don't know how to open Nix store (?:with scheme )?'s3[:']/.test(stderr)) {
        return " (this Nix was built without S3 support: push to an http(s):// or file:// cache, or use a Nix with S3)";
    }
    if (NOT_A_CACHE.test(stderr)) {
        return " (the server answered without a Nix cache there: check the URL, and netrc credentials if it needs a login)";
    }
    if (/<Code>NoSuchBucket<\/Code>/.test(stderr)) {
        return " (the bucket does not exist: create it, or fix the bucket name in push-to)";
    }
    if (scheme === "s3:" && /HTTP error 40[13]/.test(stderr)) {
        return " (the S3 server refused the request: give the job's environment AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE or profile= in push-to, for a key allowed to write to the bucket; a Nix built without AWS authentication, Debian's nix-bin among them, sends no credentials at all and can only write to a bucket that takes anonymous writes)";
    }
    if (SIGNATURE_REFUSED.test(stderr)) {
        return " (the receiving store checks signatures: add signing-key's public key to its trusted-public-keys, or make the ssh user trusted there)";
    }
    return "";
}
/** The error worth showing: nix's own `error:` line when there is one. */
function errorLine(stderr) {
    const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
    const last = [...lines].reverse().find((l) => l.startsWith("error:"));
    return redactCredentials((last ?? lines[lines.length - 1] ?? "no output").replace(/^error:\s*/, ""));
}
function mbPerSecond(bytes, seconds) {
    return seconds > 0 ? (bytes / 1e6 / seconds).toFixed(1) : "-";
}
/** The summary table's rows (io.appendSummaryTable): a header then one row. */
function summaryTable(r) {
    const head = ["cache", "method", "paths selected", "paths uploaded", "NAR bytes", "seconds", "MB/s", "result"];
    const row = [
        r.cache,
        r.method,
        String(r.selected),
        String(r.uploaded),
        String(r.narBytes),
        r.seconds.toFixed(1),
        mbPerSecond(r.narBytes, r.seconds),
        r.result,
    ];
    if (r.during) {
        head.push("uploaded during the job", "NAR bytes during the job", "post waited (s)");
        row.push(String(r.during.uploaded), String(r.during.narBytes), r.during.waitedSeconds.toFixed(1));
    }
    if (r.leftOut !== undefined) {
        head.push("left out (not attributable to this job)");
        row.push(r.leftOut > 0 ? `${r.leftOut} (push-unattributed: true pushes them)` : "0");
    }
    if (r.upstream) {
        head.push("upstream");
        row.push(r.upstream);
    }
    return [head.map((data) => ({ data, header: true })), row.map((data) => ({ data }))];
}
/** `scheme://user:password@host` → `scheme://***@host`, wherever it appears in a message (a bare user stays). */
function redactCredentials(text) {
    return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s':]+:[^/@\s']+@/gi, "$1***@");
}

;// CONCATENATED MODULE: ./src/nix/features.ts
/**
 * The arguments that turn on the `nix` command and flakes for one command, whatever the machine's
 * nix.conf enables: every `nix` run of the action that builds, copies, runs or updates a flake.
 */
const NIX_FLAKES = ["--extra-experimental-features", "nix-command flakes"];
/**
 * The `nix` command alone, for commands that read Nix's configuration: there, flakes turned on by
 * the command line would read back as if the machine's nix.conf enabled them.
 */
const features_NIX_COMMAND = ["--extra-experimental-features", "nix-command"];

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

;// CONCATENATED MODULE: ./src/push/copy.ts




/** Keep each nix command line well under Linux's argument limit (2 MB with the default stack). */
const ARGV_BUDGET = 256 * 1024;
/** Splits a path list so no command line exceeds ARGV_BUDGET; almost always a single chunk. */
function copy_chunks(paths, budget = ARGV_BUDGET) {
    const out = [];
    let cur = [];
    let size = 0;
    for (const p of paths) {
        if (cur.length > 0 && size + p.length + 1 > budget) {
            out.push(cur);
            cur = [];
            size = 0;
        }
        cur.push(p);
        size += p.length + 1;
    }
    if (cur.length > 0)
        out.push(cur);
    return out;
}
function remaining(b) {
    return "deadline" in b ? b.deadline - Date.now() : b.eachCopyMs;
}
/**
 * Copies one chunk (≤ ARGV_BUDGET) of paths with nix copy, retried with backoff on a transient
 * failure, at most `limits.attempts` times, within the budget. Never throws for a failed copy.
 */
async function copyChunk(to, given, on = {}) {
    let paths = given;
    for (let attempt = 1;; attempt++) {
        if (attempt > 1) {
            const wait = backoffBefore(attempt, to.limits, remaining(to.budget));
            on.waiting?.(attempt, wait);
            await new Promise((r) => setTimeout(r, wait));
        }
        if (remaining(to.budget) <= 0)
            return { ok: false, attempt, paths };
        on.starting?.(attempt, paths);
        await to.via?.prepare(paths, remaining(to.budget));
        const r = await exec_run("nix", copyArgs(to.via?.url ?? to.url, paths), { env: to.env, timeoutMs: remaining(to.budget), secret: to.key, spool: true });
        const before = to.copied.paths.size;
        parseCopyLog(r.stderr + r.stdout, to.target.binaryCache, to.copied);
        if (r.code === 0) {
            const unclear = copyLogDoubt(r.stderr + r.stdout, paths.length, to.target.binaryCache);
            if (unclear)
                on.notUnderstood?.(unclear);
            return { ok: true, paths, uploaded: to.copied.paths.size - before };
        }
        const again = await on.recheck?.(paths, r);
        if (again !== undefined) {
            paths = again;
            if (paths.length === 0)
                return { ok: true, paths, uploaded: 0 };
            attempt--;
            continue;
        }
        const permanent = r.timedOut ? "deadline" in to.budget : classifyFailure(r.stderr) === "permanent";
        const final = permanent || attempt >= to.limits.attempts || remaining(to.budget) <= 0;
        on.failed?.(attempt, r, final);
        if (final)
            return { ok: false, attempt, paths, r };
    }
}

;// CONCATENATED MODULE: ./src/job-dir.ts


/** The folder for this job's files: where the step's CI flavour keeps them (src/step-io.ts, src/gitlab-io.ts). */
function jobDir(env = process.env) {
    return step_io/* jobDir */.jy(env);
}
function jobFiles(dir = jobDir()) {
    const at = (name) => external_node_path_default().join(dir, name);
    return {
        dir,
        nixConf: at("nix.conf"),
        netrc: at("netrc"),
        daemonPid: at("nix-daemon.pid"),
        daemonLog: at("nix-daemon.log"),
        hook: at("post-build-hook.sh"),
        queue: at("push-queue"),
        storeListing: at("store-before"),
        pusherPid: at("pusher.pid"),
        pusherStatus: at("pusher-status.json"),
        pusherLog: at("pusher.log"),
        pusherDrain: at("pusher-drain.json"),
        uploadTmp: at("nix-tmp"),
        cliState: at("cli-state.json"),
    };
}
/** Where main records the PID of a nix-daemon it started, for the post step to stop. */
function daemonPidFile(env = process.env) {
    return jobFiles(jobDir(env)).daemonPid;
}

;// CONCATENATED MODULE: ./src/nix/derivation.ts

/**
 * The output paths a store derivation declares, read from its ATerm text
 * (`Derive([("out","/nix/store/…-x","",""),…],…)`), as `nix-store --query --outputs` prints them.
 * Undefined when the text is not that shape or an output has no path yet (content-addressed
 * outputs, a newer format such as `DrvWithVersion(`): then ask nix-store.
 */
function outputsOfDrvText(text) {
    const head = "Derive([";
    if (!text.startsWith(head))
        return undefined;
    let i = head.length;
    /** A quoted ATerm string at i (escapes \\ \" \n \r \t), or undefined. */
    const str = () => {
        if (text[i] !== '"')
            return undefined;
        let out = "";
        for (i++; i < text.length; i++) {
            const c = text[i];
            if (c === '"') {
                i++;
                return out;
            }
            if (c === "\\") {
                const e = text[++i];
                out += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e;
            }
            else
                out += c;
        }
        return undefined;
    };
    const expect = (c) => (text[i] === c ? (i++, true) : false);
    const outputs = [];
    // bounded by the text: every turn consumes at least one output tuple
    while (i < text.length) {
        if (expect("]"))
            return outputs.length > 0 ? outputs : undefined;
        if (outputs.length > 0 && !expect(","))
            return undefined;
        if (!expect("("))
            return undefined;
        const fields = [str()];
        for (let f = 1; f < 4; f++)
            fields.push(expect(",") ? str() : undefined);
        if (!expect(")") || fields.some((x) => x === undefined))
            return undefined;
        const p = fields[1];
        if (!p.startsWith("/"))
            return undefined;
        outputs.push(p);
    }
    return undefined;
}
/**
 * Outputs of the derivations, from their .drv files where those can be read; `unread` are those
 * the caller must ask `nix-store --query --outputs` about. Reading saves a process per batch, on
 * the path from a build's end to its upload. Synchronous on purpose: .drv files are small, and
 * for the 500 of a large job one awaited read after another took 60–90 ms here, reading them in
 * one go 5–8 ms.
 */
function outputsOfDrvFiles(drvs) {
    const outputs = [];
    const unread = [];
    for (const d of drvs) {
        let text;
        try {
            text = (0,external_node_fs_.readFileSync)(d, "utf8");
        }
        catch {
            text = undefined;
        }
        const outs = text === undefined ? undefined : outputsOfDrvText(text);
        if (outs)
            outputs.push(...outs);
        else
            unread.push(d);
    }
    return { outputs, unread };
}

;// CONCATENATED MODULE: ./src/push/select.ts
/** push-paths set: that decides it, wherever the job runs. */
const PUSH_PATHS_CHOICE = { method: "paths", why: "push-paths is set, so exactly those closures are pushed" };
/**
 * The hook is exact and costs nothing per path, so it wins wherever Nix will run it for this job:
 * a store opened directly, or a daemon that trusts us and can see our script (on the host, or in our
 * own container; not the host's daemon behind a mounted socket, which cannot reach a container's
 * files). Otherwise the store listing taken in main is diffed.
 */
function chooseMethod(pushPaths, facts, trust) {
    if (pushPaths.length > 0)
        return PUSH_PATHS_CHOICE;
    if (!facts.viaDaemon) {
        return { method: "hook", why: "Nix opens the store directly, so it runs this job's post-build-hook after every build" };
    }
    if (trust.trusted !== true) {
        const reason = trust.trusted === false
            ? `the Nix daemon does not trust user "${facts.user}", so it ignores a post-build-hook from this job`
            : `it is unknown whether the daemon trusts user "${facts.user}" (${trust.how}), so a post-build-hook may be ignored`;
        return { method: "diff", why: `${reason}; the store listing taken now is compared with the store in the post step` };
    }
    if (!facts.daemonSharesConfig) {
        return {
            method: "diff",
            why: "the daemon runs on the host and cannot run a hook script inside this container; the store listing taken now is compared in the post step",
        };
    }
    return { method: "hook", why: `the daemon trusts user "${facts.user}", so it runs this job's post-build-hook after every build` };
}
const SKIP_SUFFIXES = [".drv", ".lock", ".check"];
/** The top-level store path a path points into (`/nix/store/abc-x/bin/y` → `/nix/store/abc-x`), or undefined. */
function storePathOf(p, storeDir) {
    const prefix = storeDir.replace(/\/+$/, "") + "/";
    if (!p.startsWith(prefix))
        return undefined;
    const name = p.slice(prefix.length).split("/")[0];
    if (!/^[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+\-._?=]+$/.test(name))
        return undefined;
    return prefix + name;
}
/**
 * Candidates in, paths worth pushing out: store paths only, once each, in order, without derivations,
 * lock and check files, and without what `push-filter` matches.
 */
function filterPaths(candidates, storeDir, filter) {
    const re = filter ? new RegExp(filter) : undefined;
    const seen = new Set();
    const keep = [];
    let dropped = 0;
    for (const c of candidates) {
        const p = storePathOf(c.trim(), storeDir);
        if (p === undefined || seen.has(p)) {
            if (c.trim() !== "" && p === undefined)
                dropped++;
            continue;
        }
        seen.add(p);
        if (SKIP_SUFFIXES.some((s) => p.endsWith(s)) || (re && re.test(p))) {
            dropped++;
            continue;
        }
        keep.push(p);
    }
    return { keep, dropped };
}
/** Store entries present after but not before (both as readdir names), as full paths. */
function newEntries(before, after, storeDir) {
    const had = new Set(before);
    const dir = storeDir.replace(/\/+$/, "");
    return after.filter((n) => !had.has(n) && !n.startsWith(".")).map((n) => `${dir}/${n}`);
}
/** Lines of the hook's queue file (OUT_PATHS are space-separated; each build appends one line). */
function parseQueue(text) {
    return text.split(/\s+/).filter((w) => w.length > 0);
}

;// CONCATENATED MODULE: ./src/push/outputs.ts




/** The lines of a store query's answer: the store paths, and whatever else it printed. */
function storePathLines(stdout, storeDir) {
    const lines = stdout.split("\n").map((l) => l.trim()).filter(Boolean);
    const isPath = (l) => storePathOf(l, storeDir) === l;
    return { paths: lines.filter(isPath), other: lines.filter((l) => !isPath(l)) };
}
/**
 * The outputs of derivations the hook queued (a hook that got no OUT_PATHS, as on Nix 2.8): what
 * their .drv files declare, read without a process on the way to the upload; nix-store --query
 * --outputs for what they do not say. `timeoutMs` is asked before each nix-store run.
 */
async function outputsOfDerivations(drvs, storeDir, timeoutMs) {
    const { outputs, unread } = outputsOfDrvFiles([...new Set(drvs)]);
    const out = { outputs, other: [], asked: unread.length };
    for (const chunk of copy_chunks(unread)) {
        const r = await exec_run("nix-store", ["--query", "--outputs", ...chunk], { timeoutMs: timeoutMs() });
        if (r.code !== 0)
            return { ...out, failed: r };
        const { paths, other } = storePathLines(r.stdout, storeDir);
        out.outputs.push(...paths);
        out.other.push(...other);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/push/upload-tmp.ts


/**
 * The temp folder of every upload, post's and the background pusher's: `<job dir>/nix-tmp`. Nix
 * writes each NAR it compresses for a binary cache to a temp file in TMPDIR and removes it when the
 * upload ends, but an upload that is killed (a cancelled post step, a stopped pusher) leaves it
 * behind; in /tmp, the job's build outputs would pile up on a host-mode runner. Under the job's
 * folder, post removes what is left (`removeUploadTmp`), and the runner's cleanup of RUNNER_TEMP the
 * rest.
 */
function uploadTmpDir(jobDir) {
    return jobFiles(jobDir).uploadTmp;
}
/**
 * The env for an upload: this process's, with TMPDIR in the job's folder; unchanged when that cannot
 * be made. Never makes the job's folder itself: a pusher whose job's folder is gone must see it gone.
 */
function uploadEnv(jobDir) {
    const dir = uploadTmpDir(jobDir);
    try {
        (0,external_node_fs_.mkdirSync)(dir, { mode: 0o700 });
    }
    catch (e) {
        if (e.code !== "EEXIST")
            return process.env;
    }
    return { ...process.env, TMPDIR: dir };
}
/** Removes the uploads' temp folder and what killed uploads left in it. */
function removeUploadTmp(jobDir) {
    try {
        // retried: an upload being killed may still add a file while the folder is removed (ENOTEMPTY)
        rmSync(uploadTmpDir(jobDir), { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    }
    catch {
        /* best effort: the runner removes RUNNER_TEMP after the job */
    }
}

;// CONCATENATED MODULE: ./src/nix/version-line.mjs
// @ts-check
// The first line of `nix --version`, read for every Nix this action may meet. Plain JavaScript
// without imports, so that the scripts Node runs as they are (scripts/containers/build-images.mjs)
// read versions with this one parser too; its types are in version-line.d.mts, and
// src/nix/version.ts is where the action's code gets it. Recorded answers, with where each comes
// from: test/fixtures/nix-version/answers.json.

/**
 * The upstream Nix release Lix forked from: Lix's `builtins.nixVersion` answers "2.18.3-lix" (Lix
 * 2.90 release notes), so features upstream added after 2.18 are not to be assumed of Lix.
 */
const LIX_FORKED_FROM = "2.18.3";

// "2.8.0", "2.4", "2.24.10pre20240101_abc", "2.26.0rc1", "2.30.3+2", "2.90-beta.1-lixpre…", "2.94.0"
const NUMBER = String.raw`(\d+)\.(\d+)(?:\.(\d+))?([^\s)]*)`;
const SHAPES = [
  { implementation: "upstream", re: new RegExp(String.raw`^\S+ \(Nix\) ${NUMBER}$`) },
  { implementation: "lix", re: new RegExp(String.raw`^\S+ \(Lix, like Nix\) ${NUMBER}$`) },
  { implementation: "determinate", re: new RegExp(String.raw`^\S+ \(Determinate Nix ${NUMBER}\) ${NUMBER}$`) },
];

/**
 * major.minor.patch of a matched number (a missing patch is 0), and for comparisons the same with
 * "-pre" when the suffix marks a pre-release (pre…, rc…, -beta…, -dev…): a snapshot before 2.24.0
 * may lack what 2.24.0 has. A "+2" (nixpkgs' patched builds) changes nothing.
 * @param {string[]} m the four groups of NUMBER
 */
function numbers(m) {
  const plain = `${Number(m[0])}.${Number(m[1])}.${Number(m[2] ?? 0)}`;
  const pre = /^(?:[-.]?(?:pre|rc|beta|alpha|dev))/i.test(m[3] ?? "");
  return { plain, comparable: pre ? `${plain}-pre` : plain };
}

/**
 * Reads `nix --version` (any of nix, nix-env, nix-store…; only its first line counts: Lix 2.92 on
 * prints more) into which implementation it is and its versions; undefined when the line is none of
 * upstream Nix's, Lix's or Determinate Nix's.
 * @param {string} output
 * @returns {import("./version-line.d.mts").NixVersion | undefined}
 */
function parseNixVersion(output) {
  const line = output.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
  for (const { implementation, re } of SHAPES) {
    const m = re.exec(line);
    if (!m) continue;
    const groups = m.slice(1);
    if (implementation === "determinate") {
      const own = numbers(groups.slice(0, 4));
      const nix = numbers(groups.slice(4));
      return { implementation, version: nix.plain, upstream: nix.comparable, distribution: own.plain, line };
    }
    const own = numbers(groups);
    if (implementation === "lix") return { implementation, version: own.plain, upstream: LIX_FORKED_FROM, distribution: own.plain, line };
    return { implementation: "upstream", version: own.plain, upstream: own.comparable, line };
  }
  return undefined;
}

/**
 * An upstream Nix known by its version alone (the name of the store path it lives in,
 * e.g. "2.31.0pre20250712_b0972b0"): as `nix (Nix) VERSION` would answer.
 * @param {string} version
 */
function upstreamNix(version) {
  return parseNixVersion(`nix (Nix) ${version}`);
}

/**
 * The Nix in words, for messages: "Nix 2.8.0", "Lix 2.94.0 (a fork of Nix 2.18)",
 * "Determinate Nix 3.8.5 (Nix 2.30.2)", "Nix of unknown version".
 * @param {import("./version-line.d.mts").NixVersion | undefined} v
 */
function describeNix(v) {
  if (!v) return "Nix of unknown version";
  if (v.implementation === "lix") return `Lix ${v.version} (a fork of Nix ${LIX_FORKED_FROM.split(".").slice(0, 2).join(".")})`;
  if (v.implementation === "determinate") return `Determinate Nix ${v.distribution} (Nix ${v.version})`;
  return `Nix ${v.version}`;
}

;// CONCATENATED MODULE: ./src/nix/version.ts


/**
 * The version in the name of the store path a nix binary lives in: /nix/store/<hash>-nix-2.28.3/bin/nix
 * → Nix 2.28.3. A store path never changes, so its name answers as well as `nix --version` and costs
 * no process. Upstream Nix only: Lix and Determinate Nix name their packages by their own versions.
 */
function versionFromStorePath(realPath) {
    const m = realPath.match(/^\/nix\/store\/[0-9a-z]{32}-nix-(2\.\d+\.\d+(?:pre[0-9a-z_]*|rc\d*)?)\/bin\/nix$/);
    return m ? upstreamNix(m[1]) : undefined;
}
/**
 * What the action asks of Nix that not every Nix has: since which upstream release (Determinate
 * Nix has what its upstream release has), and whether Lix has it (every Lix release, 2.90 on, or
 * none; Lix forked from 2.18 and ported some later changes, so its number says nothing).
 */
const FEATURES = {
    /** The `nix` command (with nix-command enabled), for installables. */
    nixCommand: { upstream: "2.4.0", lix: true },
    /** "trusted" in `nix store ping --json` / `nix store info --json`. */
    storeTrusted: { upstream: "2.15.0", lix: true },
    /** `nix flake update <input>` (before: `nix flake lock --update-input`); Lix 2.90 ported it (release notes, upstream PR 8817). */
    flakeUpdateInputs: { upstream: "2.19.0", lix: true },
    /** `nix config show` (before: `nix show-config`, an alias since); Lix 2.90 renamed it too (release notes, cl/993). */
    configShow: { upstream: "2.20.0", lix: true },
    /** `nix store info` (before: `nix store ping`); Lix registers only `nix store ping`. */
    storeInfo: { upstream: "2.20.0", lix: false },
    /** `nix path-info --json-format`, which 2.34 wants beside --json; Lix has no such flag. */
    pathInfoJsonFormat: { upstream: "2.34.0", lix: false },
};
/**
 * True when this Nix has `feature`; an unknown Nix (no version) has none of them, so newer commands
 * and flags stay off. semver is loaded on first use: most main steps never compare versions, and
 * loading it costs more than the rest of this module.
 */
async function version_supports(nix, feature) {
    if (!nix)
        return false;
    const f = FEATURES[feature];
    if (nix.implementation === "lix")
        return f.lix;
    const { default: semver } = await __nccwpck_require__.e(/* import() */ 88).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2088, 23));
    return semver.valid(nix.upstream) !== null && semver.gte(nix.upstream, f.upstream);
}
/**
 * Whether a `nix-version` range holds for this Nix: its upstream release is what is compared (Lix as
 * the 2.18 it forked from), pre-releases included (2.24.0pre… is before 2.24.0, after 2.23).
 */
async function satisfiesRange(nix, range) {
    if (!nix)
        return false;
    const { default: semver } = await __nccwpck_require__.e(/* import() */ 88).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2088, 23));
    return semver.satisfies(nix.upstream, range, { includePrerelease: true });
}

;// CONCATENATED MODULE: ./src/nix/answer.ts

/**
 * Nix answered (the command succeeded) but not in a shape this action knows: a new JSON layout, a
 * changed log line. The parsers throw it with what they saw; the caller, which knows the command,
 * the Nix version and what it does instead, turns it into a warning with notUnderstood.
 */
class answer_UnknownAnswer extends Error {
    name = "UnknownAnswer";
}
/**
 * The one message for an answer the action could not understand, e.g.
 * `Could not understand the answer of 'nix path-info --json' (Nix 2.34.8): an object without store
 * paths as keys ({"version":3,…}); building "…" to learn its outputs instead`. `instead` says what the
 * action did in its place, so nobody reads a result it did not earn as a success. The Nix is named
 * as describeNix does (Lix and Determinate Nix by their own names).
 */
function notUnderstood(command, nix, what, instead) {
    return `Could not understand the answer of '${command}' (${describeNix(nix)}): ${what}; ${instead}`;
}
/** The start of an answer, on one line, for quoting in notUnderstood. Only for answers that hold no secrets. */
function answer_excerpt(text, max = 80) {
    const flat = text.trim().replace(/\s+/g, " ");
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

;// CONCATENATED MODULE: ./src/nix/config.ts


/**
 * The spellings of the command that prints the settings in effect, the one this Nix should know
 * first: Nix 2.20 and Lix 2.90 renamed `nix show-config` to `nix config show` (the old name is an
 * alias that warns since); older and unknown versions get the old name, which every version up to
 * 2.34 still answers. The other is what to try when Nix refuses the first (nix/spelling.ts).
 */
async function config_configShowArgs(nix) {
    const both = [["config", "show"], ["show-config"]];
    return (await supports(nix, "configShow")) ? both : both.reverse();
}
/** `nix store info` since Nix 2.20, `nix store ping` before (an alias that warns since) and in Lix, as for configShowArgs. */
async function storeInfoArgs(nix) {
    const both = [["store", "info"], ["store", "ping"]];
    return (await supports(nix, "storeInfo")) ? both : both.reverse();
}
/** A store URL without trailing slashes, as Nix compares substituters. */
const normalizeUrl = (url) => url.replace(/\/+$/, "");
/**
 * Parses `nix show-config` text (`name = value` lines). The text form, not --json: Nix 2.8's JSON
 * gives experimental-features as enum numbers, the text gives names in every version.
 */
function config_parseShowConfig(text) {
    const values = new Map();
    for (const line of text.split("\n")) {
        const m = line.match(/^([A-Za-z0-9_-]+) = (.*)$/);
        if (m)
            values.set(m[1], m[2]);
    }
    const list = (name) => (values.get(name) ?? "").split(/\s+/).filter(Boolean);
    return {
        substituters: list("substituters"),
        trustedPublicKeys: list("trusted-public-keys"),
        trustedSubstituters: list("trusted-substituters"),
        trustedUsers: list("trusted-users"),
    };
}
/** The settings parseShowConfig reads: every Nix prints each of them (empty or not) in `nix show-config`. */
const READ = (/* unused pure expression or super */ null && (["substituters", "trusted-public-keys", "trusted-substituters", "trusted-users"]));
/**
 * Why parseShowConfig cannot have read `text` right, or undefined when it can: a setting it reads
 * is missing, so the answer is not the `name = value` list it knows. Names only, never values
 * (the text may hold access-tokens).
 */
function showConfigDoubt(text) {
    const names = new Set(text.split("\n").flatMap((l) => l.match(/^([A-Za-z0-9_-]+) = /)?.[1] ?? []));
    const absent = READ.filter((n) => !names.has(n));
    if (absent.length === 0)
        return undefined;
    return `no "${absent.join('", "')}" line among ${names.size} "name = value" line(s)`;
}
/**
 * The daemon's answer to `nix store info --json` (`nix store ping --json` before 2.20): whether it
 * trusts this client, `"trusted": 1`/`0` (2.15–2.33) or `true`/`false` (2.34). Any other answer is an
 * UnknownAnswer.
 */
function parseStoreInfoTrusted(stdout) {
    let data;
    try {
        data = JSON.parse(stdout);
    }
    catch {
        throw new UnknownAnswer(`not JSON (${excerpt(stdout) || "empty"})`);
    }
    const t = data?.trusted;
    if (t === true || t === 1)
        return true;
    if (t === false || t === 0)
        return false;
    throw new UnknownAnswer(`"trusted" is ${t === undefined ? "missing" : excerpt(JSON.stringify(t))} (${excerpt(stdout)})`);
}
/** Values of `wanted` not already in `have` (URLs compared without trailing slashes), in order, once each. */
function missing(wanted, have, key = (s) => s) {
    const seen = new Set(have.map(key));
    const out = [];
    for (const w of wanted) {
        if (seen.has(key(w)))
            continue;
        seen.add(key(w));
        out.push(w);
    }
    return out;
}
/**
 * The job's nix.conf. Only `extra-` settings for lists, so the image's or host's own caches and keys
 * stay; values already in effect are left out, so the result holds each once.
 */
function renderConf(req, base) {
    const lines = ["# nix-runner-action: settings for this job only (removed with the job's temp dir)"];
    // A set in Nix, so this never duplicates; and the base cannot tell us whether nix-command was on,
    // since reading it needs nix-command.
    lines.push("extra-experimental-features = nix-command flakes");
    const subs = missing(req.substituters, base.substituters, normalizeUrl);
    if (subs.length)
        lines.push(`extra-substituters = ${subs.join(" ")}`);
    const keys = missing(req.trustedPublicKeys, base.trustedPublicKeys);
    if (keys.length)
        lines.push(`extra-trusted-public-keys = ${keys.join(" ")}`);
    if (req.netrcFile)
        lines.push(`netrc-file = ${req.netrcFile}`);
    if (req.accessTokens)
        lines.push(`access-tokens = ${req.accessTokens}`);
    if (req.postBuildHook)
        lines.push(`post-build-hook = ${req.postBuildHook}`);
    if (req.extraConf)
        lines.push(req.extraConf);
    return lines.join("\n") + "\n";
}
/**
 * NIX_CONFIG for later steps: whatever the job already had, then `!include` of our file. NIX_CONFIG is
 * applied after every nix.conf, and our line comes last in it, so our `extra-` settings add to the
 * job's own even when the job sets `substituters = …` there. Only a path goes into the environment,
 * never a token. Our line appears once however often the action runs.
 */
function nixConfigEnv(ours, env) {
    const line = `!include ${ours}`;
    const kept = (env.NIX_CONFIG ?? "").split("\n").filter((l) => l.trim() !== line);
    while (kept.length > 0 && kept[kept.length - 1].trim() === "")
        kept.pop();
    const without = kept.join("\n");
    return { withOurs: without ? `${without}\n${line}` : line, without };
}

;// CONCATENATED MODULE: ./src/nix/path-info.ts


/**
 * The flags for `nix path-info` JSON on this Nix. Nix 2.34 warns that a bare `--json` will become an
 * error and wants `--json-format`, a flag older versions and Lix reject; format 1 is the one 2.19–2.33
 * print. Both spellings, this Nix's first, as for configShowArgs.
 */
async function path_info_pathInfoJsonArgs(nix) {
    const both = [["--json", "--json-format", "1"], ["--json"]];
    return (await version_supports(nix, "pathInfoJsonFormat")) ? both : both.reverse();
}
/**
 * Reads `nix path-info --json` in each shape Nix has printed: a list of `{path, valid?}` (≤ 2.18, an
 * unbuilt output marked `"valid": false`), an object keyed by store path whose value is `null` for an
 * unbuilt output (2.19 on, format 1), and format 2's `{info: {<name>: …}, storeDir}` keyed by name.
 * Any other shape, or a "path" that is not in a store, is an UnknownAnswer.
 */
function parsePathInfo(stdout, storeDir) {
    const data = parseJson(stdout);
    const inStore = (p, dir) => typeof p === "string" && p.startsWith(`${dir}/`) && p.length > dir.length + 1;
    if (Array.isArray(data)) {
        return data.map((e) => {
            const entry = (e ?? {});
            if (!inStore(entry.path, storeDir))
                throw new UnknownAnswer(`a list entry without a store path (${excerpt(JSON.stringify(e))})`);
            return { path: entry.path, valid: entry.valid !== false };
        });
    }
    if (data === null || typeof data !== "object")
        throw new UnknownAnswer(`${excerpt(stdout)}, not a list or an object`);
    const obj = data;
    if ("version" in obj && "info" in obj) {
        if (obj.version !== 2 || obj.info === null || typeof obj.info !== "object") {
            throw new UnknownAnswer(`JSON format ${excerpt(JSON.stringify(obj.version))}, not 1 or 2 (${excerpt(stdout)})`);
        }
        const dir = typeof obj.storeDir === "string" ? obj.storeDir : storeDir;
        return Object.entries(obj.info).map(([name, info]) => {
            if (!/^[0-9a-z]{32}-./.test(name))
                throw new UnknownAnswer(`format 2 names "${excerpt(name)}", not a store path's name`);
            return { path: `${dir}/${name}`, valid: info !== null };
        });
    }
    return Object.entries(obj).map(([path, info]) => {
        if (!inStore(path, storeDir))
            throw new UnknownAnswer(`an object keyed by "${excerpt(path)}", not by store paths (${excerpt(stdout)})`);
        return { path, valid: info !== null };
    });
}
/**
 * The output paths in `nix build --json`: a list of `{drvPath, outputs: {<name>: <path>}}` in every
 * version so far. Anything else is an UnknownAnswer.
 */
function parseBuildOutputs(stdout, storeDir) {
    const data = parseJson(stdout);
    if (!Array.isArray(data))
        throw new UnknownAnswer(`${excerpt(stdout)}, not a list`);
    return data.flatMap((b) => {
        const outputs = b?.outputs;
        if (outputs === null || typeof outputs !== "object")
            throw new UnknownAnswer(`an entry without "outputs" (${excerpt(JSON.stringify(b))})`);
        return Object.values(outputs).map((p) => {
            if (typeof p !== "string" || !p.startsWith(`${storeDir}/`))
                throw new UnknownAnswer(`an output that is not a store path (${excerpt(JSON.stringify(p))})`);
            return p;
        });
    });
}
function parseJson(stdout) {
    try {
        return JSON.parse(stdout);
    }
    catch {
        throw new UnknownAnswer(`not JSON (${excerpt(stdout) || "empty"})`);
    }
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
var external_node_http_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http_namespaceObject);
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
var external_node_https_default = /*#__PURE__*/__nccwpck_require__.n(external_node_https_namespaceObject);
;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:stream/promises"
const external_node_stream_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
;// CONCATENATED MODULE: ./src/push/upstream.ts

/**
 * Reads `nix path-info --json` (with `-r`) with the fields a narinfo needs: the list of ≤ 2.18 and
 * the object keyed by store path of 2.19 on (format 1, which 2.34 prints with `--json-format 1`).
 * Paths that are not valid (null) are left out. Anything else is an UnknownAnswer.
 */
function upstream_parsePathMetas(stdout) {
    let data;
    try {
        data = JSON.parse(stdout);
    }
    catch {
        throw new answer_UnknownAnswer(`not JSON (${answer_excerpt(stdout) || "empty"})`);
    }
    if (data === null || typeof data !== "object")
        throw new answer_UnknownAnswer(`${answer_excerpt(stdout)}, not a list or an object`);
    const entries = Array.isArray(data)
        ? data.map((e) => [String(e?.path), e])
        : Object.entries(data);
    const out = [];
    for (const [path, raw] of entries) {
        if (raw === null || raw.valid === false)
            continue;
        const e = raw;
        const refs = e.references;
        if (typeof e.narHash !== "string" || typeof e.narSize !== "number" || !Array.isArray(refs) || !path.startsWith("/")) {
            throw new answer_UnknownAnswer(`an entry without path, narHash, narSize or references (${answer_excerpt(JSON.stringify(raw))})`);
        }
        out.push({
            path,
            narHash: e.narHash,
            narSize: e.narSize,
            references: refs.map(String),
            signatures: Array.isArray(e.signatures) ? e.signatures.map(String) : [],
            ca: typeof e.ca === "string" ? e.ca : undefined,
            deriver: typeof e.deriver === "string" ? e.deriver : undefined,
        });
    }
    return out;
}
/** The names of the keys that signed `m` (a signature is `name:base64`). */
function signerNames(m) {
    return m.signatures.map((s) => s.slice(0, Math.max(0, s.indexOf(":")))).filter(Boolean);
}
/** The first upstream whose key signed `m`, or undefined. */
function upstreamOf(m, upstreams) {
    const names = new Set(signerNames(m));
    return upstreams.find((u) => names.has(u.key));
}
const BASE32 = "0123456789abcdfghijklmnpqrsvwxyz";
/** Nix's base-32 (its own alphabet and bit order), as in store path hashes and narinfo NarHash. */
function nixBase32(bytes) {
    const len = Math.ceil((bytes.length * 8) / 5);
    let s = "";
    for (let n = len - 1; n >= 0; n--) {
        const b = n * 5;
        const i = Math.floor(b / 8);
        const j = b % 8;
        const c = (bytes[i] >> j) | (i + 1 < bytes.length ? bytes[i + 1] << (8 - j) : 0);
        s += BASE32[c & 0x1f];
    }
    return s;
}
/** `sha256-<base64>` (SRI) → `sha256:<base32>`, the form every Nix reads in a narinfo; other forms pass as they are. */
function narinfoHash(hash) {
    const m = hash.match(/^(sha256|sha512)-([A-Za-z0-9+/=]+)$/);
    return m ? `${m[1]}:${nixBase32(Buffer.from(m[2], "base64"))}` : hash;
}
/** The hash part of a store path (`/nix/store/<hash>-name` → `<hash>`): the name of its narinfo. */
function hashPart(storePath) {
    return storePath.slice(storePath.lastIndexOf("/") + 1, storePath.lastIndexOf("/") + 33);
}
const baseName = (p) => p.slice(p.lastIndexOf("/") + 1);
/**
 * A narinfo for `m`, enough for Nix to take the path as valid in the cache (it checks a reference's
 * narinfo before it adds a path that uses it). Its URL names no file: nothing downloads through the
 * front, the consumers of the team's cache fetch such paths from the upstream.
 */
function narinfoText(m) {
    const hash = narinfoHash(m.narHash);
    const lines = [
        `StorePath: ${m.path}`,
        `URL: nar/${hash.slice(hash.indexOf(":") + 1)}.nar`,
        "Compression: none",
        `NarHash: ${hash}`,
        `NarSize: ${m.narSize}`,
        `References: ${m.references.map(baseName).join(" ")}`,
    ];
    if (m.deriver)
        lines.push(`Deriver: ${baseName(m.deriver)}`);
    for (const s of m.signatures)
        lines.push(`Sig: ${s}`);
    if (m.ca)
        lines.push(`CA: ${m.ca}`);
    return lines.join("\n") + "\n";
}

;// CONCATENATED MODULE: ./src/push/front.ts









async function startFront(target, netrc) {
    const backend = backendOf(target, netrc);
    const token = (0,external_node_crypto_namespaceObject.randomBytes)(16).toString("hex");
    const narinfos = new Map();
    const server = external_node_http_default().createServer((req, res) => {
        void answer(req, res, token, narinfos, backend).catch(() => {
            if (!res.headersSent)
                res.writeHead(502);
            res.end();
        });
    });
    const port = await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve(server.address().port));
    });
    return {
        base: `http://127.0.0.1:${port}/${token}`,
        vouch: (metas) => {
            for (const m of metas)
                narinfos.set(`${hashPart(m.path)}.narinfo`, narinfoText(m));
        },
        vouched: () => narinfos.size,
        stop: () => new Promise((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
            // a cache that never answers must not keep the step's process alive
            if (backend.kind === "http")
                for (const r of backend.open)
                    r.destroy();
        }),
    };
}
function backendOf(target, netrc) {
    const url = new URL(target.base);
    if (url.protocol === "file:")
        return { kind: "dir", root: external_node_path_default().resolve(decodeURIComponent(url.pathname)) };
    if (url.protocol !== "http:" && url.protocol !== "https:")
        throw new Error(`no local front for ${url.protocol}// caches`);
    const user = decodeURIComponent(url.username);
    const login = user ? { user, password: target.password } : netrcLogin(netrc, url.hostname);
    url.username = "";
    url.password = "";
    const auth = login ? `Basic ${Buffer.from(`${login.user}:${login.password}`).toString("base64")}` : undefined;
    return { kind: "http", url, auth, open: new Set() };
}
/** The login and password of `host`'s netrc entry (or of `default`), as curl would send them. */
function netrcLogin(netrc, host) {
    const w = netrc.split(/\s+/).filter(Boolean);
    let found;
    let current;
    for (let i = 0; i < w.length; i++) {
        if (w[i] === "machine" || w[i] === "default") {
            if (found)
                break;
            const matches = w[i] === "default" || w[i + 1] === host;
            current = matches ? { user: "", password: "" } : undefined;
            if (matches)
                found = current;
            if (w[i] === "machine")
                i++;
        }
        else if (current && (w[i] === "login" || w[i] === "password")) {
            current[w[i] === "login" ? "user" : "password"] = w[i + 1] ?? "";
            i++;
        }
    }
    return found;
}
async function answer(req, res, token, narinfos, backend) {
    const url = new URL(req.url ?? "/", "http://x");
    const prefix = `/${token}/`;
    if (!url.pathname.startsWith(prefix))
        return void res.writeHead(404).end();
    const rest = url.pathname.slice(prefix.length);
    const vouched = narinfos.get(rest);
    if (vouched !== undefined && (req.method === "GET" || req.method === "HEAD")) {
        res.writeHead(200, { "content-type": "text/x-nix-narinfo", "content-length": Buffer.byteLength(vouched) });
        return void res.end(req.method === "HEAD" ? undefined : vouched);
    }
    if (backend.kind === "dir")
        return fromDir(req, res, backend.root, rest);
    return forward(req, res, backend, rest + url.search);
}
async function fromDir(req, res, root, rest) {
    const file = external_node_path_default().resolve(root, decodeURIComponent(rest));
    if (!file.startsWith(root + (external_node_path_default()).sep))
        return void res.writeHead(400).end();
    if (req.method === "PUT") {
        await (0,promises_namespaceObject.mkdir)(external_node_path_default().dirname(file), { recursive: true });
        // written aside and renamed: a reader never sees half a file, as with an object store
        const tmp = `${file}.tmp-${(0,external_node_crypto_namespaceObject.randomBytes)(6).toString("hex")}`;
        try {
            await (0,external_node_stream_promises_namespaceObject.pipeline)(req, (0,external_node_fs_.createWriteStream)(tmp, { mode: 0o644 }));
            await (0,promises_namespaceObject.rename)(tmp, file);
        }
        catch (e) {
            await (0,promises_namespaceObject.rm)(tmp, { force: true });
            throw e;
        }
        return void res.writeHead(200).end();
    }
    if (req.method !== "GET" && req.method !== "HEAD")
        return void res.writeHead(405).end();
    const st = await (0,promises_namespaceObject.stat)(file).catch(() => undefined);
    if (!st?.isFile())
        return void res.writeHead(404).end();
    res.writeHead(200, { "content-length": st.size });
    if (req.method === "HEAD")
        return void res.end();
    await (0,external_node_stream_promises_namespaceObject.pipeline)((0,external_node_fs_.createReadStream)(file), res);
}
// `expect`: this server has already answered curl's 100-continue; the body is on its way
const HOP_BY_HOP = new Set(["host", "authorization", "connection", "keep-alive", "transfer-encoding", "proxy-authorization", "te", "upgrade", "expect"]);
/** The request, streamed to the cache and its answer back, with the cache's credentials added. */
function forward(req, res, backend, rest) {
    const to = new URL(backend.url.href.replace(/\/+$/, "") + "/" + rest);
    const headers = {};
    for (const [k, v] of Object.entries(req.headers))
        if (!HOP_BY_HOP.has(k) && v !== undefined)
            headers[k] = v;
    if (backend.auth)
        headers.authorization = backend.auth;
    const lib = to.protocol === "https:" ? (external_node_https_default()) : (external_node_http_default());
    return new Promise((resolve, reject) => {
        const out = lib.request(to, { method: req.method, headers }, (answer) => {
            const back = {};
            for (const [k, v] of Object.entries(answer.headers))
                if (!HOP_BY_HOP.has(k) && v !== undefined)
                    back[k] = v;
            res.writeHead(answer.statusCode ?? 502, back);
            (0,external_node_stream_promises_namespaceObject.pipeline)(answer, res).then(resolve, reject);
        });
        backend.open.add(out);
        out.on("close", () => backend.open.delete(out));
        out.on("error", reject);
        (0,external_node_stream_promises_namespaceObject.pipeline)(req, out).catch(reject);
    });
}

;// CONCATENATED MODULE: ./src/push/skip.ts










/** Narinfo lookups at once, and the bound of each: an upstream that is slow or down only means "push it". */
const PARALLEL = 32;
const LOOKUP_MS = 10_000;
/** All of one check's lookups: a cache that is down costs at most this, not a timeout per path. */
const CHECK_MS = 30_000;
/** Schemes the front can stand in front of; s3:// and ssh:// get whole closures. */
function frontCovers(target) {
    return ["file:", "http:", "https:"].includes(target.scheme);
}
async function startSkipper(o) {
    const front = await startFront(o.target, o.netrc);
    const decided = new Set();
    const count = { paths: 0, narBytes: 0 };
    const { url } = buildPushUrl({ ...o.target, base: front.base }, { keyFile: o.keyFile });
    return {
        url,
        skipped: () => ({ ...count }),
        stop: () => front.stop(),
        prepare: async (paths, timeoutMs) => {
            const t0 = Date.now();
            const metas = await closureMetas(paths, o, timeoutMs);
            if (!metas)
                return;
            const open = metas.filter((m) => !decided.has(m.path));
            for (const m of open)
                decided.add(m.path);
            const candidates = open.flatMap((m) => {
                const u = upstreamOf(m, o.upstreams);
                return u ? [{ m, u }] : [];
            });
            const ask = lookups(Math.min(timeoutMs, CHECK_MS));
            const served = await mapLimit(candidates, PARALLEL, async ({ m, u }) => ((await ask(u.url, m.path)) ? m : undefined));
            const vouched = served.filter((m) => m !== undefined);
            front.vouch(vouched);
            for (const m of vouched) {
                count.paths++;
                count.narBytes += m.narSize;
            }
            if (candidates.length > 0) {
                o.log(`skip-upstream: ${vouched.length} of ${candidates.length} upstream-signed path(s) in the closure are served upstream and not sent (${open.length} new path(s) looked at in ${Date.now() - t0} ms)`);
            }
        },
    };
}
/** The closure of `paths` with each path's metadata, or undefined (logged) when Nix could not say. */
async function closureMetas(paths, o, timeoutMs) {
    // this Nix's likeliest spelling only: a refusal pushes the closure whole, as any failure here does
    const [args] = await path_info_pathInfoJsonArgs(o.nixVersion);
    const out = [];
    for (const chunk of copy_chunks(paths)) {
        const r = await exec_run("nix", [...features_NIX_COMMAND, "path-info", ...args, "-r", ...chunk], { env: o.env, timeoutMs });
        if (r.code !== 0) {
            o.log(`skip-upstream: could not read the closure (${r.timedOut ? "timed out" : errorLine(r.stderr)}); it is pushed whole`);
            return undefined;
        }
        try {
            out.push(...upstream_parsePathMetas(r.stdout));
        }
        catch (e) {
            o.log(`skip-upstream: nix path-info's JSON was not understood (${e.message}); the closure is pushed whole`);
            return undefined;
        }
    }
    return out;
}
/**
 * Narinfo lookups within `totalMs` for all: `ask(url, path)` is true when the binary cache at `url`
 * answers for `path`'s narinfo (a HEAD, or the file). Any doubt is false; a cache that did not answer
 * at all (down, unreachable, slow past LOOKUP_MS) is not asked again, and past `totalMs` none is.
 */
function lookups(totalMs) {
    const all = AbortSignal.timeout(Math.max(1, totalMs));
    const down = new Set();
    return async (url, storePath) => {
        const name = `${hashPart(storePath)}.narinfo`;
        if (down.has(url) || all.aborted)
            return false;
        try {
            if (url.startsWith("file:"))
                return (await (0,promises_namespaceObject.stat)(`${decodeURIComponent(new URL(url).pathname).replace(/\/+$/, "")}/${name}`)).isFile();
            const r = await fetch(`${url.replace(/\/+$/, "")}/${name}`, { method: "HEAD", signal: AbortSignal.any([all, AbortSignal.timeout(LOOKUP_MS)]) });
            return r.ok;
        }
        catch {
            if (!url.startsWith("file:"))
                down.add(url);
            return false;
        }
    };
}
/** `f` over `items`, at most `limit` at once, results in order. */
async function mapLimit(items, limit, f) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await f(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}
/**
 * Of the `uploaded` paths, those signed by a key the job trusts (not `ownKey`, signing-key's name)
 * that one of its http(s)/file substituters serves. Bounded (parallel lookups of bounded time);
 * undefined when anything could not be asked: it is only a hint.
 */
async function alsoServed(uploaded, ownKey, nixVersion, timeoutMs) {
    // one budget for all of it, not one per command: it runs within the push's bound
    const deadline = Date.now() + timeoutMs;
    const left = () => deadline - Date.now();
    if (uploaded.length === 0 || left() <= 0)
        return undefined;
    const conf = await run("nix", [...NIX_COMMAND, ...(await configShowArgs(nixVersion))[0]], { timeoutMs: left() });
    if (conf.code !== 0)
        return undefined;
    const { substituters, trustedPublicKeys } = parseShowConfig(conf.stdout);
    const trusted = new Set(trustedPublicKeys.map((k) => k.slice(0, k.indexOf(":"))).filter((k) => k && k !== ownKey));
    const subs = substituters.filter((s) => /^(https?|file):/.test(s));
    if (trusted.size === 0 || subs.length === 0)
        return undefined;
    const metas = [];
    for (const chunk of chunks(uploaded)) {
        if (left() <= 0)
            return undefined;
        const r = await run("nix", [...NIX_COMMAND, "path-info", ...(await pathInfoJsonArgs(nixVersion))[0], ...chunk], { timeoutMs: left() });
        if (r.code !== 0)
            return undefined;
        try {
            metas.push(...parsePathMetas(r.stdout));
        }
        catch {
            return undefined;
        }
    }
    const signed = metas.flatMap((m) => {
        const key = m.signatures.map((s) => s.slice(0, s.indexOf(":"))).find((k) => trusted.has(k));
        return key ? [{ m, key }] : [];
    });
    if (left() <= 0)
        return undefined;
    const ask = lookups(left());
    const found = await mapLimit(signed, PARALLEL, async ({ m, key }) => {
        for (const s of subs)
            if (await ask(s, m.path))
                return { m, entry: `${key}=${s.replace(/\/+$/, "")}` };
        return undefined;
    });
    const hits = found.filter((f) => f !== undefined);
    return { paths: hits.length, narBytes: hits.reduce((n, h) => n + h.m.narSize, 0), entries: [...new Set(hits.map((h) => h.entry))] };
}

;// CONCATENATED MODULE: ./src/nix/locate.ts






/**
 * The first executable `cmd` on env.PATH, as a shell would find it. Synchronous on purpose: a few
 * stat calls, and the main step's `nix --version` must not wait for the rest of the code to load.
 */
function which(cmd, env) {
    for (const dir of (env.PATH ?? "").split((external_node_path_default()).delimiter)) {
        if (!dir)
            continue;
        const candidate = external_node_path_default().join(dir, cmd);
        try {
            (0,external_node_fs_.accessSync)(candidate, external_node_fs_.constants.X_OK);
            return candidate;
        }
        catch {
            /* not here */
        }
    }
    return undefined;
}
/**
 * Finds nix on PATH and learns its version (see nixVersionOf), the slowest of all probes: the main
 * step starts this before loading the rest of its code.
 */
function locateNix(env) {
    const nixPath = which("nix", env);
    return { path: nixPath, version: nixPath ? nixVersionOf(nixPath, env) : Promise.resolve(undefined) };
}
/**
 * Which Nix `nixPath` is and its version: from the name of the store path it lives in when it has
 * one, else by running `nix --version`.
 */
async function nixVersionOf(nixPath, env) {
    const named = versionFromStorePath(realPathOf(nixPath));
    if (named)
        return named;
    const r = await exec_run(nixPath, ["--version"], { env });
    if (r.code !== 0)
        return undefined;
    const version = parseNixVersion(r.stdout);
    if (version === undefined) {
        step_io/* warning */.$e(notUnderstood("nix --version", undefined, `no version in "${answer_excerpt(r.stdout) || "(nothing)"}"`, "the action goes on as with an old Nix: newer commands and flags stay off, and nix-version cannot be checked; upstream Nix, Lix and Determinate Nix are known"));
    }
    return version;
}
/** `p` with every symlink resolved; `p` itself when that fails. */
function realPathOf(p) {
    try {
        return (0,external_node_fs_.realpathSync)(p);
    }
    catch {
        return p;
    }
}

;// CONCATENATED MODULE: ./src/push/pusher.ts














/**
 * The queue is watched (inotify): a line the hook appends wakes the pusher at once, and so do the
 * post step's drain signal and the end of an upload. This tick is the fallback (a filesystem without
 * change events) and the pace of the job-gone checks.
 */
const TICK_MS = 100;
/** How much nicer than the job the pusher and its uploads run (a higher niceness: less CPU when the builds want it). */
const NICER = 10;
/** Paths per nix copy: what arrived while the slots were busy goes in one command. */
const BATCH = 64;
/** The bound of one nix-store query for the outputs of queued derivations. */
const OUTPUTS_TIMEOUT_MS = 60_000;
const log = (msg) => process.stdout.write(`${new Date().toISOString()} pusher: ${msg}\n`);
/**
 * The background pusher: tails the hook's queue and uploads each new path with its closure, at most
 * `parallel` nix copies at once, retrying like post. DRAIN_SIGNAL (SIGUSR2, from post): finish the queue and exit.
 * SIGTERM/SIGINT (post cancelled, or a GitLab job cancelled): kill the uploads and exit. It also
 * exits by itself when the job is gone: its folder removed, the runner process that started main
 * ended, the job's deadline passed (GitLab), or idle past its limit.
 */
async function runPusher() {
    const h = JSON.parse(await readStdin());
    lowerPriority();
    const p = newPusher(h);
    process.on(DRAIN_SIGNAL, () => {
        p.draining = true;
        p.stopBy = drainStopBy(p.h.jobDir);
        log(`end of queue signalled by the post step: finishing${p.stopBy > 0 ? `, by ${new Date(p.stopBy).toISOString()} at the latest (push-timeout)` : ""}`);
        p.wake.kick();
    });
    for (const sig of ["SIGTERM", "SIGINT"])
        process.on(sig, () => void exit(p, `stopped by ${sig}`, 0));
    watchQueue(p);
    log(`started (pid ${process.pid}, niceness ${(0,external_node_os_.getPriority)()}), following ${h.queueFile} (${p.watcher ? "change events" : `read every ${TICK_MS} ms`}), ${h.parallel} upload(s) at once`);
    await writeStatus(p, "running");
    // after the status: post sees a started pusher at once; no upload starts before the front is up
    p.skipper = await skipperFor(h, p.to.env);
    p.to.via = p.skipper;
    // bounded: every turn either ends the process or naps (a tick at most); the idle limit ends a lost job
    for (;;)
        await turn(p);
}
/** The time post's drain request gives the pusher (signalDrain writes it before the signal); 0: none. */
function drainStopBy(dir) {
    try {
        const n = Number(JSON.parse((0,external_node_fs_.readFileSync)(jobFiles(dir).pusherDrain, "utf8")).stopBy);
        return Number.isFinite(n) && n > 0 ? n : 0;
    }
    catch {
        return 0;
    }
}
/** skip-upstream's front for the pusher's copies; undefined when off or when it cannot start (whole closures go). */
async function skipperFor(h, env) {
    if (h.skipUpstream.length === 0 || !frontCovers(h.target))
        return undefined;
    try {
        const nixVersion = await locateNix(process.env).version;
        return await startSkipper({ target: h.target, upstreams: h.skipUpstream, netrc: h.netrc, keyFile: h.key ? SECRET_FD_PATH : undefined, nixVersion, env, log });
    }
    catch (e) {
        log(`skip-upstream: could not start the local front (${String(e)}); whole closures are pushed`);
        return undefined;
    }
}
/** Reads the whole of stdin: main's handoff (it closes its end once written). */
async function readStdin() {
    const parts = [];
    for await (const c of process.stdin)
        parts.push(c);
    return Buffer.concat(parts).toString("utf8");
}
/** The job's builds come first: the uploads (each nix copy inherits this) get the CPU the builds leave. */
function lowerPriority() {
    try {
        (0,external_node_os_.setPriority)(Math.min(19, (0,external_node_os_.getPriority)() + NICER));
    }
    catch {
        /* not allowed here: uploads run at the job's priority */
    }
}
function newPusher(h) {
    // TMPDIR in the job's folder: what a killed upload leaves goes with it
    const env = uploadEnv(h.jobDir);
    const to = { target: h.target, url: h.url, key: h.key, env, limits: h.limits, budget: { eachCopyMs: h.limits.timeoutMs }, copied: { paths: new Set(), narBytes: 0 } };
    return {
        h,
        to,
        sent: new Set(),
        refused: new Set(),
        seen: new Set(),
        pending: [],
        running: 0,
        offset: 0,
        partial: "",
        draining: false,
        stopBy: 0,
        lastActivity: Date.now(),
        reported: "",
        wake: waker(),
    };
}
/** One turn: stop if the job is gone, take what the queue gained, start uploads, exit once drained, nap. */
async function turn(p) {
    watchQueue(p);
    const gone = jobGone(p);
    if (gone)
        await exit(p, `stopped: ${gone}`, 0);
    const drainingNow = p.draining;
    await takeNewPaths(p);
    startUploads(p);
    const groups = runningGroups().join(",");
    if (groups !== p.reported) {
        p.reported = groups;
        await writeStatus(p, "running");
    }
    // the queue was read after the signal arrived: nothing the job built is missing
    if (drainingNow && p.running === 0 && p.pending.length === 0)
        await exit(p, "drained", 0);
    await p.wake.nap(TICK_MS);
}
/** Moves what the hook queued since the last turn (derivations as their outputs) to the pending uploads. */
async function takeNewPaths(p) {
    const entries = await readQueue(p);
    const drvs = entries.filter((e) => e.endsWith(".drv") && !p.seen.has(e));
    for (const d of drvs)
        p.seen.add(d);
    const outs = [...entries.filter((e) => !e.endsWith(".drv")), ...(await outputsOf(drvs, p.h.storeDir))];
    const { keep } = filterPaths(outs, p.h.storeDir, p.h.pushFilter);
    const before = p.pending.length;
    for (const path of keep) {
        if (p.seen.has(path))
            continue;
        p.seen.add(path);
        p.pending.push(path);
        p.lastActivity = Date.now();
    }
    if (p.pending.length > before)
        log(`queued ${p.pending.length - before} new path(s)`);
}
/** The outputs of queued derivations; those nix-store could not name are left to the post step. */
async function outputsOf(drvs, storeDir) {
    const found = await outputsOfDerivations(drvs, storeDir, () => OUTPUTS_TIMEOUT_MS);
    if (found.failed)
        log(`could not ask for the outputs of ${found.asked} derivation(s) (${errorLine(found.failed.stderr)}); the post step will`);
    return found.outputs;
}
/** Starts uploads of the pending paths, up to `parallel` at once, each a batch of what waits. */
function startUploads(p) {
    while (p.running < p.h.parallel && p.pending.length > 0) {
        const batch = p.pending.splice(0, BATCH);
        p.running++;
        void upload(p, batch).finally(() => {
            p.running--;
            p.lastActivity = Date.now();
            p.wake.kick();
        });
    }
}
/** One batch through the shared copy (retries, the key on fd 3), with the pusher's log lines. */
async function upload(p, batch) {
    const { limits } = p.h;
    let t0 = Date.now();
    const outcome = await copyChunk(p.to, batch, {
        starting: (attempt) => {
            t0 = Date.now();
            log(`uploading ${batch.length} path(s)${attempt > 1 ? ` (attempt ${attempt})` : ""}: ${batch.slice(0, 3).join(" ")}${batch.length > 3 ? " …" : ""}`);
        },
        failed: (attempt, r) => log(`attempt ${attempt} of ${limits.attempts} for ${batch.length} path(s) failed: ${redactCredentials(r.timedOut ? "timed out" : errorLine(r.stderr))}`),
    });
    if (outcome.ok) {
        for (const path of batch)
            p.sent.add(path);
        log(`sent ${batch.length} path(s) (${outcome.uploaded} uploaded) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    else {
        for (const path of batch)
            p.refused.add(path);
    }
    await writeStatus(p, "running");
}
/** Reads what the queue gained since the last read; a line the hook is still writing waits for its newline. */
async function readQueue(p) {
    const f = await (0,promises_namespaceObject.open)(p.h.queueFile, "r").catch(() => undefined);
    if (!f)
        return [];
    try {
        const buf = Buffer.alloc(64 * 1024);
        let text = "";
        for (let i = 0; i < 1000; i++) {
            const { bytesRead } = await f.read(buf, 0, buf.length, p.offset);
            if (bytesRead === 0)
                break;
            p.offset += bytesRead;
            text += buf.subarray(0, bytesRead).toString("utf8");
        }
        const all = p.partial + text;
        const cut = all.lastIndexOf("\n") + 1;
        p.partial = all.slice(cut);
        return parseQueue(all.slice(0, cut));
    }
    finally {
        await f.close();
    }
}
/** Why the job is over (so the pusher must stop), or undefined while it runs. */
function jobGone(p) {
    const { h } = p;
    if (!(0,external_node_fs_.existsSync)(h.jobDir))
        return "the job's folder is gone";
    if (h.deadline > 0 && Date.now() >= h.deadline)
        return `the job's time is up (its deadline was ${new Date(h.deadline).toISOString()})`;
    if (p.draining && p.stopBy > 0 && Date.now() >= p.stopBy) {
        return `push-timeout reached while draining, ${p.pending.length + p.running > 0 ? `${p.pending.length} path(s) not started and ${p.running} upload(s) unfinished` : "nothing left"} (the post step reports what is unpushed)`;
    }
    if (h.runnerPid > 1) {
        try {
            process.kill(h.runnerPid, 0);
        }
        catch {
            return `the process that started the job's main step (pid ${h.runnerPid}) is gone`;
        }
    }
    if (!p.draining && p.running === 0 && p.pending.length === 0 && Date.now() - p.lastActivity > h.idleMs)
        return `idle for ${Math.round(h.idleMs / 1000)} s`;
    return undefined;
}
/** Follows the queue file's changes; after a rename or an error, the next turn watches it again. */
function watchQueue(p) {
    if (p.watcher)
        return;
    const drop = () => {
        p.watcher?.close();
        p.watcher = undefined;
    };
    try {
        p.watcher = (0,external_node_fs_.watch)(p.h.queueFile, { persistent: false }, (event) => {
            // the file was replaced or removed: watch whatever is at its path on the next turn
            if (event === "rename")
                drop();
            p.wake.kick();
        });
        p.watcher.on("error", () => {
            drop();
            p.wake.kick();
        });
    }
    catch {
        /* no change events here (or the file is gone): the tick reads the queue */
    }
}
/** The status post reads, rewritten atomically (renamed into place). */
async function writeStatus(p, state) {
    const s = {
        pid: process.pid,
        sent: [...p.sent],
        refused: [...p.refused],
        uploaded: p.to.copied.paths.size,
        narBytes: p.to.copied.narBytes,
        uploadedPaths: [...p.to.copied.paths],
        skipped: p.skipper?.skipped(),
        uploads: runningGroups(),
        state,
    };
    const tmp = `${p.h.statusFile}.tmp`;
    try {
        await (0,promises_namespaceObject.writeFile)(tmp, JSON.stringify(s), { mode: 0o600 });
        await (0,promises_namespaceObject.rename)(tmp, p.h.statusFile);
    }
    catch {
        /* the job dir is gone: nobody will read it */
    }
}
async function exit(p, state, code) {
    const killed = killRunning();
    const { copied } = p.to;
    log(`${state}${killed.length ? ` (stopped ${killed.length} upload(s))` : ""}; ${p.sent.size} queued path(s) sent, ${copied.paths.size} uploaded, ${copied.narBytes} NAR bytes`);
    await writeStatus(p, state);
    process.exit(code);
}
/** A nap that a kick ends early; a kick that arrives while the loop works is kept for its next nap, so none is lost. */
function waker() {
    let kicked = false;
    let wakeUp;
    return {
        kick: () => {
            kicked = true;
            wakeUp?.();
        },
        nap: (ms) => new Promise((resolve) => {
            if (kicked) {
                kicked = false;
                resolve();
                return;
            }
            const done = () => {
                clearTimeout(timer);
                wakeUp = undefined;
                kicked = false;
                resolve();
            };
            const timer = setTimeout(done, ms);
            wakeUp = done;
        }),
    };
}


/***/ }),

/***/ 5020:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _push_pusher_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1480);
/* harmony import */ var _unhandled_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(9432);


// This process holds the signing key: a SIGUSR1 from anyone must not open Node's inspector, which it
// does for a process with no handler of its own. Set before anything else runs.
process.on("SIGUSR1", () => undefined);
(0,_unhandled_js__WEBPACK_IMPORTED_MODULE_1__/* .reportUnhandledRejections */ ._)("pusher", "log");
await (0,_push_pusher_js__WEBPACK_IMPORTED_MODULE_0__/* .runPusher */ .H)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 7814:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   jy: () => (/* binding */ jobDir),
/* harmony export */   lS: () => (/* binding */ raw),
/* harmony export */   pq: () => (/* binding */ info)
/* harmony export */ });
/* unused harmony exports summaryHtml, actionsIo, useFlavour, getInput, inputName, stepName, setOutput, exportVariable, addPath, saveState, getState, setSecret, error, appendSummary, appendSummaryTable, group */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



const escapeData = (s) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
/** A `::name key=value::message` line on stdout, the runner's log-command syntax. */
function command(name, message, props = {}) {
    const list = Object.entries(props)
        .map(([k, v]) => `${k}=${escapeProperty(v)}`)
        .join(",");
    process.stdout.write(`::${name}${list ? " " + list : ""}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
}
/** Appends to the runner's GITHUB_<kind> file; false when the runner gave none (very old runners). */
function fileCommand(kind, text) {
    const file = process.env[`GITHUB_${kind}`];
    if (!file)
        return false;
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(file, text + node_os__WEBPACK_IMPORTED_MODULE_1__.EOL, "utf8");
    return true;
}
/**
 * `name<<delimiter` / value / `delimiter`: the multi-line form every runner parses. What keeps a value
 * from ending the block early and adding lines of its own is that the delimiter is not in it, which
 * is checked, so the random part need not come from node:crypto (whose loading costs more than the
 * rest of this module's work in a main step).
 */
function keyValue(name, value) {
    let delimiter;
    do {
        delimiter = `ghadelimiter_${randomHex(32)}`;
    } while (name.includes(delimiter) || value.includes(delimiter));
    return `${name}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}${value}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}${delimiter}`;
}
function randomHex(digits) {
    let out = "";
    while (out.length < digits)
        out += Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, "0");
    return out.slice(0, digits);
}
/**
 * The summary's block, byte for byte as @actions/core's `summary.addHeading(title, 3).addTable(rows)`
 * writes it (checked against it in the unit tests), without loading that library and the undici it
 * brings (tens of ms of the post step).
 */
function summaryHtml(title, rows) {
    const wrap = (tag, content) => (content ? `<${tag}>${content}</${tag}>` : `<${tag}>`);
    const table = wrap("table", rows.map((r) => wrap("tr", r.map((c) => wrap(c.header ? "th" : "td", c.data)).join(""))).join(""));
    return `${wrap("h3", title)}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}${table}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`;
}
/** The runners that speak the Actions protocol: GitHub's, act, Gitea's and Forgejo's. */
const actionsIo = {
    /** INPUT_<NAME>, spaces as underscores, as the runner passes it. */
    getInput: (name) => (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim(),
    inputName: (name) => name,
    stepName: (step) => (step === "main" ? "the main step" : "post"),
    setOutput(name, value) {
        if (fileCommand("OUTPUT", keyValue(name, value)))
            return;
        process.stdout.write(node_os__WEBPACK_IMPORTED_MODULE_1__.EOL);
        command("set-output", value, { name });
    },
    exportVariable(name, value) {
        process.env[name] = value;
        if (!fileCommand("ENV", keyValue(name, value)))
            command("set-env", value, { name });
    },
    addPath(dir) {
        if (!fileCommand("PATH", dir))
            command("add-path", dir);
        process.env.PATH = `${dir}${(node_path__WEBPACK_IMPORTED_MODULE_2___default().delimiter)}${process.env.PATH ?? ""}`;
    },
    saveState(name, value) {
        if (!fileCommand("STATE", keyValue(name, value)))
            command("save-state", value, { name });
    },
    getState: (name) => process.env[`STATE_${name}`] ?? "",
    setSecret: (secret) => command("add-mask", secret),
    info: (message) => void process.stdout.write(message + node_os__WEBPACK_IMPORTED_MODULE_1__.EOL),
    warning: (message) => command("warning", message),
    error: (message) => command("error", message),
    raw: (text) => void process.stdout.write(text),
    startGroup: (name) => command("group", name),
    endGroup: () => command("endgroup", ""),
    appendSummary(markdown) {
        const file = process.env.GITHUB_STEP_SUMMARY;
        if (!file)
            return false;
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(file, markdown.endsWith(node_os__WEBPACK_IMPORTED_MODULE_1__.EOL) ? markdown : markdown + node_os__WEBPACK_IMPORTED_MODULE_1__.EOL, "utf8");
        return true;
    },
    appendSummaryTable(title, rows) {
        return this.appendSummary(summaryHtml(title, rows));
    },
    /** In the runner's temp dir, which the runner empties after the job. */
    jobDir: (env) => node_path__WEBPACK_IMPORTED_MODULE_2___default().join(env.RUNNER_TEMP || node_os__WEBPACK_IMPORTED_MODULE_1___default().tmpdir(), "nix-runner-action"),
};
let flavour = actionsIo;
/** Makes `next` the flavour every step speaks through; returns the one it replaces. */
function useFlavour(next) {
    const before = flavour;
    flavour = next;
    return before;
}
const getInput = (name) => flavour.getInput(name);
const inputName = (name) => flavour.inputName(name);
const stepName = (step) => flavour.stepName(step);
const setOutput = (name, value) => flavour.setOutput(name, value);
const exportVariable = (name, value) => flavour.exportVariable(name, value);
const addPath = (dir) => flavour.addPath(dir);
const saveState = (name, value) => flavour.saveState(name, value);
const getState = (name) => flavour.getState(name);
const setSecret = (secret) => flavour.setSecret(secret);
const info = (message) => flavour.info(message);
const warning = (message) => flavour.warning(message);
const error = (message) => flavour.error(message);
const raw = (text) => flavour.raw(text);
const appendSummary = (markdown) => flavour.appendSummary(markdown);
const jobDir = (env) => flavour.jobDir(env);
const appendSummaryTable = (title, rows) => flavour.appendSummaryTable(title, rows);
/** Marks the step failed and says why; the process still ends normally. */
function setFailed(message) {
    process.exitCode = 1;
    flavour.error(message);
}
/** Runs `fn` inside a collapsible log group, closed even when `fn` throws. */
async function group(name, fn) {
    flavour.startGroup(name);
    try {
        return await fn();
    }
    finally {
        flavour.endGroup();
    }
}


/***/ }),

/***/ 9432:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ reportUnhandledRejections)
/* harmony export */ });
/* harmony import */ var _step_io_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7814);

/** Installs the entry's one `unhandledRejection` handler; `name` starts its message. */
function reportUnhandledRejections(name, policy) {
    process.on("unhandledRejection", (reason) => {
        const line = `${name}: unhandled rejection: ${String(reason)}`;
        if (policy === "fail")
            _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(line);
        else if (policy === "warn")
            _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(line);
        else
            console.error(line);
    });
}


/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(5020);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
