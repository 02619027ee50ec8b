export const id = 233;
export const ids = [233];
export const modules = {

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ InputError),
/* harmony export */   l: () => (/* binding */ ActionError)
/* harmony export */ });
/**
 * An error the user can act on: its message says what is wrong and what to do, so the main step
 * fails with the message alone (no stack), and the post step warns with it (or fails, when
 * fail-on-push-error asks). Anything else that is thrown is a bug and is reported with its stack.
 */
class ActionError extends Error {
    name = "ActionError";
}
/**
 * Bad input: the message names the input and the fix. Its own class because the post step must
 * tell it apart: main has already failed on it, so post says so once and pushes nothing.
 */
class InputError extends ActionError {
    name = "InputError";
}


/***/ }),

/***/ 3190:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   bv: () => (/* binding */ firstError),
/* harmony export */   eF: () => (/* binding */ run),
/* harmony export */   eb: () => (/* binding */ SECRET_FD_PATH),
/* harmony export */   gf: () => (/* binding */ childEnv),
/* harmony export */   tG: () => (/* binding */ startDetached),
/* harmony export */   wp: () => (/* binding */ killRunning),
/* harmony export */   z3: () => (/* binding */ killGroupOf)
/* harmony export */ });
/* unused harmony export runningGroups */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _step_io_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7814);




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
async function run(cmd, args, opts = {}) {
    if (opts.echo)
        _step_io_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq(`[command]${[cmd, ...args].join(" ")}`);
    // loaded on first use: where Nix lives in the store, the main step starts no process at all
    const { spawn } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1421, 23));
    let outFd;
    try {
        if (opts.stdoutFile !== undefined)
            outFd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(opts.stdoutFile, "w", 0o600);
    }
    catch (err) {
        return { code: 126, stdout: "", stderr: String(err), timedOut: false };
    }
    const spool = opts.spool && !opts.echo && outFd === undefined ? spoolFiles() : undefined;
    const result = await startAndWait(spawn, cmd, args, opts, spool?.[0] ?? outFd, spool?.[1]);
    if (outFd !== undefined)
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(outFd);
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
                _step_io_js__WEBPACK_IMPORTED_MODULE_3__/* .raw */ .lS(d);
        });
        child.stderr?.setEncoding("utf8").on("data", (d) => {
            stderr += d;
            if (opts.echo)
                _step_io_js__WEBPACK_IMPORTED_MODULE_3__/* .raw */ .lS(d);
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
            const file = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(node_os__WEBPACK_IMPORTED_MODULE_1___default().tmpdir(), `nix-runner-action-${process.pid}-${Math.random().toString(36).slice(2)}.${name}`);
            fds.push((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(file, "wx+", 0o600));
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.unlinkSync)(file);
        }
        return [fds[0], fds[1]];
    }
    catch {
        for (const fd of fds)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
        return undefined;
    }
}
/** What the command wrote to a spool file (read from the start: the child moved the shared offset), then closed. */
function readSpooled(fd) {
    try {
        const buf = Buffer.alloc((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd).size);
        let at = 0;
        while (at < buf.length) {
            const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, buf, at, buf.length - at, at);
            if (n === 0)
                break;
            at += n;
        }
        return buf.subarray(0, at).toString("utf8");
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
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
    const { spawn } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1421, 23));
    const log = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(opts.logFile, "a", 0o600);
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
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(log);
    }
}


/***/ }),

/***/ 4374:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DE: () => (/* binding */ jobFiles),
/* harmony export */   IF: () => (/* binding */ daemonPidFile),
/* harmony export */   jy: () => (/* binding */ jobDir)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _step_io_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7814);


/** The folder for this job's files: where the step's CI flavour keeps them (src/step-io.ts, src/gitlab-io.ts). */
function jobDir(env = process.env) {
    return _step_io_js__WEBPACK_IMPORTED_MODULE_1__/* .jobDir */ .jy(env);
}
function jobFiles(dir = jobDir()) {
    const at = (name) => node_path__WEBPACK_IMPORTED_MODULE_0___default().join(dir, name);
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


/***/ }),

/***/ 913:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kb: () => (/* binding */ excerpt),
/* harmony export */   by: () => (/* binding */ UnknownAnswer),
/* harmony export */   hf: () => (/* binding */ notUnderstood)
/* harmony export */ });
/* harmony import */ var _version_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2980);

/**
 * Nix answered (the command succeeded) but not in a shape this action knows: a new JSON layout, a
 * changed log line. The parsers throw it with what they saw; the caller, which knows the command,
 * the Nix version and what it does instead, turns it into a warning with notUnderstood.
 */
class UnknownAnswer extends Error {
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
    return `Could not understand the answer of '${command}' (${(0,_version_js__WEBPACK_IMPORTED_MODULE_0__/* .describeNix */ .Tg)(nix)}): ${what}; ${instead}`;
}
/** The start of an answer, on one line, for quoting in notUnderstood. Only for answers that hold no secrets. */
function excerpt(text, max = 80) {
    const flat = text.trim().replace(/\s+/g, " ");
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}


/***/ }),

/***/ 7883:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $Q: () => (/* binding */ daemonSocketPath),
/* harmony export */   LC: () => (/* binding */ startDaemon),
/* harmony export */   Nv: () => (/* binding */ socketAnswers),
/* harmony export */   t3: () => (/* binding */ stopOwnDaemon)
/* harmony export */ });
/* unused harmony export waitForSocket */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _step_io_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7814);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3190);
/* harmony import */ var _job_dir_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4374);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3916);






/** Where Nix looks for the daemon: a `unix://` NIX_REMOTE, NIX_DAEMON_SOCKET_PATH, else the standard path. */
function daemonSocketPath(env) {
    const remote = env.NIX_REMOTE ?? "";
    if (remote.startsWith("unix://"))
        return remote.slice("unix://".length).split("?")[0];
    return env.NIX_DAEMON_SOCKET_PATH || "/nix/var/nix/daemon-socket/socket";
}
async function isSocket(p) {
    try {
        return (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(p)).isSocket();
    }
    catch {
        return false;
    }
}
/** True when something accepts connections on the unix socket `socket` (a stale socket file does not). */
async function socketAnswers(socket, timeoutMs = 2000) {
    // node:net loads only here: most jobs have no daemon socket to try
    const { createConnection } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7030, 23));
    return new Promise((resolve) => {
        const conn = createConnection({ path: socket });
        const done = (ok) => {
            clearTimeout(timer);
            conn.destroy();
            resolve(ok);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        conn.once("connect", () => done(true));
        conn.once("error", () => done(false));
    });
}
/**
 * Polls until something accepts connections on `socket`, at most `timeoutMs`. Accepting, not just
 * existing: a killed daemon leaves its socket file behind, and the new one replaces it a moment later.
 */
async function waitForSocket(socket, timeoutMs, stillAlive = () => true) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if ((await isSocket(socket)) && (await socketAnswers(socket, 1000)))
            return true;
        if (!stillAlive() || Date.now() >= deadline)
            return false;
        await new Promise((r) => setTimeout(r, 100));
    }
}
/**
 * Starts `argv` (nix-daemon, maybe behind sudo) detached from this step, so it outlives it and
 * serves the job's later steps, and waits at most `timeoutMs` for its socket. On timeout or early
 * exit it stops the process it started and says why, with the end of the daemon's log.
 */
async function startDaemon(argv, socket, logFile, timeoutMs, env) {
    const { spawn } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1421, 23));
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(logFile, "a", 0o600);
    let exited;
    let spawnError;
    const child = spawn(argv[0], argv.slice(1), { env: (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .childEnv */ .gf)(env), detached: true, stdio: ["ignore", fd, fd] });
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    child.on("exit", (code, signal) => (exited = { code, signal }));
    child.on("error", (e) => (spawnError = e));
    const pid = child.pid;
    const up = await waitForSocket(socket, timeoutMs, () => exited === undefined && spawnError === undefined);
    if (up && pid !== undefined) {
        child.unref();
        return { pid, socket, log: logFile };
    }
    const timedOut = exited === undefined && spawnError === undefined;
    if (pid !== undefined && exited === undefined) {
        try {
            process.kill(-pid, "SIGKILL");
        }
        catch {
            child.kill("SIGKILL");
        }
    }
    const tail = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(logFile, "utf8").catch(() => "")).trim().split("\n").slice(-5).join(" | ");
    const why = spawnError
        ? `could not be started (${spawnError.message})`
        : timedOut || !exited
            ? `did not create its socket ${socket} within ${Math.round(timeoutMs / 1000)} s and was stopped`
            : `exited (${exited.signal ?? `code ${exited.code}`}) before creating its socket ${socket}`;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .l(`nix-daemon (${argv[argv.length - 1]}${argv[0] === "sudo" ? ", through sudo" : ""}) ${why}${tail ? `; its log ends: ${tail}` : ""}`);
}
function signal(pid, sig) {
    try {
        process.kill(pid, sig);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Stops the nix-daemon that main started for this job (its PID is in the job dir), after the push
 * has used it: the daemon served this job only and must not outlive it on a runner that is reused.
 * It leads its own process group (spawned detached), so the group is signalled; behind sudo, a
 * non-root job signals it through `sudo -n kill`.
 */
async function stopOwnDaemon(env = process.env) {
    const pidFile = (0,_job_dir_js__WEBPACK_IMPORTED_MODULE_4__/* .daemonPidFile */ .IF)(env);
    const text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(pidFile, "utf8").catch(() => "");
    const pid = Number(text.trim());
    if (!Number.isInteger(pid) || pid <= 1)
        return;
    if (signal(pid, 0) || (await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .run */ .eF)("sudo", ["-n", "kill", "-0", String(pid)], { env })).code === 0) {
        if (!signal(-pid, "SIGTERM") && !signal(pid, "SIGTERM")) {
            await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .run */ .eF)("sudo", ["-n", "kill", "-TERM", "--", `-${pid}`], { env });
        }
        for (let i = 0; i < 50 && signal(pid, 0); i++)
            await new Promise((r) => setTimeout(r, 100));
        _step_io_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Stopped the nix-daemon (pid ${pid}) this job started`);
    }
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(pidFile, { force: true });
}


/***/ }),

/***/ 9560:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ NIX_FLAKES),
/* harmony export */   g: () => (/* binding */ NIX_COMMAND)
/* harmony export */ });
/**
 * The arguments that turn on the `nix` command and flakes for one command, whatever the machine's
 * nix.conf enables: every `nix` run of the action that builds, copies, runs or updates a flake.
 */
const NIX_FLAKES = ["--extra-experimental-features", "nix-command flakes"];
/**
 * The `nix` command alone, for commands that read Nix's configuration: there, flakes turned on by
 * the command line would read back as if the machine's nix.conf enabled them.
 */
const NIX_COMMAND = ["--extra-experimental-features", "nix-command"];


/***/ }),

/***/ 6545:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K7: () => (/* binding */ which),
/* harmony export */   WH: () => (/* binding */ locateNix),
/* harmony export */   dN: () => (/* binding */ realPathOf),
/* harmony export */   z9: () => (/* binding */ nixVersionOf)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3190);
/* harmony import */ var _step_io_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7814);
/* harmony import */ var _answer_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(913);
/* harmony import */ var _version_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2980);






/**
 * The first executable `cmd` on env.PATH, as a shell would find it. Synchronous on purpose: a few
 * stat calls, and the main step's `nix --version` must not wait for the rest of the code to load.
 */
function which(cmd, env) {
    for (const dir of (env.PATH ?? "").split((node_path__WEBPACK_IMPORTED_MODULE_1___default().delimiter))) {
        if (!dir)
            continue;
        const candidate = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dir, cmd);
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.accessSync)(candidate, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.X_OK);
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
    const named = (0,_version_js__WEBPACK_IMPORTED_MODULE_5__/* .versionFromStorePath */ .Fx)(realPathOf(nixPath));
    if (named)
        return named;
    const r = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_2__/* .run */ .eF)(nixPath, ["--version"], { env });
    if (r.code !== 0)
        return undefined;
    const version = (0,_version_js__WEBPACK_IMPORTED_MODULE_5__/* .parseNixVersion */ .p_)(r.stdout);
    if (version === undefined) {
        _step_io_js__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e((0,_answer_js__WEBPACK_IMPORTED_MODULE_4__/* .notUnderstood */ .hf)("nix --version", undefined, `no version in "${(0,_answer_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(r.stdout) || "(nothing)"}"`, "the action goes on as with an old Nix: newer commands and flags stay off, and nix-version cannot be checked; upstream Nix, Lix and Determinate Nix are known"));
    }
    return version;
}
/** `p` with every symlink resolved; `p` itself when that fails. */
function realPathOf(p) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.realpathSync)(p);
    }
    catch {
        return p;
    }
}


/***/ }),

/***/ 4366:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   If: () => (/* binding */ stateDirOf),
/* harmony export */   K3: () => (/* binding */ listStore),
/* harmony export */   cz: () => (/* binding */ storeDirOf),
/* harmony export */   xC: () => (/* binding */ createStateDir)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);

/** Where Nix keeps its state (the database, gc roots, profiles); NIX_STATE_DIR overrides it as in Nix itself. */
function stateDirOf(env) {
    return env.NIX_STATE_DIR || "/nix/var/nix";
}
/** Where Nix keeps its store; NIX_STORE_DIR overrides it as in Nix itself. */
function storeDirOf(env) {
    return (env.NIX_STORE_DIR || "/nix/store").replace(/\/+$/, "");
}
/**
 * Creates the store's state directory (/nix/var/nix, or NIX_STATE_DIR) when it is missing, and says
 * which it created. For a non-root user, Nix 2.26 and 2.34 take a missing one as "no store here"
 * and fall back to a chroot store in ~/.local/share/nix/root (where this machine's builds then
 * fail); Nix 2.8 creates it and uses /nix. Called where detection found the user may create it, so
 * every version opens the store detection judged. undefined: it was there, or cannot be made.
 */
async function createStateDir(env) {
    const state = stateDirOf(env);
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.access)(state);
        return undefined;
    }
    catch {
        // missing: make it below
    }
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(state, { recursive: true });
        return state;
    }
    catch {
        return undefined;
    }
}
/** The store's entries, or none when the store does not exist yet (a fresh image). */
async function listStore(storeDir) {
    try {
        return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(storeDir);
    }
    catch (e) {
        if (e.code === "ENOENT")
            return [];
        throw e;
    }
}


/***/ }),

/***/ 2980:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Tg: () => (/* reexport */ describeNix),
  p_: () => (/* reexport */ parseNixVersion),
  jY: () => (/* binding */ satisfiesRange),
  xY: () => (/* binding */ supports),
  Fx: () => (/* binding */ versionFromStorePath)
});

// UNUSED EXPORTS: FEATURES, LIX_FORKED_FROM

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
async function supports(nix, feature) {
    if (!nix)
        return false;
    const f = FEATURES[feature];
    if (nix.implementation === "lix")
        return f.lix;
    const { default: semver } = await __webpack_require__.e(/* import() */ 88).then(__webpack_require__.t.bind(__webpack_require__, 2088, 23));
    return semver.valid(nix.upstream) !== null && semver.gte(nix.upstream, f.upstream);
}
/**
 * Whether a `nix-version` range holds for this Nix: its upstream release is what is compared (Lix as
 * the 2.18 it forked from), pre-releases included (2.24.0pre… is before 2.24.0, after 2.23).
 */
async function satisfiesRange(nix, range) {
    if (!nix)
        return false;
    const { default: semver } = await __webpack_require__.e(/* import() */ 88).then(__webpack_require__.t.bind(__webpack_require__, 2088, 23));
    return semver.satisfies(nix.upstream, range, { includePrerelease: true });
}


/***/ }),

/***/ 7409:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A2: () => (/* binding */ PUSH_SCHEMES),
/* harmony export */   El: () => (/* binding */ pushTarget),
/* harmony export */   jm: () => (/* binding */ settingProblems)
/* harmony export */ });
/* unused harmony export COMPRESSIONS */
/**
 * push-to, parsed once (by readInputs, which checked it) into what every part of the push needs to
 * know about the cache: its scheme, what of it a log may show, and how its paths are signed.
 */
/** The schemes push-to takes; a binary cache stores NARs and .narinfo files, an ssh store is a Nix store. */
const SCHEMES = { "file:": "binary-cache", "http:": "binary-cache", "https:": "binary-cache", "s3:": "binary-cache", "ssh:": "ssh", "ssh-ng:": "ssh" };
const PUSH_SCHEMES = Object.keys(SCHEMES);
/** `url` is `text` parsed, when the caller has already parsed it (readInputs, which checked it). */
function pushTarget(text, url = new URL(text)) {
    const scheme = url.protocol;
    const binaryCache = SCHEMES[scheme] === "binary-cache";
    return {
        url: text,
        scheme,
        binaryCache,
        signs: binaryCache ? "at-upload" : "in-local-store",
        display: displayOf(url),
        password: url.password ? decodeURIComponent(url.password) : "",
        settings: [...url.searchParams.entries()],
        base: text.split("?")[0].split("#")[0],
    };
}
function displayOf(parsed) {
    const u = new URL(parsed.href);
    if (u.password || !u.protocol.startsWith("ssh"))
        u.username = "";
    u.password = "";
    u.search = "";
    u.hash = "";
    return u.toString().replace(/\/$/, "");
}
/**
 * The compression methods Nix takes for a binary cache's `compression` (and, where it has them,
 * `narinfo-`, `ls-` and `log-compression`), as Nix 2.34's `nix help-stores` lists them. Nix 2.8 and
 * 2.26 take any word when they open the store and refuse it only at the first upload ("unknown
 * compression method"), so main checks it against this list.
 */
const COMPRESSIONS = ["xz", "bzip2", "gzip", "zstd", "none", "br", "compress", "grzip", "lrzip", "lz4", "lzip", "lzma", "lzop"];
const COMPRESSION_SETTINGS = ["compression", "narinfo-compression", "ls-compression", "log-compression"];
/**
 * push-to's settings (its query) checked against `known`, the settings the Nix in use takes for a
 * store of this scheme (src/nix/store-settings.ts asks it): unknown names (Nix only warns "unknown
 * setting" and goes on without them: a misspelt `compresion=zstd` would silently push xz), and
 * compression methods it has no compressor for. Pure.
 */
function settingProblems(target, known) {
    const problems = [];
    for (const [name, value] of target.settings) {
        if (!known.has(name)) {
            const near = closest(name, [...known]);
            problems.push({ name, why: `"${name}" is not a setting of this store${near ? `; did you mean "${near}"?` : ""} (it takes ${[...known].sort().join(", ")})` });
        }
        else if (COMPRESSION_SETTINGS.includes(name) && !COMPRESSIONS.includes(value) && !(value === "" && name !== "compression")) {
            problems.push({ name, why: `${name}=${value} is not a compression method Nix knows; use one of ${COMPRESSIONS.join(", ")}` });
        }
    }
    return problems;
}
/** The name of `known` within two edits of `name` (a typo), if one is. */
function closest(name, known) {
    let best;
    let bestD = 3;
    for (const k of known) {
        const d = editDistance(name, k);
        if (d < bestD)
            [best, bestD] = [k, d];
    }
    return best;
}
function editDistance(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++)
            cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
        prev = cur;
    }
    return prev[b.length];
}


/***/ }),

/***/ 7042:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   idleLimitFrom: () => (/* binding */ idleLimitFrom),
/* harmony export */   killOrphanUploads: () => (/* binding */ killOrphanUploads),
/* harmony export */   livePusher: () => (/* binding */ livePusher),
/* harmony export */   pusherLog: () => (/* binding */ pusherLog),
/* harmony export */   readStatus: () => (/* binding */ readStatus),
/* harmony export */   signalDrain: () => (/* binding */ signalDrain),
/* harmony export */   startPusher: () => (/* binding */ startPusher),
/* harmony export */   stopPusherSync: () => (/* binding */ stopPusherSync),
/* harmony export */   waitForExit: () => (/* binding */ waitForExit)
/* harmony export */ });
/* harmony import */ var _step_io_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7814);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3190);
/* harmony import */ var _job_dir_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4374);
/* harmony import */ var _limits_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(218);
/* harmony import */ var _url_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(7265);









/**
 * Main's half: start the pusher for this job, detached, with the key on its stdin. Never fails the
 * main step: without a pusher, post pushes everything, as with push-during-build: false.
 */
async function startPusher(inputs, queueFile, storeDir, dir, limits, lifetime) {
    // none of its files holds a secret: the key and the push URL (which may carry a password) reach it on its stdin only
    const files = (0,_job_dir_js__WEBPACK_IMPORTED_MODULE_6__/* .jobFiles */ .DE)(dir);
    if (!inputs.pushTo)
        return;
    const to = (0,_url_js__WEBPACK_IMPORTED_MODULE_8__/* .buildPushUrl */ .M)(inputs.pushTo, { keyFile: inputs.signingKey ? _exec_js__WEBPACK_IMPORTED_MODULE_5__/* .SECRET_FD_PATH */ .eb : undefined });
    if (to.signLocally) {
        _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq("push: no background pusher for ssh stores (they sign in the local store first); the post step pushes");
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
    const bundle = node_path__WEBPACK_IMPORTED_MODULE_3___default().join(node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname((0,node_url__WEBPACK_IMPORTED_MODULE_4__.fileURLToPath)(import.meta.url)), "..", "pusher", "index.js");
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(bundle)) {
        _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`push: the background pusher's bundle ${bundle} is missing; the post step pushes everything`);
        return;
    }
    try {
        const pid = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_5__/* .startDetached */ .tG)(process.execPath, [bundle], { input: JSON.stringify(handoff), logFile: files.pusherLog, ownGroup: lifetime.ownGroup });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(files.pusherPid, `${pid}\n`, { mode: 0o600 });
        _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`push: background pusher started (pid ${pid}, log ${files.pusherLog}): paths are uploaded as they are built; ${lifetime.why}`);
    }
    catch (e) {
        _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`push: could not start the background pusher (${String(e)}); the post step pushes everything`);
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
        pid = Number((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)((0,_job_dir_js__WEBPACK_IMPORTED_MODULE_6__/* .jobFiles */ .DE)(dir).pusherPid, "utf8").trim());
    }
    catch {
        return undefined;
    }
    if (!Number.isInteger(pid) || pid <= 1)
        return undefined;
    try {
        const cmd = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(`/proc/${pid}/cmdline`, "utf8");
        const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(`/proc/${pid}/stat`, "utf8");
        if (!cmd.includes(`${(node_path__WEBPACK_IMPORTED_MODULE_3___default().sep)}pusher${(node_path__WEBPACK_IMPORTED_MODULE_3___default().sep)}index.js`) || stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z"))
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
    const files = (0,_job_dir_js__WEBPACK_IMPORTED_MODULE_6__/* .jobFiles */ .DE)(dir);
    const status = files.pusherStatus;
    const deadline = Date.now() + readyMs;
    while (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(status) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
    const ready = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(status);
    // written before the signal, which makes the pusher read it
    if (ready && stopBy > 0)
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(files.pusherDrain, JSON.stringify({ stopBy }), { mode: 0o600 });
    try {
        process.kill(pid, ready ? _limits_js__WEBPACK_IMPORTED_MODULE_7__.DRAIN_SIGNAL : "SIGTERM");
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
            if (!/\bcopy\b/.test((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(`/proc/${g}/cmdline`, "utf8").replace(/\0/g, " ")))
                continue;
        }
        catch {
            continue;
        }
        (0,_exec_js__WEBPACK_IMPORTED_MODULE_5__/* .killGroupOf */ .z3)(g);
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
    const statusName = node_path__WEBPACK_IMPORTED_MODULE_3___default().basename((0,_job_dir_js__WEBPACK_IMPORTED_MODULE_6__/* .jobFiles */ .DE)(dir).pusherStatus);
    let wake;
    let watcher;
    try {
        watcher = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.watch)(dir, { persistent: false }, (_event, name) => {
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
        return JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)((0,_job_dir_js__WEBPACK_IMPORTED_MODULE_6__/* .jobFiles */ .DE)(dir).pusherStatus, "utf8"));
    }
    catch {
        return undefined;
    }
}
async function readStatus(dir) {
    try {
        return JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)((0,_job_dir_js__WEBPACK_IMPORTED_MODULE_6__/* .jobFiles */ .DE)(dir).pusherStatus, "utf8"));
    }
    catch {
        return undefined;
    }
}
async function pusherLog(dir) {
    return (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)((0,_job_dir_js__WEBPACK_IMPORTED_MODULE_6__/* .jobFiles */ .DE)(dir).pusherLog, "utf8").catch(() => "");
}


/***/ }),

/***/ 218:
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


/***/ }),

/***/ 4126:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CI: () => (/* binding */ storePathOf),
/* harmony export */   DY: () => (/* binding */ parseQueue),
/* harmony export */   QV: () => (/* binding */ PUSH_PATHS_CHOICE),
/* harmony export */   R4: () => (/* binding */ filterPaths),
/* harmony export */   f: () => (/* binding */ newEntries),
/* harmony export */   jN: () => (/* binding */ chooseMethod)
/* harmony export */ });
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


/***/ }),

/***/ 7265:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ copyArgs),
/* harmony export */   M: () => (/* binding */ buildPushUrl)
/* harmony export */ });
/* harmony import */ var _nix_features_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9560);

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
    return [..._nix_features_js__WEBPACK_IMPORTED_MODULE_0__/* .NIX_FLAKES */ .f, "copy", "-v", "--option", "substitute", "false", "--to", url, ...paths];
}


/***/ }),

/***/ 2462:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hh: () => (/* binding */ load),
/* harmony export */   UN: () => (/* binding */ save),
/* harmony export */   zv: () => (/* binding */ StateKey)
/* harmony export */ });
/* harmony import */ var _step_io_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7814);

/** Everything main hands to post. Post must cope with any key missing: main may have failed half-way. */
var StateKey;
(function (StateKey) {
    /** JSON of the PushPlan main decided on; absent when there is nothing to push. */
    StateKey["PushPlan"] = "push-plan";
    /** Files that hold secrets for later steps (netrc, conf with access-tokens): post removes them. */
    StateKey["SecretFiles"] = "secret-files";
})(StateKey || (StateKey = {}));
function save(key, value) {
    _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(key, JSON.stringify(value));
}
/** The saved value, or undefined when main never saved it or saved something unreadable. */
function load(key) {
    const raw = _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(key);
    if (!raw)
        return undefined;
    try {
        return JSON.parse(raw);
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 7814:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   Gu: () => (/* binding */ getState),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   Os: () => (/* binding */ group),
/* harmony export */   PL: () => (/* binding */ useFlavour),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   dN: () => (/* binding */ exportVariable),
/* harmony export */   dy: () => (/* binding */ appendSummaryTable),
/* harmony export */   fM: () => (/* binding */ addPath),
/* harmony export */   jy: () => (/* binding */ jobDir),
/* harmony export */   lS: () => (/* binding */ raw),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   u: () => (/* binding */ stepName),
/* harmony export */   uH: () => (/* binding */ setOutput),
/* harmony export */   yu: () => (/* binding */ inputName)
/* harmony export */ });
/* unused harmony exports summaryHtml, actionsIo, error, appendSummary */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



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

/***/ 6233:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  USAGE: () => (/* binding */ USAGE),
  cliMain: () => (/* binding */ cliMain),
  parseArgs: () => (/* binding */ parseArgs),
  runCli: () => (/* binding */ runCli)
});

// EXTERNAL MODULE: ./src/step-io.ts
var step_io = __webpack_require__(7814);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/keys.ts
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
/** Splits `name:base64` and checks the decoded length; returns an error sentence or the key. */
function parseNixKey(text, expectedBytes) {
    const colon = text.indexOf(":");
    // Never quote the text: for a secret key even a few characters would reach the log unmasked.
    if (colon <= 0)
        return `an entry is not of the form name:base64`;
    const name = text.slice(0, colon);
    const b64 = text.slice(colon + 1);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64))
        return `key "${name}" does not have valid base64 after the colon`;
    const bytes = Buffer.from(b64, "base64");
    if (bytes.length !== expectedBytes) {
        return `key "${name}" decodes to ${bytes.length} bytes, an ed25519 ${expectedBytes === 32 ? "public" : "secret"} key has ${expectedBytes}`;
    }
    return { name, bytes };
}
/**
 * A Nix secret key is libsodium's 64 bytes: the 32-byte seed, then the public key. Derive the public
 * key from the seed with node's crypto and check it matches the second half, so a corrupted or
 * hand-edited key is caught here rather than by every consumer refusing our signatures.
 */
async function publicKeyOf(secret) {
    // node:crypto loads only for a signing key: loading it costs more than the rest of input checking
    const { createPrivateKey, createPublicKey } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7598, 23));
    const seed = secret.bytes.subarray(0, 32);
    const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
    const spki = createPublicKey(priv).export({ format: "der", type: "spki" });
    const pub = spki.subarray(spki.length - 32);
    if (!pub.equals(secret.bytes.subarray(32)))
        return undefined;
    return `${secret.name}:${pub.toString("base64")}`;
}

// EXTERNAL MODULE: ./src/push-target.ts
var push_target = __webpack_require__(7409);
;// CONCATENATED MODULE: ./src/skip-upstream.ts
/**
 * The skip-upstream input, parsed once by readInputs: which upstream caches' paths the push leaves
 * out (src/push/skip.ts does it).
 */
/**
 * Parses `skip-upstream`: whitespace-separated `KEY-NAME=URL` entries (the key name as in the
 * upstream's public key, before its colon; the URL http(s):// or file:///). Returns the error text
 * for the first bad entry, or the entries.
 */
function parseSkipUpstream(text) {
    const out = [];
    for (const word of text.split(/\s+/).filter(Boolean)) {
        const eq = word.indexOf("=");
        const key = eq > 0 ? word.slice(0, eq) : "";
        const url = eq > 0 ? word.slice(eq + 1) : "";
        if (!key || !url)
            return `"${word}" is not KEY-NAME=URL; write e.g. cache.nixos.org-1=https://cache.nixos.org`;
        if (key.includes(":"))
            return `"${key}" is a whole public key; give only its name, the part before the colon (e.g. cache.nixos.org-1)`;
        let u;
        try {
            u = new URL(url);
        }
        catch {
            return `"${url}" (for ${key}) is not a URL; write e.g. cache.nixos.org-1=https://cache.nixos.org`;
        }
        if (!["http:", "https:", "file:"].includes(u.protocol))
            return `"${url}" (for ${key}) must be an http://, https:// or file:/// URL`;
        if (u.protocol === "file:" && (u.host !== "" || !u.pathname.startsWith("/")))
            return `"${url}" (for ${key}) must be an absolute file URL with three slashes`;
        if (u.search)
            return `"${url}" (for ${key}) must have no query: it is only asked whether it serves a path's .narinfo`;
        out.push({ key, url: url.replace(/\/+$/, "") });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/inputs.ts





const MODES = ["auto", "image", "native", "install"];
const INSTALLERS = ["nixos", "determinate", "none"];
const INITS = ["auto", "systemd", "none"];
/** Every input of action.yml (test/readme.test.ts checks both ways): the CLI reads each from a variable. */
const INPUT_NAMES = [
    "mode", "substituters", "trusted-public-keys", "extra-conf", "access-tokens", "netrc", "push-to", "signing-key",
    "push-filter", "push-paths", "push-during-build", "push-unattributed", "skip-upstream", "fail-on-push-error", "push-timeout", "installer", "installer-url", "installer-sha256", "init", "nix-version",
];
/**
 * The inputs that carry secrets (masked as they are read; action.yml says "Masked"). Never component
 * inputs, whose values GitLab writes into the job's YAML as clear text; in GitLab they come from
 * masked CI/CD variables, which the CLI's setup unsets for the job's later lines.
 */
const SECRET_INPUTS = ["access-tokens", "netrc", "signing-key"];
const SUBSTITUTER_SCHEMES = ["http:", "https:", "file:", "s3:", "ssh:", "ssh-ng:", "gs:"];
/**
 * Reads and checks every input once. Takes a getter so tests can hand in a plain record; the
 * default reads the INPUT_* variables the runner sets. Throws InputError before anything is written.
 */
async function readInputs(get = (n) => step_io/* getInput */.V4(n), mask = (s) => step_io/* setSecret */.Pq(s)) {
    const errors = [];
    const check = async (f, fallback) => {
        try {
            return await f();
        }
        catch (e) {
            if (!(e instanceof src_errors/* InputError */.d))
                throw e;
            errors.push(e.message);
            return fallback;
        }
    };
    const mode = await check(() => oneOf(get, "mode", MODES, "auto"), "auto");
    const installer = await check(() => oneOf(get, "installer", INSTALLERS, "nixos"), "nixos");
    const init = await check(() => oneOf(get, "init", INITS, "auto"), "auto");
    const failOnPushError = await check(() => boolInput(get, "fail-on-push-error"), false);
    const pushDuringBuild = await check(() => boolInput(get, "push-during-build", true), true);
    const pushUnattributed = await check(() => boolInput(get, "push-unattributed"), false);
    const pushTimeoutMs = await check(() => minutesInput(get, "push-timeout", PUSH_TIMEOUT_DEFAULT_MIN), PUSH_TIMEOUT_DEFAULT_MIN * 60_000);
    const substituters = await check(() => storeUrls(get, "substituters", SUBSTITUTER_SCHEMES), []);
    const trustedPublicKeys = await check(() => publicKeys(get), []);
    const signing = await check(() => signingKey(get, mask), { key: "", pub: "" });
    const pushTo = await check(() => pushUrl(get), undefined);
    const pushFilter = await check(() => regex(get, "push-filter"), "");
    const skipUpstream = await check(() => skipUpstreamInput(get), []);
    const extraConf = await check(() => confLines(get, "extra-conf"), "");
    const accessTokens = await check(() => tokens(get, mask), "");
    const netrc = await check(() => netrcText(get, mask), "");
    const installerUrl = await check(() => installerUrlInput(get), "");
    const installerSha256 = await check(() => sha256(get), "");
    const nixVersion = await check(() => nixVersionRange(get), "");
    const pushPaths = words(get("push-paths"));
    if (errors.length > 0)
        throw new src_errors/* InputError */.d(errors.join("\n"));
    return {
        mode,
        substituters,
        trustedPublicKeys,
        extraConf,
        accessTokens,
        netrc,
        pushTo,
        signingKey: signing.key,
        signingPublicKey: signing.pub,
        pushFilter,
        pushPaths,
        failOnPushError,
        pushTimeoutMs,
        pushDuringBuild,
        pushUnattributed,
        skipUpstream,
        installer,
        installerUrl,
        installerSha256,
        init,
        nixVersion,
    };
}
/** nix-version: a semver range, or empty. */
async function nixVersionRange(get) {
    const range = get("nix-version").trim();
    if (!range)
        return "";
    // semver only when there is a range to check: loading it is most of what reading inputs costs
    const { default: semver } = await __webpack_require__.e(/* import() */ 88).then(__webpack_require__.t.bind(__webpack_require__, 2088, 23));
    if (semver.validRange(range) === null)
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("nix-version")}: "${range}" is not a semver range; write e.g. ">=2.18" or "2.24.x"`);
    return range;
}
function words(text) {
    return text.split(/\s+/).filter((w) => w.length > 0);
}
function oneOf(get, name, allowed, dflt) {
    const value = get(name).trim() || dflt;
    if (!allowed.includes(value)) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu(name)} must be one of ${allowed.join(", ")} (got "${value}")`);
    }
    return value;
}
/** The same values @actions/core's getBooleanInput accepts (YAML 1.2 core schema), read through the getter tests replace. */
function boolInput(get, name, dflt = false) {
    const value = get(name).trim();
    if (value === "")
        return dflt;
    if (["true", "True", "TRUE"].includes(value))
        return true;
    if (["false", "False", "FALSE"].includes(value))
        return false;
    throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu(name)} must be true or false (got "${value}")`);
}
/** push-timeout's default, in minutes: long enough for a few GB to a nearby cache, short of holding a runner for hours. */
const PUSH_TIMEOUT_DEFAULT_MIN = 15;
/** The longest push-timeout taken: a day (Node's timers stop at 24.8 days; no CI job runs that long). */
const PUSH_TIMEOUT_MAX_MIN = 24 * 60;
/** A positive number of minutes (decimals allowed: 0.5 is 30 s), as ms; `dflt` minutes when empty. */
function minutesInput(get, name, dflt) {
    const value = get(name).trim();
    if (value === "")
        return dflt * 60_000;
    const n = /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!(n > 0)) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu(name)} must be a number of minutes, got "${value}"; write e.g. ${dflt} (the default) or 2.5`);
    }
    if (n > PUSH_TIMEOUT_MAX_MIN) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu(name)} must be at most ${PUSH_TIMEOUT_MAX_MIN} minutes (a day), got "${value}"`);
    }
    // whole ms, at least 1: what timers take
    return Math.max(1, Math.round(n * 60_000));
}
function parseStoreUrl(name, text, schemes) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu(name)}: "${text}" is not a URL; write it like https://cache.example.org or file:///srv/cache`);
    }
    if (!schemes.includes(url.protocol)) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu(name)}: "${text}" uses ${url.protocol}// which is not supported here; use one of ${schemes.map((s) => s + "//").join(", ")}`);
    }
    if (url.protocol === "file:" && (url.host !== "" || !url.pathname.startsWith("/"))) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu(name)}: "${text}" must be an absolute file URL with three slashes, like file:///srv/nix-cache`);
    }
    return url;
}
function storeUrls(get, name, schemes) {
    const urls = words(get(name));
    for (const u of urls)
        parseStoreUrl(name, u, schemes);
    return urls;
}
function publicKeys(get) {
    const keys = words(get("trusted-public-keys"));
    for (const k of keys) {
        const parsed = parseNixKey(k, 32);
        if (typeof parsed === "string") {
            throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("trusted-public-keys")}: ${parsed}; give the public key as printed by 'nix key convert-secret-to-public' (name:base64 of 32 bytes)`);
        }
    }
    return keys;
}
async function signingKey(get, mask) {
    const key = get("signing-key").trim();
    if (key === "")
        return { key: "", pub: "" };
    mask(key);
    mask(key.slice(key.indexOf(":") + 1));
    const parsed = parseNixKey(key, 64);
    if (typeof parsed === "string") {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("signing-key")}: ${parsed}; pass the secret key file made by 'nix key generate-secret' (or nix-store --generate-binary-cache-key), usually from a secret`);
    }
    const pub = await publicKeyOf(parsed);
    if (pub === undefined) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("signing-key")}: the key "${parsed.name}" is damaged (its public half does not match its seed); generate it again with 'nix key generate-secret'`);
    }
    return { key, pub };
}
function pushUrl(get) {
    const text = get("push-to").trim();
    if (text === "")
        return undefined;
    return (0,push_target/* pushTarget */.El)(text, parseStoreUrl("push-to", text, push_target/* PUSH_SCHEMES */.A2));
}
function skipUpstreamInput(get) {
    const parsed = parseSkipUpstream(get("skip-upstream"));
    if (typeof parsed === "string")
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("skip-upstream")}: ${parsed}`);
    return parsed;
}
function regex(get, name) {
    const text = get(name).trim();
    if (text === "")
        return "";
    try {
        new RegExp(text);
    }
    catch (e) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu(name)}: "${text}" is not a valid regular expression (${e.message}); escape special characters like \\. or \\+`);
    }
    return text;
}
function confLines(get, name) {
    const text = get(name);
    const lines = text.split("\n");
    lines.forEach((raw, i) => {
        const line = raw.trim();
        if (line === "" || line.startsWith("#"))
            return;
        if (!/^(include|!include)\s+\S/.test(line) && !/^[A-Za-z0-9_-]+\s*=/.test(line)) {
            throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu(name)}: line ${i + 1} ("${line}") is not a nix.conf line; write "setting = value", one per line`);
        }
    });
    return text.trim();
}
function tokens(get, mask) {
    const text = get("access-tokens").trim();
    if (text === "")
        return "";
    mask(text);
    for (const t of words(text)) {
        mask(t);
        if (t.includes("="))
            mask(t.slice(t.indexOf("=") + 1));
        if (!/^[^=\s]+=\S+$/.test(t)) {
            throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("access-tokens")}: each entry must be host=token (e.g. github.com=ghp_…), separated by spaces; one entry is not`);
        }
    }
    return words(text).join(" ");
}
function netrcText(get, mask) {
    const text = get("netrc");
    if (text.trim() === "")
        return "";
    mask(text.trim());
    // the values after `password` and `account`, not every word: masking "machine" would blank logs
    const w = words(text);
    w.forEach((word, i) => {
        if ((word === "password" || word === "account") && w[i + 1])
            mask(w[i + 1]);
    });
    if (!/\b(machine|default)\b/.test(text)) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("netrc")}: the text has no "machine" or "default" entry; write "machine cache.example.org login USER password TOKEN"`);
    }
    return text.trim() + "\n";
}
function installerUrlInput(get) {
    const text = get("installer-url").trim();
    if (text === "")
        return "";
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("installer-url")}: "${text}" is not a URL; give the full https:// address of the installer binary on your mirror`);
    }
    if (!["http:", "https:", "file:"].includes(url.protocol)) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("installer-url")}: "${text}" must be an http://, https:// or file:// URL`);
    }
    return text;
}
function sha256(get) {
    const text = get("installer-sha256").trim().toLowerCase();
    if (text === "")
        return "";
    if (!/^[0-9a-f]{64}$/.test(text)) {
        throw new src_errors/* InputError */.d(`${step_io/* inputName */.yu("installer-sha256")}: expected 64 hex characters (the output of sha256sum), got "${text}"`);
    }
    return text;
}

// EXTERNAL MODULE: ./src/job-dir.ts
var job_dir = __webpack_require__(4374);
;// CONCATENATED MODULE: ./src/gitlab-io.ts





/*
 * The GitLab flavour of the step's I/O (src/step-io.ts), for the CLI. GitLab has no protocol for a
 * step to talk back to the runner, so:
 * - inputs are CI/CD variables, NIX_RUNNER_<INPUT> (inputVariable), taken out of the environment when
 *   the CLI starts, so that no command it runs inherits them (the signing key least of all);
 * - what later lines of the job need (exported variables, PATH, the outputs) is printed by `setup`
 *   as shell lines the job evaluates (shellLines), with `unset` of the secret variables;
 * - outputs also go to a dotenv file (`artifacts:reports:dotenv`), the push summary to a Markdown file;
 * - setup's state, and what it exported, go to a file in the job's folder for `push`, which runs in
 *   after_script's new shell without the exports;
 * - log lines go to stderr (stdout is setup's shell lines), groups are GitLab's collapsible sections,
 *   and no `::command::` is ever written. GitLab masks masked variables itself; secrets the CLI is
 *   told of besides (setSecret) are replaced in its own lines too.
 */
/** The variable that holds input `name`: NIX_RUNNER_ and the name in capitals, `-` as `_` (push-to → NIX_RUNNER_PUSH_TO). */
function inputVariable(name) {
    return `NIX_RUNNER_${name.toUpperCase().replace(/-/g, "_")}`;
}
/** The variable that holds output `name` in the dotenv file and in the job's shell: NIX_RUNNER_OUTPUT_<NAME>. */
function outputVariable(name) {
    return `NIX_RUNNER_OUTPUT_${name.toUpperCase().replace(/-/g, "_")}`;
}
/**
 * GitLab's job folder, named by the job's id: in RUNNER_TEMP_PROJECT_DIR (the runner's temp folder
 * for the project, where it writes File variables too), else in CI_BUILDS_DIR, which every job of the
 * runner shares (gitlab-ci-local sets no RUNNER_TEMP_PROJECT_DIR), else in the system's temp dir. The
 * id keeps two jobs of a project apart where they share the folder. `push` removes it at the end of
 * the job, as an Actions runner empties its temp dir.
 */
function gitlabJobDir(env) {
    const name = `nix-runner-action-${env.CI_JOB_ID || "job"}`;
    return external_node_path_default().join(env.RUNNER_TEMP_PROJECT_DIR || env.CI_BUILDS_DIR || external_node_os_default().tmpdir(), name);
}
/** Removes every input variable from `env` (the CLI's process.env) and returns them. */
function takeInputs(env) {
    const taken = {};
    for (const name of INPUT_NAMES) {
        const v = inputVariable(name);
        if (env[v] !== undefined)
            taken[v] = env[v];
        delete env[v];
    }
    return taken;
}
/** Single-quoted for sh and bash: safe for any text, newlines included. */
function shellQuote(s) {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
class GitlabIo {
    o;
    exports = new Map();
    paths = [];
    outputs = new Map();
    secrets = new Set();
    sections = [];
    sectionCount = 0;
    saved = { state: {}, env: {}, path: [] };
    warnedFileKey = false;
    constructor(o) {
        this.o = o;
    }
    getInput(name) {
        const variable = inputVariable(name);
        const value = (this.o.inputs[variable] ?? "").trim();
        if (!SECRET_INPUTS.includes(name))
            return value;
        return this.fromFileVariable(name, variable, value);
    }
    /**
     * A File-type variable holds the path of a file that GitLab wrote the value to: a secret given so is
     * read from there. The signing key then is on disk, readable by the whole job: said once.
     */
    fromFileVariable(name, variable, value) {
        if (!value.startsWith("/") || value.includes("\n"))
            return value;
        let text;
        try {
            if (!(0,external_node_fs_.statSync)(value).isFile())
                return value;
            text = (0,external_node_fs_.readFileSync)(value, "utf8").trim();
        }
        catch {
            return value;
        }
        if (name === "signing-key" && !this.warnedFileKey) {
            this.warnedFileKey = true;
            this.warning(`${variable} is a File-type variable: GitLab wrote the signing key to ${value}, readable by every process of the job for as long as it runs, ` +
                `and the key is read from there. Make ${variable} a masked variable of type "Variable" instead (Settings → CI/CD → Variables), ` +
                `so that the key is never on disk: setup hands it to the background pusher through a pipe and unsets it for the job's later lines.`);
        }
        return text;
    }
    inputName(name) {
        return inputVariable(name);
    }
    stepName(step) {
        return step === "main" ? "nix-runner-action setup" : "nix-runner-action push";
    }
    setOutput(name, value) {
        this.outputs.set(outputVariable(name), value.replace(/\r?\n/g, " "));
        if (this.o.dotenvFile === undefined)
            return;
        const lines = [...this.outputs].map(([k, v]) => `${k}=${v}\n`).join("");
        (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(this.o.dotenvFile), { recursive: true });
        (0,external_node_fs_.writeFileSync)(this.o.dotenvFile, lines);
    }
    exportVariable(name, value) {
        if (!NAME.test(name))
            throw new Error(`cannot export "${name}": not a shell variable name`);
        process.env[name] = value;
        this.exports.set(name, value);
        this.saved.env[name] = value;
        this.persist();
    }
    addPath(dir) {
        process.env.PATH = `${dir}${(external_node_path_default()).delimiter}${process.env.PATH ?? ""}`;
        this.paths.push(dir);
        this.saved.path.push(dir);
        this.persist();
    }
    saveState(name, value) {
        this.saved.state[name] = value;
        this.persist();
    }
    getState(name) {
        return this.saved.state[name] ?? "";
    }
    setSecret(secret) {
        if (secret.length >= 4)
            this.secrets.add(secret);
    }
    info(message) {
        this.log(`${message}\n`);
    }
    warning(message) {
        this.log(`WARNING: ${message}\n`);
    }
    error(message) {
        this.log(`ERROR: ${message}\n`);
    }
    raw(text) {
        this.log(text);
    }
    /** GitLab's collapsible log section (its own escape sequence, not an Actions command). */
    startGroup(name) {
        const id = `nix_runner_${++this.sectionCount}_${name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;
        this.sections.push(id);
        this.log(`\x1b[0Ksection_start:${unixNow()}:${id}[collapsed=true]\r\x1b[0K${name}\n`);
    }
    endGroup() {
        const id = this.sections.pop();
        // on a line of its own, as GitLab's docs echo it: what follows on the same line is not shown
        if (id)
            this.log(`\x1b[0Ksection_end:${unixNow()}:${id}\r\x1b[0K\n`);
    }
    appendSummary(markdown) {
        (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(this.o.summaryFile), { recursive: true });
        (0,external_node_fs_.appendFileSync)(this.o.summaryFile, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
        return true;
    }
    appendSummaryTable(title, rows) {
        return this.appendSummary(markdownTable(title, rows));
    }
    jobDir(env) {
        return gitlabJobDir(env);
    }
    /**
     * What `setup` prints for the job to evaluate: an export of each variable it set, PATH with the
     * folders it added, the outputs, and the unset of every secret input's variable, so that no
     * process the job starts later inherits them.
     */
    shellLines() {
        const lines = [...this.exports, ...this.outputs].map(([k, v]) => `export ${k}=${shellQuote(v)}`);
        for (const dir of this.paths)
            lines.push(`export PATH=${shellQuote(dir)}:"$PATH"`);
        lines.push(`unset ${SECRET_INPUTS.map(inputVariable).join(" ")}`);
        return lines.map((l) => `${l}\n`).join("");
    }
    /**
     * For `push`: reads what setup saved, and gives this process the variables and PATH setup exported
     * (after_script's shell has lost them). False when setup saved nothing (it never ran, or failed early).
     */
    loadSaved() {
        let text;
        try {
            text = (0,external_node_fs_.readFileSync)((0,job_dir/* jobFiles */.DE)(this.o.jobDir).cliState, "utf8");
        }
        catch {
            return false;
        }
        try {
            const s = JSON.parse(text);
            this.saved = { state: s.state ?? {}, env: s.env ?? {}, path: s.path ?? [] };
        }
        catch {
            return false;
        }
        for (const [k, v] of Object.entries(this.saved.env))
            process.env[k] = v;
        for (const dir of this.saved.path)
            process.env.PATH = `${dir}${(external_node_path_default()).delimiter}${process.env.PATH ?? ""}`;
        return true;
    }
    persist() {
        (0,external_node_fs_.mkdirSync)(this.o.jobDir, { recursive: true, mode: 0o700 });
        (0,external_node_fs_.writeFileSync)((0,job_dir/* jobFiles */.DE)(this.o.jobDir).cliState, JSON.stringify(this.saved), { mode: 0o600 });
    }
    log(text) {
        let out = text;
        for (const s of this.secrets)
            out = out.split(s).join("[MASKED]");
        this.o.write(out);
    }
}
const unixNow = () => Math.floor(Date.now() / 1000);
/** A Markdown heading and table; `|` and line breaks in cells escaped. */
function markdownTable(title, rows) {
    const cell = (s) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
    const [head, ...body] = rows;
    if (!head)
        return `### ${title}\n`;
    const line = (r) => `| ${r.map((c) => cell(c.data)).join(" | ")} |`;
    return [`### ${title}`, "", line(head), `|${head.map(() => "---").join("|")}|`, ...body.map(line), ""].join("\n");
}

;// CONCATENATED MODULE: ./src/platform.ts
/**
 * GITLAB_CI (GitLab's runner sets it in every job; only the CLI runs there), then FORGEJO_ACTIONS,
 * GITEA_ACTIONS and ACT. Gitea's and Forgejo's runners set ACT=true in every job, host mode included,
 * so ACT only means "act itself" when neither forge variable is set, and it never says anything about
 * containers.
 */
function detectPlatform(env) {
    if (isTrue(env.GITLAB_CI))
        return "gitlab";
    if (isTrue(env.FORGEJO_ACTIONS))
        return "forgejo";
    if (isTrue(env.GITEA_ACTIONS))
        return "gitea";
    if (isTrue(env.ACT))
        return "act";
    return "github";
}
function isTrue(v) {
    return v !== undefined && v !== "" && v !== "false" && v !== "0";
}

// EXTERNAL MODULE: ./src/push/limits.ts
var push_limits = __webpack_require__(218);
;// CONCATENATED MODULE: ./src/unhandled.ts

/** Installs the entry's one `unhandledRejection` handler; `name` starts its message. */
function reportUnhandledRejections(name, policy) {
    process.on("unhandledRejection", (reason) => {
        const line = `${name}: unhandled rejection: ${String(reason)}`;
        if (policy === "fail")
            step_io/* setFailed */.C1(line);
        else if (policy === "warn")
            step_io/* warning */.$e(line);
        else
            console.error(line);
    });
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/exec.ts
var exec = __webpack_require__(3190);
;// CONCATENATED MODULE: ./src/nix/conf-files.ts



/** Setting names (and the old aliases Nix still accepts) of the lists the action reads. */
const NAMES = {
    substituters: "substituters",
    "binary-caches": "substituters",
    "trusted-public-keys": "trustedPublicKeys",
    "binary-cache-public-keys": "trustedPublicKeys",
    "trusted-substituters": "trustedSubstituters",
    "trusted-binary-caches": "trustedSubstituters",
    "trusted-users": "trustedUsers",
};
/** Nix's built-in values, used until a file sets them. */
const NIX_DEFAULTS = Object.freeze({
    substituters: ["https://cache.nixos.org/"],
    trustedPublicKeys: ["cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY="],
    trustedSubstituters: [],
    trustedUsers: ["root"],
});
/**
 * Whether the nix at `realPath` reads /etc/nix (or NIX_CONF_DIR): Nix from the store and
 * distributions' packages do; one built by hand may have been configured with another sysconfdir,
 * so for it the action asks `nix show-config` instead of reading files.
 */
function readsEtcNix(realPath) {
    return /^(\/nix\/store|\/usr\/bin|\/bin)\//.test(realPath);
}
/** The machine's nix.conf: what a nix-daemon reads (and only it), and the first file a client reads. */
function systemConfFile(env) {
    return external_node_path_default().join(env.NIX_CONF_DIR || "/etc/nix", "nix.conf");
}
/**
 * The user's files in the order Nix applies them (the last one wins): NIX_USER_CONF_FILES, else
 * XDG_CONFIG_HOME then XDG_CONFIG_DIRS. Set-but-empty variables count as set, as they do for Nix.
 */
function userConfFiles(env) {
    let files;
    if (env.NIX_USER_CONF_FILES !== undefined) {
        files = env.NIX_USER_CONF_FILES.split(":").filter(Boolean);
    }
    else {
        const home = env.XDG_CONFIG_HOME ?? `${env.HOME || external_node_os_default().homedir()}/.config`;
        const dirs = (env.XDG_CONFIG_DIRS ?? "/etc/xdg").split(":").filter(Boolean);
        files = [home, ...dirs].map((d) => `${d}/nix/nix.conf`);
    }
    return files.reverse();
}
class Unsure extends Error {
}
/** The `name = value` pairs of `text`, includes expanded in place, as Nix collects them before applying. */
async function assignments(text, origin, depth) {
    if (depth > 16)
        throw new Unsure(`includes nested too deep at ${origin}`);
    const out = [];
    for (const raw of text.split("\n")) {
        const hash = raw.indexOf("#");
        const tokens = (hash === -1 ? raw : raw.slice(0, hash)).split(/[ \t\r]+/).filter(Boolean);
        if (tokens.length === 0)
            continue;
        if (tokens[0] === "include" || tokens[0] === "!include") {
            if (tokens.length !== 2)
                throw new Unsure(`illegal line in ${origin}`);
            // Nix resolves against the including file's folder; NIX_CONFIG has none, and Nix 2.8 rejects it
            if (!external_node_path_default().isAbsolute(tokens[1]) && !external_node_path_default().isAbsolute(origin))
                throw new Unsure(`relative include in ${origin}`);
            const file = external_node_path_default().resolve(external_node_path_default().dirname(origin), tokens[1]);
            const included = await readConf(file);
            if (included === undefined) {
                if (tokens[0] === "include")
                    throw new Unsure(`${file} included from ${origin} is missing`);
                continue;
            }
            out.push(...(await assignments(included, file, depth + 1)));
            continue;
        }
        if (tokens.length < 2 || tokens[1] !== "=")
            throw new Unsure(`illegal line in ${origin}`);
        out.push([tokens[0], tokens.slice(2).join(" ")]);
    }
    return out;
}
/** The file's text; undefined when it does not exist. Any other failure is not ours to judge. */
async function readConf(file) {
    try {
        return await (0,promises_.readFile)(file, "utf8");
    }
    catch (e) {
        const code = e.code;
        if (code === "ENOENT" || code === "ENOTDIR")
            return undefined;
        throw new Unsure(`cannot read ${file}: ${code}`);
    }
}
function apply(config, pairs) {
    for (const [name, value] of pairs) {
        const extra = name.startsWith("extra-");
        const key = NAMES[extra ? name.slice("extra-".length) : name];
        if (!key)
            continue;
        const items = value.split(" ").filter(Boolean);
        config[key] = extra ? [...config[key], ...items] : items;
    }
}
/**
 * The settings in effect for a Nix client started with `env`, or with `systemOnly` those a nix-daemon
 * reads (its nix.conf, no user files, no NIX_CONFIG). undefined: ask `nix show-config`.
 */
async function readConfFiles(env, opts = {}) {
    // Built-in values differ between Nix versions for a store outside /nix/store.
    if (env.NIX_STORE_DIR || env.NIX_STORE)
        return undefined;
    const config = { ...NIX_DEFAULTS };
    const files = [systemConfFile(env), ...(opts.systemOnly ? [] : userConfFiles(env))];
    try {
        const texts = await Promise.all(files.map(readConf));
        for (const [i, text] of texts.entries())
            if (text !== undefined)
                apply(config, await assignments(text, files[i], 0));
        if (!opts.systemOnly && env.NIX_CONFIG !== undefined)
            apply(config, await assignments(env.NIX_CONFIG, "NIX_CONFIG", 0));
    }
    catch (e) {
        if (e instanceof Unsure)
            return undefined;
        throw e;
    }
    return config;
}

// EXTERNAL MODULE: ./src/nix/answer.ts
var answer = __webpack_require__(913);
// EXTERNAL MODULE: ./src/nix/version.ts + 1 modules
var nix_version = __webpack_require__(2980);
;// CONCATENATED MODULE: ./src/nix/config.ts


/**
 * The spellings of the command that prints the settings in effect, the one this Nix should know
 * first: Nix 2.20 and Lix 2.90 renamed `nix show-config` to `nix config show` (the old name is an
 * alias that warns since); older and unknown versions get the old name, which every version up to
 * 2.34 still answers. The other is what to try when Nix refuses the first (nix/spelling.ts).
 */
async function configShowArgs(nix) {
    const both = [["config", "show"], ["show-config"]];
    return (await (0,nix_version/* supports */.xY)(nix, "configShow")) ? both : both.reverse();
}
/** `nix store info` since Nix 2.20, `nix store ping` before (an alias that warns since) and in Lix, as for configShowArgs. */
async function storeInfoArgs(nix) {
    const both = [["store", "info"], ["store", "ping"]];
    return (await (0,nix_version/* supports */.xY)(nix, "storeInfo")) ? both : both.reverse();
}
/** A store URL without trailing slashes, as Nix compares substituters. */
const normalizeUrl = (url) => url.replace(/\/+$/, "");
/**
 * Parses `nix show-config` text (`name = value` lines). The text form, not --json: Nix 2.8's JSON
 * gives experimental-features as enum numbers, the text gives names in every version.
 */
function parseShowConfig(text) {
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
const READ = ["substituters", "trusted-public-keys", "trusted-substituters", "trusted-users"];
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
        throw new answer/* UnknownAnswer */.by(`not JSON (${(0,answer/* excerpt */.Kb)(stdout) || "empty"})`);
    }
    const t = data?.trusted;
    if (t === true || t === 1)
        return true;
    if (t === false || t === 0)
        return false;
    throw new answer/* UnknownAnswer */.by(`"trusted" is ${t === undefined ? "missing" : (0,answer/* excerpt */.Kb)(JSON.stringify(t))} (${(0,answer/* excerpt */.Kb)(stdout)})`);
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

// EXTERNAL MODULE: ./src/nix/locate.ts
var locate = __webpack_require__(6545);
;// CONCATENATED MODULE: ./src/nix/trust.ts

/** Decides whether the daemon will honour privileged settings from this user. */
function decideTrust(f, base) {
    if (!f.viaDaemon)
        return { trusted: true, how: "the store is opened directly, no daemon in between" };
    if (f.daemonSays !== undefined)
        return { trusted: f.daemonSays, how: "reported by the daemon (nix store ping)" };
    if (!f.sameConfigAsDaemon)
        return { trusted: "unknown", how: "the daemon's nix.conf is not visible from this container" };
    const matches = base.trustedUsers.some((entry) => entry === "*" || entry === f.user || (entry.startsWith("@") && f.groups.includes(entry.slice(1))));
    return { trusted: matches, how: `trusted-users = ${base.trustedUsers.join(" ")}` };
}
/**
 * Settings the daemon takes from any client (all others only from a trusted one). Each is checked
 * against a real daemon on Nix 2.8, 2.26 and 2.34 (test/nix/trust.integration.test.ts: an untrusted
 * client sets it, the test observes whether it took effect): the four the daemon's own allow-list
 * names, and those the protocol carries in fields of their own, which the daemon applies for
 * everyone (max-jobs, cores, keep-failed, keep-going, fallback, substitute).
 */
const UNTRUSTED_OK = new Set([
    "build-timeout",
    "max-silent-time",
    "poll-interval",
    "connect-timeout",
    "max-jobs",
    "cores",
    "keep-failed",
    "keep-going",
    "fallback",
    "substitute",
]);
/** Settings the client applies itself, so the daemon's trust does not matter for them. */
const CLIENT_SIDE = new Set([
    "experimental-features",
    "extra-experimental-features",
    "access-tokens",
    "accept-flake-config",
    "flake-registry",
    "warn-dirty",
    "show-trace",
    "eval-cache",
    "allow-import-from-derivation",
    "pure-eval",
    "restrict-eval",
    "allowed-uris",
    "max-call-depth",
    "tarball-ttl",
]);
/**
 * What an untrusted client's settings lose at the daemon, each with the nix.conf line the host's
 * admin must add. Substituters listed in trusted-substituters are allowed for anyone.
 */
function ignoredByDaemon(req, base, user) {
    const out = [];
    const allowed = new Set([...base.trustedSubstituters, ...base.substituters].map(normalizeUrl));
    const subs = req.substituters.filter((s) => !allowed.has(normalizeUrl(s)));
    if (subs.length)
        out.push({ setting: `substituters ${subs.join(" ")}`, fix: `extra-trusted-substituters = ${subs.join(" ")}` });
    const keys = req.trustedPublicKeys.filter((k) => !base.trustedPublicKeys.includes(k));
    if (keys.length)
        out.push({ setting: `trusted-public-keys ${keys.map((k) => k.split(":")[0]).join(" ")}`, fix: `extra-trusted-public-keys = ${keys.join(" ")}` });
    if (req.netrc)
        out.push({ setting: "netrc-file", fix: `trusted-users = ${user} (or put the netrc in the daemon's netrc-file)` });
    if (req.hook)
        out.push({ setting: "post-build-hook", fix: `trusted-users = ${user}` });
    for (const raw of req.extraConf.split("\n")) {
        const name = raw.trim().match(/^([A-Za-z0-9_-]+)\s*=/)?.[1];
        if (!name || UNTRUSTED_OK.has(name) || CLIENT_SIDE.has(name))
            continue;
        out.push({ setting: `extra-conf ${name}`, fix: `trusted-users = ${user}` });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/nix/spelling.ts



/**
 * Nix's words for a command or flag it does not know (upstream and Lix alike): "'info' is not a
 * recognised command", "unrecognised flag '--json-format'"; undefined for any other answer.
 */
function refusedAsUnknown(stderr) {
    return stderr.match(/error: ('[^'\n]*' is not a recognised command|unrecognised flag '[^'\n]*')/)?.[1];
}
/**
 * Runs the command in its first spelling and, when Nix refuses it as unknown, in the next, with a
 * warning: the version said which one this Nix has, and a fork or a build that lacks it makes the
 * action degrade, never fail. Returns the last answer and the spelling that gave it.
 */
async function runSpellings(cmd, opts = {}) {
    const shown = (s) => `nix ${s.join(" ")}`;
    for (const [i, spelling] of cmd.spellings.entries()) {
        const result = await (0,exec/* run */.eF)(cmd.nix, [...cmd.before, ...spelling, ...cmd.after], opts);
        const refusal = result.code === 0 ? undefined : refusedAsUnknown(result.stderr);
        const next = cmd.spellings[i + 1];
        // only a refusal of this spelling's own words: a flag of the rest fails every spelling alike
        const ofSpelling = refusal !== undefined && spelling.some((w) => refusal.includes(`'${w}'`));
        if (!ofSpelling || !next)
            return { result, spelling };
        step_io/* warning */.$e(`${(0,nix_version/* describeNix */.Tg)(cmd.version)} refused '${shown(spelling)}' (${refusal}); the action asks '${shown(next)}' instead`);
    }
    throw new Error("runSpellings: no spelling to run");
}

// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
// EXTERNAL MODULE: ./src/nix/features.ts
var features = __webpack_require__(9560);
;// CONCATENATED MODULE: ./src/configure/configure.ts














/** What is in effect before this job's settings, and whether the daemon (if any) trusts this user. */
async function readConfig(inputs, facts, envr) {
    // read after an install, so that it is the installed Nix's view
    const filesKnown = facts.nixPath !== undefined && readsEtcNix((0,locate/* realPathOf */.dN)(facts.nixPath));
    const baseEnv = baseConfigEnv();
    const [base, groups, daemonSays, daemonOwn] = await Promise.all([
        baseConfig(baseEnv, { filesKnown, version: facts.nixVersion }),
        facts.viaDaemon ? groupsOf(facts.user) : Promise.resolve([]),
        facts.viaDaemon ? daemonTrust(facts, baseEnv) : Promise.resolve(undefined),
        facts.viaDaemon ? daemonConfig(filesKnown, facts.nixVersion) : Promise.resolve(undefined),
    ]);
    const daemonView = daemonOwn ?? base;
    // A daemon the action installed in this container reads this container's nix.conf.
    const sameConfigAsDaemon = envr.kind === "installed" || facts.daemonSharesConfig;
    const trust = decideTrust({ viaDaemon: facts.viaDaemon, uid: facts.uid, user: facts.user, groups, sameConfigAsDaemon, daemonSays }, daemonView);
    if (inputs.signingKey && !inputs.trustedPublicKeys.includes(inputs.signingPublicKey) && !base.trustedPublicKeys.includes(inputs.signingPublicKey)) {
        step_io/* warning */.$e(`${step_io/* inputName */.yu("signing-key")}: its public key ${inputs.signingPublicKey} is not among the trusted keys in effect; ` +
            `jobs reading the cache will refuse what is pushed unless they trust it: add it to ${step_io/* inputName */.yu("trusted-public-keys")}`);
    }
    return { base, daemonView, trust, sameConfigAsDaemon };
}
/**
 * Writes this job's nix.conf (0600, in the job's folder) with the inputs and the push's hook, says
 * once what the daemon will ignore, and points later steps at it through NIX_CONFIG.
 */
async function writeJobConfig(inputs, facts, view, hook) {
    const dir = (0,job_dir/* jobDir */.jy)();
    const { confPath, withOurs } = confFiles();
    await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
    const secretFiles = [];
    const netrcFile = inputs.netrc ? await writeNetrc(inputs.netrc, dir, secretFiles) : undefined;
    warnWhatTheDaemonIgnores(inputs, facts, view, netrcFile, hook);
    const text = renderConf({
        substituters: inputs.substituters,
        trustedPublicKeys: inputs.trustedPublicKeys,
        extraConf: inputs.extraConf,
        accessTokens: inputs.accessTokens,
        netrcFile,
        postBuildHook: hook,
    }, view.base);
    await (0,promises_.writeFile)(confPath, text, { mode: 0o600 });
    await (0,promises_.chmod)(confPath, 0o600);
    if (inputs.accessTokens)
        secretFiles.push(confPath);
    (0,state/* save */.UN)(state/* StateKey */.zv.SecretFiles, secretFiles);
    step_io/* exportVariable */.dN("NIX_CONFIG", withOurs);
    step_io/* info */.pq(text.replace(/^access-tokens = .*$/m, "access-tokens = ***"));
}
/** The netrc input as a file (0600) in the job's folder; post removes it. */
async function writeNetrc(netrc, dir, secretFiles) {
    const file = (0,job_dir/* jobFiles */.DE)(dir).netrc;
    await (0,promises_.writeFile)(file, netrc, { mode: 0o600 });
    await (0,promises_.chmod)(file, 0o600);
    secretFiles.push(file);
    // recorded at once, so a failure further on still leaves post a note to remove it
    (0,state/* save */.UN)(state/* StateKey */.zv.SecretFiles, secretFiles);
    return file;
}
/** Says once which of the job's settings a daemon that does not trust the user, or cannot read them, ignores. */
function warnWhatTheDaemonIgnores(inputs, facts, view, netrcFile, hook) {
    const { trust } = view;
    if (trust.trusted !== true) {
        const ours = { substituters: inputs.substituters, trustedPublicKeys: inputs.trustedPublicKeys, extraConf: inputs.extraConf, netrc: Boolean(netrcFile), hook: hook !== undefined };
        const ignored = ignoredByDaemon(ours, view.daemonView, facts.user);
        if (ignored.length > 0) {
            const verdict = trust.trusted === "unknown"
                ? `may not trust user "${facts.user}" (trust could not be determined: ${trust.how}); if it does not, it will ignore`
                : `does not trust user "${facts.user}", so it will ignore`;
            step_io/* warning */.$e(`The Nix daemon ${verdict}: ${ignored.map((i) => i.setting).join("; ")}. ` +
                `To honour them, the host admin adds to /etc/nix/nix.conf and restarts nix-daemon: ${[...new Set(ignored.map((i) => i.fix))].join(" | ")}`);
        }
    }
    if (netrcFile && facts.viaDaemon && !view.sameConfigAsDaemon) {
        step_io/* warning */.$e(`netrc: the Nix daemon runs outside this container and cannot read ${netrcFile}, so substitution from private caches ` +
            `will not use it; put the credentials in the daemon's own netrc-file on the host instead`);
    }
}
/**
 * Reads the settings in effect before ours, with our own file left out so a second run sees the same
 * base: from the files Nix reads, or from `nix show-config` when they hold anything the reader is not
 * sure of (and then Nix's own error, if it has one, is what the user sees), or when this nix may
 * not read /etc/nix (`filesKnown` false).
 */
async function baseConfig(env, opts) {
    const fromFiles = opts.filesKnown ? await readConfFiles(env, opts) : undefined;
    if (fromFiles)
        return fromFiles;
    const asked = { nix: "nix", before: features/* NIX_COMMAND */.g, spellings: await configShowArgs(opts.version), after: [], version: opts.version };
    const { result: r, spelling: cmd } = await runSpellings(asked, { env });
    if (r.code !== 0)
        throw new src_errors/* ActionError */.l(`could not read Nix's configuration ('nix ${cmd.join(" ")}' failed: ${r.stderr.trim()})`);
    const unclear = showConfigDoubt(r.stdout);
    if (unclear) {
        step_io/* warning */.$e((0,answer/* notUnderstood */.hf)(`nix ${cmd.join(" ")}`, opts.version, unclear, "the action goes on as if the settings it could not read were empty, so its trust decision and warnings about ignored settings may be wrong"));
    }
    return parseShowConfig(r.stdout);
}
/**
 * The settings the daemon itself reads: the machine's nix.conf only. The job's NIX_CONFIG and user
 * files reach the client, never the daemon, so a `trusted-users` line there proves nothing.
 */
async function daemonConfig(filesKnown, version) {
    const env = { ...process.env, NIX_USER_CONF_FILES: "" };
    delete env.NIX_CONFIG;
    return baseConfig(env, { systemOnly: true, filesKnown, version });
}
async function groupsOf(user) {
    const r = await (0,exec/* run */.eF)("id", ["-Gn", user]);
    return r.code === 0 ? r.stdout.trim().split(/\s+/) : [];
}
async function daemonTrust(facts, env) {
    // `nix store ping --json` reports "trusted" since Nix 2.15 and in Lix (1/0; true/false from 2.34
    // on, read alike below); older versions have no way to ask.
    if (!(await (0,nix_version/* supports */.xY)(facts.nixVersion, "storeTrusted")))
        return undefined;
    const store = env.NIX_REMOTE || "daemon";
    const asked = { nix: "nix", before: features/* NIX_COMMAND */.g, spellings: await storeInfoArgs(facts.nixVersion), after: ["--json", "--store", store], version: facts.nixVersion };
    const { result: r, spelling: cmd } = await runSpellings(asked, { env });
    if (r.code !== 0)
        return undefined;
    try {
        return parseStoreInfoTrusted(r.stdout);
    }
    catch (e) {
        if (!(e instanceof answer/* UnknownAnswer */.by))
            throw e;
        step_io/* warning */.$e((0,answer/* notUnderstood */.hf)(`nix ${cmd.join(" ")} --json`, facts.nixVersion, e.message, "trust is decided from the daemon's trusted-users instead, when this job can read them"));
        return undefined;
    }
}
/** Our conf file's path, and the job's NIX_CONFIG with and without our include of it. */
function confFiles() {
    const confPath = (0,job_dir/* jobFiles */.DE)().nixConf;
    return { confPath, ...nixConfigEnv(confPath, process.env) };
}
/** The environment to read the config in effect before ours: our own file left out. */
function baseConfigEnv() {
    return { ...process.env, NIX_CONFIG: confFiles().without };
}

// EXTERNAL MODULE: ./src/nix/store.ts
var nix_store = __webpack_require__(4366);
;// CONCATENATED MODULE: ./src/detect/classify.ts

/**
 * Can this user open the store directly, as Nix's local store does? Nix creates the store, its state
 * dir and its database when they are missing, so a store that was never used (no /nix/var/nix, no
 * db/, or no /nix at all, as right after `apt-get install nix-bin`) is writable when the directories
 * above can be written. Not writable: a read-only store (mounted read-only from the host), a store or
 * database owned by someone else (a daemon's), a missing one this user cannot create.
 */
function storeAccess(p) {
    const why = (d, what) => d.exists ? `${what} ${d.path} is read-only or belongs to another user` : `${what} ${d.path} does not exist and this user cannot create it`;
    // a missing db/ is usable exactly when the state dir is (Nix creates it there)
    if (p.db.exists && !p.db.usable)
        return { writable: false, why: why(p.db, "the store's database") };
    if (!p.state.usable)
        return { writable: false, why: why(p.state, "the store's state directory") };
    if (!p.store.usable)
        return { writable: false, why: why(p.store, "the Nix store") };
    return { writable: true };
}
/** Facts in, decision out. `mode` (the input) wins over detection, but cannot conjure a missing Nix. */
function classify(f, mode = "auto") {
    const base = { platform: f.platform, container: f.container, init: f.pid1Systemd ? "systemd" : "none" };
    switch (mode) {
        case "install":
            return { ...base, kind: "installed" };
        case "image":
        case "native":
            if (!f.nixPath) {
                throw new src_errors/* ActionError */.l(`mode is "${mode}" but there is no nix on PATH; use mode: install (or auto) to install Nix, or run the job in an image that has Nix`);
            }
            return { ...base, kind: mode };
        case "auto":
            if (!f.nixPath)
                return { ...base, kind: "installed" };
            // A daemon socket on a host (not in a container) means a shared, persistent store even for root.
            return { ...base, kind: f.viaDaemon || (f.daemonSocket && !f.container) ? "native" : "image" };
    }
}

// EXTERNAL MODULE: ./src/nix/daemon.ts
var daemon = __webpack_require__(7883);
;// CONCATENATED MODULE: ./src/detect/facts.ts









// Detection's I/O half: cheap probes (a stat, a read of /proc, one short command) gathered into Facts.
/**
 * Where an installed Nix lives when a runner's service PATH leaves it out (a host runner started by
 * systemd, a NixOS host): the default profile, the user's profile, NixOS's system profile.
 */
function nixLocations(env) {
    const home = env.HOME || external_node_os_default().homedir();
    return ["/nix/var/nix/profiles/default/bin", external_node_path_default().join(home, ".nix-profile/bin"), "/run/current-system/sw/bin"];
}
/** The first of nixLocations() that holds an executable nix, or undefined. */
async function findNixOffPath(env = process.env) {
    for (const dir of nixLocations(env)) {
        if ((0,locate/* which */.K7)("nix", { PATH: dir }))
            return dir;
    }
    return undefined;
}
async function exists(p) {
    try {
        await (0,promises_.stat)(p);
        return true;
    }
    catch {
        return false;
    }
}
async function accessible(p, mode) {
    try {
        await (0,promises_.access)(p, mode);
        return true;
    }
    catch {
        return false;
    }
}
/** A directory as Nix's createDirs would meet it: there and read-write, or creatable under its nearest existing parent. */
async function probeDir(p) {
    if (await exists(p))
        return { path: p, exists: true, usable: await accessible(p, promises_.constants.R_OK | promises_.constants.W_OK) };
    let parent = external_node_path_default().dirname(p);
    while (parent !== external_node_path_default().dirname(parent) && !(await exists(parent)))
        parent = external_node_path_default().dirname(parent);
    return { path: p, exists: false, usable: await accessible(parent, promises_.constants.W_OK | promises_.constants.X_OK) };
}
/** The store's directories where this job's Nix looks for them (NIX_STORE_DIR and NIX_STATE_DIR move them, as in Nix). */
async function probeStore(env) {
    const state = (0,nix_store/* stateDirOf */.If)(env);
    const [store, stateDir, db] = await Promise.all([
        probeDir((0,nix_store/* storeDirOf */.cz)(env)),
        probeDir(state),
        probeDir(external_node_path_default().join(state, "db")),
    ]);
    return { store, state: stateDir, db };
}
async function inContainer() {
    if ((await exists("/.dockerenv")) || (await exists("/run/.containerenv")))
        return true;
    try {
        const cgroup = await (0,promises_.readFile)("/proc/1/cgroup", "utf8");
        return /docker|containerd|kubepods|libpod|lxc/.test(cgroup);
    }
    catch {
        return false;
    }
}
async function nixDaemonVisible() {
    let pids;
    try {
        pids = (await (0,promises_.readdir)("/proc")).filter((p) => /^\d+$/.test(p));
    }
    catch {
        return false;
    }
    const comms = await Promise.all(pids.map((p) => (0,promises_.readFile)(`/proc/${p}/comm`, "utf8").catch(() => "")));
    return comms.some((c) => c.trim() === "nix-daemon");
}
async function pid1IsSystemd() {
    try {
        const comm = (await (0,promises_.readFile)("/proc/1/comm", "utf8")).trim();
        return comm === "systemd";
    }
    catch {
        return false;
    }
}
/** All probes at once: each is a stat, a read of /proc or one short command. */
async function probeFacts(env = process.env, opts = {}) {
    const uid = process.getuid?.() ?? -1;
    const socket = (0,daemon/* daemonSocketPath */.$Q)(env);
    const nix = opts.nix ?? (0,locate/* locateNix */.WH)(env);
    const nixPath = nix.path;
    const [socketFile, store, container, pid1Systemd] = await Promise.all([
        exists(socket),
        probeStore(env),
        inContainer(),
        pid1IsSystemd(),
    ]);
    const verdict = storeAccess(store);
    const storeWritable = verdict.writable;
    const [nixVersion, sudo, daemonSharesConfig, daemonSocket] = await Promise.all([
        // the one probe that may run nix; the others above and beside it do not wait for it
        nix.version,
        // asked only where Nix may be installed: a host runner's job with Nix has no use for sudo
        uid === 0 || (nixPath && !opts.installing) ? Promise.resolve(false) : sudoWorks(env),
        socketFile && container ? nixDaemonVisible() : Promise.resolve(!container),
        // present and answering: a daemon that died leaves its socket file behind
        socketFile ? (0,daemon/* socketAnswers */.Nv)(socket, 1000) : Promise.resolve(false),
    ]);
    const remote = env.NIX_REMOTE ?? "";
    const remoteDaemon = remote === "daemon" || remote.startsWith("unix://");
    const viaDaemon = remoteDaemon || (remote === "" && !storeWritable && daemonSocket);
    const needsDaemon = remoteDaemon || (remote === "" && !storeWritable);
    const daemonProblem = !nixPath || !needsDaemon || daemonSocket
        ? undefined
        : socketFile
            ? `the Nix daemon socket ${socket} exists but nothing answers on it: the daemon has stopped; start it (e.g. systemctl start nix-daemon) on the host`
            : `${verdict.writable ? "NIX_REMOTE names the daemon" : verdict.why}, and there is no daemon socket at ${socket}: ` +
                `start nix-daemon (in a container: mount the host's socket), or run the job as the store's owner with a writable store`;
    return {
        nixPath,
        nixVersion,
        daemonSocket,
        viaDaemon,
        storeWritable,
        // Nix's own choice for NIX_REMOTE unset: local when it can read and write its state dir, else the socket
        autoPicksDaemon: remote === "" && !(store.state.exists && store.state.usable) && socketFile,
        uid,
        user: userName(env, uid),
        sudo,
        pid1Systemd,
        container,
        daemonSharesConfig,
        platform: detectPlatform(env),
        ...(daemonProblem ? { daemonProblem } : {}),
    };
}
/** The passwd name of this uid (what trusted-users lists); USER can be stale after su or unset in a container. */
function userName(env, uid) {
    try {
        return external_node_os_default().userInfo().username;
    }
    catch {
        return env.USER || env.LOGNAME || (uid === 0 ? "root" : String(uid));
    }
}
async function sudoWorks(env) {
    if (!(0,locate/* which */.K7)("sudo", env))
        return false;
    const r = await (0,exec/* run */.eF)("sudo", ["-n", "true"], { env, timeoutMs: 5000 });
    return r.code === 0;
}

;// CONCATENATED MODULE: ./src/detect/detect.ts






/**
 * The main step's first phase: probe, use a Nix that is installed but off PATH, classify. Where
 * the job's Nix stays (not `installed`), it must reach a store and satisfy nix-version, or the step
 * fails here, before anything is written.
 */
async function detect(inputs, nix) {
    let facts = await step_io/* group */.Os("Detect", async () => {
        const f = await probeFacts(process.env, { installing: inputs.mode === "install", nix });
        step_io/* info */.pq(JSON.stringify({ ...f }, null, 2));
        return f;
    });
    if (!facts.nixPath && inputs.mode !== "install") {
        // A Nix that is there but off PATH is still the host's or image's Nix, never one to install over.
        const dir = await findNixOffPath();
        if (dir) {
            step_io/* info */.pq(`nix is not on PATH but is installed in ${dir}: adding it to PATH for this job`);
            step_io/* addPath */.fM(dir);
            facts = await probeFacts();
        }
    }
    const envr = classify(facts, inputs.mode);
    if (envr.kind === "installed")
        return { facts, envr };
    if (facts.daemonProblem)
        throw new src_errors/* ActionError */.l(`Nix cannot reach its store: ${facts.daemonProblem}`);
    // checked before anything below writes for the job (env file, the state dir)
    await checkVersion(inputs, facts);
    if (facts.viaDaemon && !facts.autoPicksDaemon && !process.env.NIX_REMOTE) {
        // Nix would open the store directly (its state dir is writable) and fail on the read-only store or database.
        step_io/* info */.pq("The store cannot be written from this job but a daemon answers: NIX_REMOTE=daemon for this job's steps");
        step_io/* exportVariable */.dN("NIX_REMOTE", "daemon");
    }
    // a never-used store this user may create: made now, or Nix 2.26+ would use a chroot store instead
    if (envr.kind === "image" && !facts.viaDaemon && facts.uid !== 0 && facts.storeWritable) {
        const made = await (0,nix_store/* createStateDir */.xC)(process.env);
        if (made)
            step_io/* info */.pq(`created ${made}: the store is this user's, and Nix 2.26 on would otherwise use a chroot store in ~/.local/share/nix/root`);
    }
    return { facts, envr };
}
async function checkVersion(inputs, facts) {
    if (!inputs.nixVersion)
        return;
    const nix = facts.nixVersion;
    if (!(await (0,nix_version/* satisfiesRange */.jY)(nix, inputs.nixVersion))) {
        // a fork is checked as the upstream release it has the features of
        const as = nix?.implementation === "lix" ? `, checked as Nix ${nix.upstream}` : "";
        throw new src_errors/* ActionError */.l(`${step_io/* inputName */.yu("nix-version")}: this job's Nix is ${(0,nix_version/* describeNix */.Tg)(nix).replace(/^Nix /, "")}${as}, which does not satisfy "${inputs.nixVersion}"; ` +
            `the action never replaces a Nix it did not install: use an image or host with a matching Nix, or widen ${step_io/* inputName */.yu("nix-version")}`);
    }
}

;// CONCATENATED MODULE: ./src/nix/flake-lock.ts


/** Follows an input reference: a node name, or a follows path starting at the root node. */
function resolve(lock, ref, depth = 0) {
    const nodes = lock.nodes ?? {};
    if (typeof ref === "string")
        return nodes[ref];
    if (depth > 32)
        return undefined; // a cyclic follows chain: give up rather than loop
    let node = nodes[lock.root ?? "root"];
    for (const name of ref) {
        const next = node?.inputs?.[name];
        if (next === undefined)
            return undefined;
        node = resolve(lock, next, depth + 1);
    }
    return node;
}
/** YYYYMMDD (UTC) of root → inputs.<input> → locked.lastModified, or "" when there is none. */
function nixpkgsDate(lockText, input = "nixpkgs") {
    let lock;
    try {
        lock = JSON.parse(lockText);
    }
    catch {
        return "";
    }
    const root = lock.nodes?.[lock.root ?? "root"];
    const ref = root?.inputs?.[input];
    if (ref === undefined)
        return "";
    const seconds = resolve(lock, ref)?.locked?.lastModified;
    if (typeof seconds !== "number" || !Number.isFinite(seconds))
        return "";
    return new Date(seconds * 1000).toISOString().slice(0, 10).replaceAll("-", "");
}
/** nixpkgsDate of `workspace`/flake.lock; "" when there is no such file. */
async function readNixpkgsDate(workspace, input = "nixpkgs") {
    try {
        return nixpkgsDate(await (0,promises_.readFile)(external_node_path_default().join(workspace, "flake.lock"), "utf8"), input);
    }
    catch {
        return "";
    }
}

;// CONCATENATED MODULE: ./src/steps/main-step.ts







/** The main step. `nix`: the nix on PATH and its version, when the entry has already started looking. */
async function runMain(nix) {
    try {
        await main(nix);
    }
    catch (err) {
        step_io/* setFailed */.C1(err instanceof src_errors/* ActionError */.l
            ? err.message
            : `nix-runner-action failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
}
async function main(nix) {
    const inputs = await readInputs();
    const { facts: found, envr } = await detect(inputs, nix);
    const installed = envr.kind === "installed";
    const facts = installed ? await step_io/* group */.Os("Install Nix", () => install(inputs, found, envr)) : found;
    // before anything of the job's is written: push-to's settings as this Nix takes them
    if (inputs.pushTo)
        await checkPushTo(inputs.pushTo, facts.nixVersion);
    const trust = await step_io/* group */.Os("Configure", async () => {
        const view = await readConfig(inputs, facts, envr);
        const push = await preparePush(inputs, facts, view.trust);
        await writeJobConfig(inputs, facts, view, push.hook);
        if (push.queueFile && push.storeDir && inputs.pushDuringBuild)
            await startPusher(inputs, envr, push.queueFile, push.storeDir);
        return view.trust;
    });
    const nixpkgsDate = await readNixpkgsDate(process.env.GITHUB_WORKSPACE || process.cwd());
    const outputs = {
        environment: envr.kind,
        platform: envr.platform,
        "nix-version": facts.nixVersion?.version ?? "",
        "nix-implementation": facts.nixVersion?.implementation ?? "",
        installed: String(installed),
        container: String(envr.container),
        "nixpkgs-date": nixpkgsDate,
    };
    for (const [name, value] of Object.entries(outputs))
        step_io/* setOutput */.uH(name, value);
    step_io/* info */.pq(`environment=${envr.kind} platform=${envr.platform} nix=${facts.nixVersion?.version ?? "?"} container=${envr.container} ` +
        `installed=${installed} trusted=${trust.trusted} nixpkgs-date=${nixpkgsDate || "-"} nix-implementation=${facts.nixVersion?.implementation ?? "-"}`);
}
// The install and the push are chunks of their own, loaded only when a job needs them.
async function install(inputs, facts, envr) {
    const { installNix } = await Promise.all(/* import() */[__webpack_require__.e(88), __webpack_require__.e(415), __webpack_require__.e(578)]).then(__webpack_require__.bind(__webpack_require__, 578));
    return installNix(inputs, facts, envr);
}
/** With the job's nix.conf in effect (NIX_CONFIG is exported to this process too), so the pusher's nix sees it. */
async function startPusher(inputs, envr, queueFile, storeDir) {
    const [{ startPusher: start }, { limitsFrom }, { lifetimeFor }] = await Promise.all([
        Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 7042)),
        Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 218)),
        __webpack_require__.e(/* import() */ 549).then(__webpack_require__.bind(__webpack_require__, 1549)),
    ]);
    await start(inputs, queueFile, storeDir, (0,job_dir/* jobDir */.jy)(), limitsFrom(process.env, inputs.pushTimeoutMs), lifetimeFor(envr.platform, process.env, Date.now(), process.ppid));
}
async function checkPushTo(target, nixVersion) {
    const { checkPushSettings } = await __webpack_require__.e(/* import() */ 854).then(__webpack_require__.bind(__webpack_require__, 2854));
    await checkPushSettings(target, nixVersion);
}
async function preparePush(inputs, facts, trust) {
    const { preparePush: prepare } = await __webpack_require__.e(/* import() */ 371).then(__webpack_require__.bind(__webpack_require__, 9371));
    return prepare(inputs, facts, trust, (0,job_dir/* jobDir */.jy)());
}

// EXTERNAL MODULE: ./src/push/background.ts
var background = __webpack_require__(7042);
;// CONCATENATED MODULE: ./src/nix/path-info.ts


/**
 * The flags for `nix path-info` JSON on this Nix. Nix 2.34 warns that a bare `--json` will become an
 * error and wants `--json-format`, a flag older versions and Lix reject; format 1 is the one 2.19–2.33
 * print. Both spellings, this Nix's first, as for configShowArgs.
 */
async function pathInfoJsonArgs(nix) {
    const both = [["--json", "--json-format", "1"], ["--json"]];
    return (await (0,nix_version/* supports */.xY)(nix, "pathInfoJsonFormat")) ? both : both.reverse();
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
                throw new answer/* UnknownAnswer */.by(`a list entry without a store path (${(0,answer/* excerpt */.Kb)(JSON.stringify(e))})`);
            return { path: entry.path, valid: entry.valid !== false };
        });
    }
    if (data === null || typeof data !== "object")
        throw new answer/* UnknownAnswer */.by(`${(0,answer/* excerpt */.Kb)(stdout)}, not a list or an object`);
    const obj = data;
    if ("version" in obj && "info" in obj) {
        if (obj.version !== 2 || obj.info === null || typeof obj.info !== "object") {
            throw new answer/* UnknownAnswer */.by(`JSON format ${(0,answer/* excerpt */.Kb)(JSON.stringify(obj.version))}, not 1 or 2 (${(0,answer/* excerpt */.Kb)(stdout)})`);
        }
        const dir = typeof obj.storeDir === "string" ? obj.storeDir : storeDir;
        return Object.entries(obj.info).map(([name, info]) => {
            if (!/^[0-9a-z]{32}-./.test(name))
                throw new answer/* UnknownAnswer */.by(`format 2 names "${(0,answer/* excerpt */.Kb)(name)}", not a store path's name`);
            return { path: `${dir}/${name}`, valid: info !== null };
        });
    }
    return Object.entries(obj).map(([path, info]) => {
        if (!inStore(path, storeDir))
            throw new answer/* UnknownAnswer */.by(`an object keyed by "${(0,answer/* excerpt */.Kb)(path)}", not by store paths (${(0,answer/* excerpt */.Kb)(stdout)})`);
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
        throw new answer/* UnknownAnswer */.by(`${(0,answer/* excerpt */.Kb)(stdout)}, not a list`);
    return data.flatMap((b) => {
        const outputs = b?.outputs;
        if (outputs === null || typeof outputs !== "object")
            throw new answer/* UnknownAnswer */.by(`an entry without "outputs" (${(0,answer/* excerpt */.Kb)(JSON.stringify(b))})`);
        return Object.values(outputs).map((p) => {
            if (typeof p !== "string" || !p.startsWith(`${storeDir}/`))
                throw new answer/* UnknownAnswer */.by(`an output that is not a store path (${(0,answer/* excerpt */.Kb)(JSON.stringify(p))})`);
            return p;
        });
    });
}
function parseJson(stdout) {
    try {
        return JSON.parse(stdout);
    }
    catch {
        throw new answer/* UnknownAnswer */.by(`not JSON (${(0,answer/* excerpt */.Kb)(stdout) || "empty"})`);
    }
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

// EXTERNAL MODULE: ./src/push/url.ts
var push_url = __webpack_require__(7265);
;// CONCATENATED MODULE: ./src/push/copy.ts




/** Keep each nix command line well under Linux's argument limit (2 MB with the default stack). */
const ARGV_BUDGET = 256 * 1024;
/** Splits a path list so no command line exceeds ARGV_BUDGET; almost always a single chunk. */
function chunks(paths, budget = ARGV_BUDGET) {
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
            const wait = (0,push_limits.backoffBefore)(attempt, to.limits, remaining(to.budget));
            on.waiting?.(attempt, wait);
            await new Promise((r) => setTimeout(r, wait));
        }
        if (remaining(to.budget) <= 0)
            return { ok: false, attempt, paths };
        on.starting?.(attempt, paths);
        await to.via?.prepare(paths, remaining(to.budget));
        const r = await (0,exec/* run */.eF)("nix", (0,push_url/* copyArgs */.H)(to.via?.url ?? to.url, paths), { env: to.env, timeoutMs: remaining(to.budget), secret: to.key, spool: true });
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

// EXTERNAL MODULE: ./src/push/select.ts
var push_select = __webpack_require__(4126);
;// CONCATENATED MODULE: ./src/push/outputs.ts




/** The lines of a store query's answer: the store paths, and whatever else it printed. */
function storePathLines(stdout, storeDir) {
    const lines = stdout.split("\n").map((l) => l.trim()).filter(Boolean);
    const isPath = (l) => (0,push_select/* storePathOf */.CI)(l, storeDir) === l;
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
    for (const chunk of chunks(unread)) {
        const r = await (0,exec/* run */.eF)("nix-store", ["--query", "--outputs", ...chunk], { timeoutMs: timeoutMs() });
        if (r.code !== 0)
            return { ...out, failed: r };
        const { paths, other } = storePathLines(r.stdout, storeDir);
        out.outputs.push(...paths);
        out.other.push(...other);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/push/plan.ts

/**
 * Post's plan when main saved none (it failed before it decided) but push-paths names what to push:
 * the method main would have chosen. Otherwise main's decision stands.
 */
function pushPathsPlan(pushPaths, storeDir) {
    return pushPaths.length > 0 ? { ...push_select/* PUSH_PATHS_CHOICE */.QV, storeDir } : undefined;
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
    return (0,job_dir/* jobFiles */.DE)(jobDir).uploadTmp;
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
        (0,external_node_fs_.rmSync)(uploadTmpDir(jobDir), { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    }
    catch {
        /* best effort: the runner removes RUNNER_TEMP after the job */
    }
}

;// CONCATENATED MODULE: ./src/push/attribute.ts








/**
 * Which of the store diff's new paths this job can be shown to have produced or used. Through a
 * daemon, the diff sees every build of every client; only the GC roots this job's builds left in its
 * own folders (`result` links) tie a path to it. Their closures are the job's; the rest is left out.
 */
/** The job's own folders: its workspace and its temp folder (Actions, then GitLab), each once, never `/`. */
function jobFolders(env) {
    const named = [env.GITHUB_WORKSPACE || env.CI_PROJECT_DIR, env.RUNNER_TEMP || env.RUNNER_TEMP_PROJECT_DIR];
    const out = [];
    for (const n of named) {
        if (!n || !external_node_path_default().isAbsolute(n))
            continue;
        const d = external_node_path_default().resolve(n);
        if (d !== "/" && !out.includes(d))
            out.push(d);
    }
    return out;
}
/**
 * `nix-store --gc --print-roots` lines, `LINK -> TARGET`: Nix 2.8 prints the link bare, 2.34 in
 * double quotes (backslash-escaped inside). Roots of other users' processes read `{censored}` or
 * `{memory:…}` for a client the daemon does not trust; they are not files, so they are skipped.
 */
function parseRoots(text, storeDir) {
    const out = [];
    for (const line of text.split("\n")) {
        const m = line.match(/^(?:"((?:[^"\\]|\\.)*)"|(\/.*?)) -> (\/\S+)\s*$/);
        if (!m)
            continue;
        const link = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
        const target = (0,push_select/* storePathOf */.CI)(m[3], storeDir);
        if (target)
            out.push({ link, target });
    }
    return out;
}
/** The roots whose link lies in one of `folders`. */
function rootsUnder(roots, folders) {
    return roots.filter((r) => folders.some((f) => r.link.startsWith(f.endsWith("/") ? f : `${f}/`)));
}
/** How far the walk of the job's folders goes: most `result` links sit at the top of a checkout. */
const WALK_BOUND = { depth: 4, entries: 20_000 };
/** Folders that hold no result links worth the walk, and can hold very many files. */
const SKIP_DIRS = new Set([".git", "node_modules"]);
/**
 * Symlinks into the store under `folders`, depth- and count-bounded; symlinked folders are not
 * followed. `complete` is false when the bound stopped the walk.
 */
async function storeLinksUnder(folders, storeDir, bound = WALK_BOUND) {
    const links = [];
    let seen = 0;
    const queue = folders.map((dir) => ({ dir, depth: 0 }));
    for (let next = queue.shift(); next; next = queue.shift()) {
        let entries;
        try {
            entries = await (0,promises_.opendir)(next.dir);
        }
        catch {
            continue;
        }
        for await (const e of entries) {
            if (++seen > bound.entries)
                return { links, complete: false };
            const full = external_node_path_default().join(next.dir, e.name);
            if (e.isSymbolicLink()) {
                const target = (0,push_select/* storePathOf */.CI)(await (0,promises_.readlink)(full).catch(() => ""), storeDir);
                if (target)
                    links.push({ link: full, target });
            }
            else if (e.isDirectory() && !SKIP_DIRS.has(e.name) && next.depth + 1 < bound.depth) {
                queue.push({ dir: full, depth: next.depth + 1 });
            }
        }
    }
    return { links, complete: true };
}
/**
 * The job's roots, from the daemon's list (a root registered anywhere under the job's folders) and a
 * bounded walk of those folders (the daemon cannot read links inside a container it does not share),
 * and their closure. `valid` keeps the store paths still valid. Throws when the closure cannot be
 * asked: without it nothing can be attributed.
 */
async function attribute(folders, storeDir, valid, timeoutMs) {
    const notes = [];
    const listed = await (0,exec/* run */.eF)("nix-store", ["--gc", "--print-roots"], { timeoutMs: Math.min(60_000, timeoutMs()) });
    const fromDaemon = listed.code === 0 ? rootsUnder(parseRoots(listed.stdout, storeDir), folders) : [];
    if (listed.code !== 0)
        notes.push(`the daemon's GC roots could not be listed (${listed.timedOut ? "timed out" : errorLine(listed.stderr)}); the job's folders are searched instead`);
    const walked = await storeLinksUnder(folders, storeDir);
    if (!walked.complete)
        notes.push(`the search of ${folders.join(" and ")} for result links stopped after ${WALK_BOUND.entries} entries`);
    const roots = [...fromDaemon, ...walked.links.filter((l) => !fromDaemon.some((d) => d.link === l.link))];
    const targets = await valid([...new Set(roots.map((r) => r.target))]);
    const closure = new Set();
    for (const chunk of chunks(targets)) {
        const r = await (0,exec/* run */.eF)("nix-store", ["--query", "--requisites", ...chunk], { timeoutMs: timeoutMs() });
        if (r.code !== 0)
            throw new src_errors/* ActionError */.l(`could not ask the store for the closure of this job's GC roots: ${r.timedOut ? "timed out" : errorLine(r.stderr)}`);
        for (const p of storePathLines(r.stdout, storeDir).paths)
            closure.add(p);
    }
    return { roots, closure, notes };
}
/** The candidates in the job's closure, in order, and how many were not. */
function onlyAttributed(candidates, closure) {
    const keep = candidates.filter((p) => closure.has(p));
    return { keep, leftOut: candidates.length - keep.length };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/push/upstream.ts

/**
 * Reads `nix path-info --json` (with `-r`) with the fields a narinfo needs: the list of ≤ 2.18 and
 * the object keyed by store path of 2.19 on (format 1, which 2.34 prints with `--json-format 1`).
 * Paths that are not valid (null) are left out. Anything else is an UnknownAnswer.
 */
function parsePathMetas(stdout) {
    let data;
    try {
        data = JSON.parse(stdout);
    }
    catch {
        throw new answer/* UnknownAnswer */.by(`not JSON (${(0,answer/* excerpt */.Kb)(stdout) || "empty"})`);
    }
    if (data === null || typeof data !== "object")
        throw new answer/* UnknownAnswer */.by(`${(0,answer/* excerpt */.Kb)(stdout)}, not a list or an object`);
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
            throw new answer/* UnknownAnswer */.by(`an entry without path, narHash, narSize or references (${(0,answer/* excerpt */.Kb)(JSON.stringify(raw))})`);
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
    const token = (0,external_node_crypto_.randomBytes)(16).toString("hex");
    const narinfos = new Map();
    const server = external_node_http_default().createServer((req, res) => {
        void front_answer(req, res, token, narinfos, backend).catch(() => {
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
async function front_answer(req, res, token, narinfos, backend) {
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
        await (0,promises_.mkdir)(external_node_path_default().dirname(file), { recursive: true });
        // written aside and renamed: a reader never sees half a file, as with an object store
        const tmp = `${file}.tmp-${(0,external_node_crypto_.randomBytes)(6).toString("hex")}`;
        try {
            await (0,external_node_stream_promises_.pipeline)(req, (0,external_node_fs_.createWriteStream)(tmp, { mode: 0o644 }));
            await (0,promises_.rename)(tmp, file);
        }
        catch (e) {
            await (0,promises_.rm)(tmp, { force: true });
            throw e;
        }
        return void res.writeHead(200).end();
    }
    if (req.method !== "GET" && req.method !== "HEAD")
        return void res.writeHead(405).end();
    const st = await (0,promises_.stat)(file).catch(() => undefined);
    if (!st?.isFile())
        return void res.writeHead(404).end();
    res.writeHead(200, { "content-length": st.size });
    if (req.method === "HEAD")
        return void res.end();
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(file), res);
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
            (0,external_node_stream_promises_.pipeline)(answer, res).then(resolve, reject);
        });
        backend.open.add(out);
        out.on("close", () => backend.open.delete(out));
        out.on("error", reject);
        (0,external_node_stream_promises_.pipeline)(req, out).catch(reject);
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
    const { url } = (0,push_url/* buildPushUrl */.M)({ ...o.target, base: front.base }, { keyFile: o.keyFile });
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
    const [args] = await pathInfoJsonArgs(o.nixVersion);
    const out = [];
    for (const chunk of chunks(paths)) {
        const r = await (0,exec/* run */.eF)("nix", [...features/* NIX_COMMAND */.g, "path-info", ...args, "-r", ...chunk], { env: o.env, timeoutMs });
        if (r.code !== 0) {
            o.log(`skip-upstream: could not read the closure (${r.timedOut ? "timed out" : errorLine(r.stderr)}); it is pushed whole`);
            return undefined;
        }
        try {
            out.push(...parsePathMetas(r.stdout));
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
                return (await (0,promises_.stat)(`${decodeURIComponent(new URL(url).pathname).replace(/\/+$/, "")}/${name}`)).isFile();
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
    const conf = await (0,exec/* run */.eF)("nix", [...features/* NIX_COMMAND */.g, ...(await configShowArgs(nixVersion))[0]], { timeoutMs: left() });
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
        const r = await (0,exec/* run */.eF)("nix", [...features/* NIX_COMMAND */.g, "path-info", ...(await pathInfoJsonArgs(nixVersion))[0], ...chunk], { timeoutMs: left() });
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

;// CONCATENATED MODULE: ./src/push/push.ts


























/** Warns about an answer not understood and keeps it for the summary. */
function doubt(run, command, what, instead) {
    step_io/* warning */.$e((0,answer/* notUnderstood */.hf)(command, run.version, what, instead));
    run.doubts.push(`${command} not understood`);
}
/**
 * Post's half of the push. Never throws: outcomes are logged, and a failure follows fail-on-push-error.
 * `fit`: shapes the push's bounds, push-timeout's (GitLab's CLI fits them into after_script's budget).
 */
async function pushFromPost(jobDirPath, fit = (l) => l) {
    let inputs;
    try {
        inputs = await readInputs();
    }
    catch (e) {
        if (e instanceof src_errors/* InputError */.d) {
            step_io/* warning */.$e(`push skipped: the inputs are invalid (${step_io/* stepName */.u("main")} reported this): ${e.message.split("\n")[0]}`);
            return;
        }
        throw e;
    }
    const target = inputs.pushTo;
    if (!target)
        return;
    if (target.password)
        step_io/* setSecret */.Pq(target.password);
    const asked = (0,push_limits.limitsFrom)(process.env, inputs.pushTimeoutMs);
    const limits = fit(asked);
    if (limits.timeoutMs < asked.timeoutMs)
        step_io/* info */.pq(`push: ${(0,push_limits.boundText)(asked)} cut to ${Math.round(limits.timeoutMs / 1000)} s to fit the time this step is given`);
    try {
        await push(inputs, target, limits, jobDirPath);
    }
    catch (e) {
        const msg = `push to ${target.display} failed: ${e instanceof Error ? e.message : String(e)}`;
        if (inputs.failOnPushError)
            step_io/* setFailed */.C1(msg);
        else
            step_io/* warning */.$e(`${msg} (the job stays green: ${step_io/* inputName */.yu("fail-on-push-error")} is false)`);
    }
}
async function push(inputs, target, limits, dir) {
    const plan = planOf(inputs);
    step_io/* info */.pq(`push: ${plan.method} method: ${plan.why}`);
    const state = newRun(plan, limits, dir);
    // told first, so it finishes the queue while post selects
    const pusher = await drainPusher(plan, dir, state.clock);
    const chosen = await push_push_select(plan, inputs, target, state);
    const during = pusher.ran ? await afterPusher(dir, pusher.pid, state.clock) : undefined;
    const left = leftAfter(chosen.valid, during);
    const row = { cache: target.display, method: plan.method, during, leftOut: chosen.leftOut };
    if (left.length === 0) {
        const none = chosen.leftOut ? "nothing of this job's to push" : "nothing new to push";
        const result = incomplete(state) ?? (chosen.valid.length === 0 ? none : "ok (all uploaded during the job)");
        const upstream = await upstreamNote(chosen, target, state, during, []);
        await writeSummary({ ...row, selected: chosen.valid.length, uploaded: 0, narBytes: 0, seconds: 0, result, upstream });
        return;
    }
    const { copied, seconds, failure, unpushed, skipped } = await upload(left, chosen, target, state);
    const why = failure ? `${failure.message}; ${unpushedText(unpushed, chosen.valid.length - state.gone)}` : undefined;
    const result = why ? `failed: ${why}` : (incomplete(state) ?? "ok");
    const upstream = await upstreamNote(chosen, target, state, during, [...copied.paths], skipped);
    await writeSummary({ ...row, selected: chosen.valid.length - state.gone, uploaded: copied.paths.size, narBytes: copied.narBytes, seconds, result, upstream });
    if (why)
        throw new src_errors/* ActionError */.l(why);
    step_io/* info */.pq(`push: ${copied.paths.size} path(s) uploaded (${copied.narBytes} NAR bytes, ${seconds.toFixed(1)} s, ${mbPerSecond(copied.narBytes, seconds)} MB/s) to ${target.display}; ` +
        `${left.length - state.gone} selected${during ? " (after the background pusher)" : ""}; their dependencies go along, and what the cache already had was skipped`);
}
/** How to find what the job built: main's plan, or, when main saved none, push-paths. */
function planOf(inputs) {
    const plan = (0,state/* load */.Hh)(state/* StateKey */.zv.PushPlan) ?? pushPathsPlan(inputs.pushPaths, (0,nix_store/* storeDirOf */.cz)(process.env));
    if (plan)
        return plan;
    throw new src_errors/* ActionError */.l(`${step_io/* stepName */.u("main")} did not get far enough to record how to find what this job built (no push plan in its state), so nothing was pushed; fix ${step_io/* stepName */.u("main")}'s error, or list what to push in ${step_io/* inputName */.yu("push-paths")}`);
}
function newRun(plan, limits, dir) {
    const started = Date.now();
    const clock = { deadline: started + limits.timeoutMs, left: () => clock.deadline - Date.now() };
    return { started, clock, limits, version: plan.nix, doubts: [], gone: 0, uploadEnv: uploadEnv(dir) };
}
/**
 * With the hook method, tells the background pusher to finish the queue and exit. `ran`: a pusher
 * ran in this job (its status file is there), even if it is gone now; `pid`: it is still running.
 */
async function drainPusher(plan, dir, clock) {
    const pid = plan.method === "hook" ? (0,background.livePusher)(dir) : undefined;
    if (pid !== undefined && !(await (0,background.signalDrain)(dir, pid, 10_000, (0,push_limits.drainDeadline)(clock.deadline, Date.now())))) {
        step_io/* info */.pq(`push: the background pusher had not finished starting after 10 s; stopped it, ${step_io/* stepName */.u("post")} pushes everything`);
    }
    return { pid, ran: pid !== undefined || (0,external_node_fs_.existsSync)((0,job_dir/* jobFiles */.DE)(dir).pusherStatus) };
}
/** The job's paths (plan's method), less what push-filter drops and what the store no longer holds. */
async function push_push_select(plan, inputs, target, state) {
    const candidates = await candidatesOf(plan, inputs, state);
    const filtered = (0,push_select/* filterPaths */.R4)(candidates, plan.storeDir, inputs.pushFilter);
    const { keep, leftOut } = plan.method === "diff" && !inputs.pushUnattributed ? await attributed(filtered.keep, plan, state) : { keep: filtered.keep, leftOut: undefined };
    // the key reaches nix through a pipe (exec's `secret`), never a file
    const key = inputs.signingKey || undefined;
    const to = (0,push_url/* buildPushUrl */.M)(target, { keyFile: key ? exec/* SECRET_FD_PATH */.eb : undefined });
    // The hook names only what Nix has just built and registered, so its paths are checked only when a
    // copy fails (one deleted since, by a garbage collection): that saves a nix-store run per push. A
    // store diff also sees half-built and deleted entries, push-paths are the user's words, and signing
    // in the local store (for ssh) needs every path there, so those are checked first.
    const checkFirst = plan.method !== "hook" || to.signLocally;
    const valid = checkFirst ? await onlyValid(keep, plan.storeDir, state) : keep;
    step_io/* info */.pq(`push: ${candidates.length} candidate(s), ${filtered.dropped} dropped (.drv/.lock/.check/push-filter), ` +
        `${leftOut === undefined ? "" : `${leftOut} not attributable to this job, `}` +
        `${checkFirst ? `${keep.length - valid.length} no longer valid` : "validity checked if a copy fails"}, ${valid.length} to push ` +
        `(selected in ${Date.now() - state.started} ms)`);
    const keyName = inputs.signingPublicKey.slice(0, inputs.signingPublicKey.indexOf(":"));
    return { valid, uncheckedIn: checkFirst ? undefined : plan.storeDir, to, key, leftOut, skip: inputs.skipUpstream, netrc: inputs.netrc, keyName };
}
/**
 * The diff's paths this job can be shown to have produced or used (src/push/attribute.ts): through a
 * daemon, the diff also holds what other jobs built meanwhile, which this job must not publish.
 */
async function attributed(paths, plan, state) {
    const folders = jobFolders(process.env);
    const a = await attribute(folders, plan.storeDir, (p) => onlyValid(p, plan.storeDir, state), state.clock.left);
    for (const n of a.notes)
        step_io/* info */.pq(`push: ${n}`);
    const split = onlyAttributed(paths, a.closure);
    if (a.roots.length === 0 && split.leftOut > 0) {
        step_io/* warning */.$e(`push: this job left no GC root under ${folders.join(" and ") || "its folders (none known)"}, so none of the ${split.leftOut} new store path(s) can be shown to be its own, and none was pushed: ` +
            `keep a result link of what you build (nix build's default; not --no-link), or name it in ${step_io/* inputName */.yu("push-paths")}; ${step_io/* inputName */.yu("push-unattributed")}: true pushes every new path (only for a runner that runs one job at a time)`);
        return split;
    }
    step_io/* info */.pq(`push: ${a.roots.length} GC root(s) of this job under ${folders.join(" and ") || "(no job folder known)"} (${a.closure.size} path(s) in their closure); ` +
        `${split.keep.length} of the ${paths.length} new store path(s) are in it` +
        (split.leftOut > 0 ? `; ${split.leftOut} left out as not attributable to this job (other jobs on this daemon may have made them; ${step_io/* inputName */.yu("push-unattributed")}: true pushes them)` : ""));
    return split;
}
/** The selected paths the background pusher did not send; what it did is logged. */
function leftAfter(valid, during) {
    if (!during)
        return valid;
    const left = valid.filter((p) => !during.sent.has(p));
    step_io/* info */.pq(`push: the background pusher uploaded ${during.uploaded} path(s) (${during.narBytes} NAR bytes) during the job; ` +
        `${step_io/* stepName */.u("post")} waited ${during.waitedSeconds.toFixed(1)} s for it; ${left.length} of ${valid.length} selected path(s) left for ${step_io/* stepName */.u("post")}`);
    return left;
}
/** The summary's words for what a failed push left: how many selected paths, and that this step did not push them. */
function unpushedText(unpushed, selected) {
    return `${unpushed} of ${selected} selected path(s) left unpushed (this step did not push them)`;
}
/** Signs `paths` in the local store first when the target needs it, then copies them chunk by chunk. */
async function upload(paths, chosen, target, state) {
    const t0 = Date.now();
    const { to, key } = chosen;
    const copied = { paths: new Set(), narBytes: 0 };
    const budget = { deadline: state.clock.deadline };
    const copyTo = { target, url: to.url, key: to.signLocally ? undefined : key, env: state.uploadEnv, limits: state.limits, budget, copied };
    let finished = 0;
    const goneBefore = state.gone;
    const skipper = chosen.skip.length > 0 && frontCovers(target) ? await startSkipperFor(chosen, target, state) : undefined;
    copyTo.via = skipper;
    try {
        for (const n of to.notes)
            step_io/* info */.pq(`push: ${n}`);
        if (to.signLocally && key)
            await signLocally(paths, key, state.clock);
        for (const chunk of chunks(paths)) {
            await copyWithRetries(copyTo, chunk, state, chosen.uncheckedIn);
            finished += chunk.length;
        }
        return { copied, seconds: (Date.now() - t0) / 1000, unpushed: 0, skipped: skipper?.skipped() };
    }
    catch (e) {
        const failure = e instanceof src_errors/* ActionError */.l ? e : new src_errors/* ActionError */.l(e instanceof Error ? e.message : String(e));
        // paths found gone from the store in the failed chunk are not left: nothing could push them
        const unpushed = Math.max(0, paths.length - finished - (state.gone - goneBefore));
        return { copied, seconds: (Date.now() - t0) / 1000, failure, unpushed, skipped: skipper?.skipped() };
    }
    finally {
        await skipper?.stop();
    }
}
/** The front for skip-upstream, or undefined (warned: the closures then go whole) when it cannot start. */
async function startSkipperFor(chosen, target, state) {
    try {
        const keyFile = chosen.key && !chosen.to.signLocally ? exec/* SECRET_FD_PATH */.eb : undefined;
        const s = await startSkipper({ target, upstreams: chosen.skip, netrc: chosen.netrc, keyFile, nixVersion: state.version, env: state.uploadEnv, log: (m) => step_io/* info */.pq(`push: ${m}`) });
        step_io/* info */.pq(`push: skip-upstream: nix copy writes through a local front on 127.0.0.1 that answers for what ${chosen.skip.map((u) => u.key).join(", ")} serve(s)`);
        return s;
    }
    catch (e) {
        step_io/* warning */.$e(`push: skip-upstream: could not start the local front (${String(e)}); whole closures are pushed`);
        return undefined;
    }
}
/**
 * The summary's word on upstreams: with skip-upstream, what it left out (post's and the pusher's);
 * without it, what of this push the job's own substituters also serve, and the entry that would
 * skip it (a hint: asked within bounds, silent when it cannot be told).
 */
async function upstreamNote(chosen, target, state, during, uploaded, skipped) {
    if (chosen.skip.length > 0) {
        if (!frontCovers(target)) {
            const why = `${step_io/* inputName */.yu("skip-upstream")} works with file:// and http(s):// push-to; ${target.scheme}// gets whole closures`;
            step_io/* info */.pq(`push: ${why}`);
            return why;
        }
        const paths = (skipped?.paths ?? 0) + (during?.skipped?.paths ?? 0);
        const bytes = (skipped?.narBytes ?? 0) + (during?.skipped?.narBytes ?? 0);
        return `${paths} path(s) (${bytes} NAR bytes) left out: served by ${chosen.skip.map((u) => u.url).join(" ")}`;
    }
    const all = [...uploaded, ...(during?.uploadedPaths ?? [])];
    // a hint only: at most 20 s, and never past the push's bound (a second of it is left for the summary)
    const also = await alsoServed(all, chosen.keyName, state.version, Math.min(20_000, state.clock.left() - 1000)).catch(() => undefined);
    if (!also || also.paths === 0)
        return undefined;
    const text = `${also.paths} path(s) (${also.narBytes} NAR bytes) of this push are also served by the job's substituters; ` +
        `${step_io/* inputName */.yu("skip-upstream")}: "${also.entries.join(" ")}" would leave them out (see docs/push.md for when that is safe)`;
    step_io/* info */.pq(`push: ${text}`);
    return text;
}
/**
 * Waits for the background pusher (signalled to drain) to exit, within the push's time; stops it if
 * it does not. What it reports as sent is done; everything else post pushes itself (a pusher that
 * died, paths it gave up on).
 */
async function afterPusher(dir, pid, clock) {
    const t0 = Date.now();
    if (pid !== undefined && !(await (0,background.waitForExit)(dir, clock.left()))) {
        (0,background.stopPusherSync)(dir);
        step_io/* warning */.$e("push: the background pusher did not finish within push-timeout; stopped it");
    }
    const waitedSeconds = (Date.now() - t0) / 1000;
    const orphans = (0,background.killOrphanUploads)(dir);
    if (orphans.length > 0)
        step_io/* info */.pq(`push: stopped ${orphans.length} upload(s) a dead background pusher left running`);
    const status = await (0,background.readStatus)(dir);
    const log = await (0,background.pusherLog)(dir);
    if (log)
        await step_io/* group */.Os("Background pusher log", async () => step_io/* info */.pq(log.trimEnd()));
    if (pid === undefined)
        step_io/* info */.pq(`push: the background pusher was not running any more when ${step_io/* stepName */.u("post")} started; ${step_io/* stepName */.u("post")} pushes what it did not send`);
    if (status?.refused.length)
        step_io/* info */.pq(`push: the background pusher gave up on ${status.refused.length} path(s); ${step_io/* stepName */.u("post")} retries them`);
    return {
        sent: new Set(status?.sent ?? []),
        uploaded: status?.uploaded ?? 0,
        narBytes: status?.narBytes ?? 0,
        waitedSeconds,
        uploadedPaths: status?.uploadedPaths ?? [],
        skipped: status?.skipped,
    };
}
/** The summary's result when something was not understood: what was done may be short of the job. */
function incomplete(run) {
    return run.doubts.length > 0 ? `incomplete: ${[...new Set(run.doubts)].join("; ")} (see the warnings)` : undefined;
}
async function candidatesOf(plan, inputs, run) {
    switch (plan.method) {
        case "paths":
            return resolvePushPaths(inputs.pushPaths, plan, run);
        case "hook": {
            if (!plan.queueFile)
                throw new src_errors/* ActionError */.l("the push plan names no queue file; nothing was pushed");
            const text = await (0,promises_.readFile)(plan.queueFile, "utf8").catch(() => {
                throw new src_errors/* ActionError */.l(`the post-build-hook's queue ${plan.queueFile} is missing, so what this job built is unknown; nothing was pushed`);
            });
            return withOutputsOfDerivations((0,push_select/* parseQueue */.DY)(text), plan.storeDir, run);
        }
        case "diff": {
            if (!plan.listingFile)
                throw new src_errors/* ActionError */.l("the push plan names no store listing; nothing was pushed");
            const before = await (0,promises_.readFile)(plan.listingFile, "utf8").catch(() => {
                throw new src_errors/* ActionError */.l(`the store listing ${plan.listingFile} taken in main is missing, so what this job built is unknown; nothing was pushed`);
            });
            const after = await (0,nix_store/* listStore */.K3)(plan.storeDir);
            return (0,push_select/* newEntries */.f)(before.split("\n").filter(Boolean), after, plan.storeDir);
        }
    }
}
/** Queued derivations (from a hook that got no OUT_PATHS) are replaced by their outputs. */
async function withOutputsOfDerivations(entries, storeDir, state) {
    const found = await outputsOfDerivations(entries.filter((e) => e.endsWith(".drv")), storeDir, state.clock.left);
    if (found.other.length > 0) {
        doubt(state, "nix-store --query --outputs", `lines that are not store paths (${(0,answer/* excerpt */.Kb)(found.other.join(" "))})`, "the outputs it did name are pushed, the rest of what was built is not");
    }
    const r = found.failed;
    if (r)
        throw new src_errors/* ActionError */.l(`could not ask the store for the outputs of what was built: ${r.timedOut ? "timed out" : errorLine(r.stderr)}`);
    return [...entries.filter((e) => !e.endsWith(".drv")), ...found.outputs];
}
/** Store paths pass through; installables are asked of Nix (built, if they are not yet). */
async function resolvePushPaths(items, plan, state) {
    const out = [];
    let version;
    for (const item of items) {
        const direct = (0,push_select/* storePathOf */.CI)(item, plan.storeDir);
        if (direct) {
            out.push(direct);
            continue;
        }
        version ??= plan.nix ?? (await (0,locate/* locateNix */.WH)(process.env).version);
        state.version = version;
        if (!(await (0,nix_version/* supports */.xY)(version, "nixCommand"))) {
            throw new src_errors/* ActionError */.l(`${step_io/* inputName */.yu("push-paths")}: "${item}" is an installable, which needs the nix command of Nix ≥ 2.4; give store paths instead`);
        }
        out.push(...(await resolveInstallable(item, plan.storeDir, state)));
    }
    return out;
}
async function resolveInstallable(item, storeDir, state) {
    const { clock, version } = state;
    const asked = { nix: "nix", before: [...features/* NIX_FLAKES */.f, "path-info"], spellings: await pathInfoJsonArgs(version), after: [item], version };
    const { result: info, spelling: jsonArgs } = await runSpellings(asked, { timeoutMs: clock.left() });
    if (info.code === 0) {
        // path-info names outputs that are not built yet too, as not valid
        try {
            const entries = parsePathInfo(info.stdout, storeDir);
            if (entries.every((e) => e.valid))
                return entries.map((e) => e.path);
            step_io/* info */.pq(`push-paths: "${item}" is not built yet; building it`);
        }
        catch (e) {
            if (!(e instanceof answer/* UnknownAnswer */.by))
                throw e;
            // only warned: nix build's answer below can still tell the outputs
            step_io/* warning */.$e((0,answer/* notUnderstood */.hf)(`nix path-info ${jsonArgs.join(" ")}`, version, e.message, `building "${item}" to learn its outputs instead`));
        }
    }
    else {
        step_io/* info */.pq(`push-paths: "${item}" is not built yet (${errorLine(info.stderr)}); building it`);
    }
    const built = await (0,exec/* run */.eF)("nix", [...features/* NIX_FLAKES */.f, "build", "--no-link", "--json", item], { timeoutMs: clock.left() });
    if (built.code !== 0) {
        throw new src_errors/* ActionError */.l(`${step_io/* inputName */.yu("push-paths")}: could not resolve "${item}": ${built.timedOut ? "timed out" : errorLine(built.stderr)}`);
    }
    try {
        return parseBuildOutputs(built.stdout, storeDir);
    }
    catch (e) {
        if (!(e instanceof answer/* UnknownAnswer */.by))
            throw e;
        throw new src_errors/* ActionError */.l((0,answer/* notUnderstood */.hf)("nix build --json", version, e.message, `push-paths "${item}" is built but its outputs are unknown, so nothing was pushed`));
    }
}
/** Paths the store still holds as valid; vanished or half-built ones are dropped. */
async function onlyValid(paths, storeDir, state) {
    const invalid = new Set();
    for (const chunk of chunks(paths)) {
        const r = await (0,exec/* run */.eF)("nix-store", ["--check-validity", "--print-invalid", ...chunk], { timeoutMs: state.clock.left() });
        if (r.code !== 0)
            throw new src_errors/* ActionError */.l(`could not check which paths are valid: ${r.timedOut ? "timed out" : errorLine(r.stderr)}`);
        const { paths: named, other } = storePathLines(r.stdout, storeDir);
        if (other.length > 0) {
            doubt(state, "nix-store --check-validity --print-invalid", `lines that are not store paths (${(0,answer/* excerpt */.Kb)(other.join(" "))})`, "every path it did not name as invalid is pushed");
        }
        for (const p of named)
            invalid.add(p);
    }
    return paths.filter((p) => !invalid.has(p));
}
async function signLocally(paths, key, clock) {
    for (const chunk of chunks(paths)) {
        const r = await (0,exec/* run */.eF)("nix", [...features/* NIX_FLAKES */.f, "store", "sign", "--recursive", "--key-file", exec/* SECRET_FD_PATH */.eb, ...chunk], { timeoutMs: clock.left(), secret: key });
        if (r.code !== 0)
            step_io/* warning */.$e(`push: could not sign in the local store (${errorLine(r.stderr)}); the paths go to the cache unsigned by signing-key`);
    }
}
/**
 * Post's copy of one chunk (copyChunk), with post's messages. With `uncheckedIn` (the store dir),
 * the paths' validity was not checked: the first failed copy checks it, and when some paths are gone
 * the rest is copied again at once, as the same attempt.
 */
async function copyWithRetries(to, given, state, uncheckedIn) {
    const { limits } = to;
    // cleared once checked: a second failure is an ordinary one
    let checkIn = uncheckedIn;
    const outcome = await copyChunk(to, given, {
        waiting: (attempt, wait) => step_io/* info */.pq(`push: attempt ${attempt} of ${limits.attempts} in ${(wait / 1000).toFixed(1)} s`),
        notUnderstood: (why) => doubt(state, "nix copy -v", redactCredentials(why), "nix copy succeeded, but the paths and NAR bytes counted are only those of the lines understood"),
        recheck: async (paths, r) => {
            if (checkIn === undefined || r.timedOut)
                return undefined;
            const valid = await onlyValid(paths, checkIn, state);
            checkIn = undefined;
            if (valid.length === paths.length)
                return undefined;
            const kept = new Set(valid);
            state.gone += paths.length - valid.length;
            step_io/* info */.pq(`push: nix copy failed (${redactCredentials(errorLine(r.stderr))}): ${paths.length - valid.length} path(s) the job built are no longer in the store ` +
                `(deleted since they were built, as by a garbage collection), first ${paths.find((p) => !kept.has(p))}; ${valid.length > 0 ? "copying the rest again" : "nothing left to copy"}`);
            return valid;
        },
        failed: (attempt, r, final) => {
            const tail = r.stderr.trim().split("\n").filter((l) => !l.startsWith("querying info about")).slice(-20);
            if (tail.length > 0)
                step_io/* info */.pq(`push: nix copy (attempt ${attempt}) ended with:\n${redactCredentials(tail.join("\n"))}`);
            if (!final)
                step_io/* warning */.$e(`push: attempt ${attempt} to ${to.target.display} failed (${whyFailed(r, limits)}); retrying`);
        },
    });
    if (outcome.ok)
        return;
    if (!outcome.r)
        throw new src_errors/* ActionError */.l(`${(0,push_limits.boundText)(limits)} reached before the copy could start`);
    throw new src_errors/* ActionError */.l(`${whyFailed(outcome.r, limits)}${failureHint(outcome.r.stderr, to.target.scheme)} [attempt ${outcome.attempt} of ${limits.attempts}]`);
}
function whyFailed(r, limits) {
    return r.timedOut ? `${(0,push_limits.boundText)(limits)} reached: the copy was stopped` : errorLine(r.stderr);
}
async function writeSummary(row) {
    try {
        step_io/* appendSummaryTable */.dy("Nix binary cache push", summaryTable(row));
    }
    catch (e) {
        step_io/* info */.pq(`push: could not write the job summary: ${String(e)}`);
    }
}

;// CONCATENATED MODULE: ./src/steps/post-step.ts










/**
 * Post: push what the job built (when asked; `fit` shapes the push's bounds), then remove what killed uploads left, stop a
 * nix-daemon main started (it served this job only), and remove the secret files main left for the job.
 */
async function runPost(fit) {
    process.once("SIGINT", () => cancel("SIGINT", 130));
    process.once("SIGTERM", () => cancel("SIGTERM", 143));
    const dir = (0,job_dir/* jobDir */.jy)();
    try {
        await pushFromPost(dir, fit);
    }
    catch (e) {
        step_io/* warning */.$e(`nix-runner-action post: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    finally {
        // a pusher still running here (post ended early, on an error) must not outlive post: it holds the key
        const pusher = (0,background.stopPusherSync)(dir);
        if (pusher !== undefined) {
            const gone = await (0,background.waitForExit)(dir, 5000);
            step_io/* info */.pq(`push: stopped the background pusher (pid ${pusher}), still running when post ended${gone ? "" : "; it had not exited after 5 s"}`);
        }
        // what killed uploads left
        removeUploadTmp(dir);
        await (0,daemon/* stopOwnDaemon */.t3)().catch((e) => step_io/* warning */.$e(`could not stop the nix-daemon this job started: ${String(e)}`));
        for (const f of (0,state/* load */.Hh)(state/* StateKey */.zv.SecretFiles) ?? []) {
            await (0,promises_.rm)(f, { force: true }).catch(() => step_io/* warning */.$e(`could not remove ${f}`));
        }
    }
}
/**
 * The runner cancels a step with SIGINT, then SIGTERM (then SIGKILL). Commands with a timeout run
 * detached in their own process group, so without this an upload would outlive the step (holding
 * the signing key in its memory). Everything here is synchronous: the process exits right after.
 */
function cancel(sig, code) {
    const killed = (0,exec/* killRunning */.wp)();
    const pusher = (0,background.stopPusherSync)((0,job_dir/* jobDir */.jy)());
    removeUploadTmp((0,job_dir/* jobDir */.jy)());
    for (const f of (0,state/* load */.Hh)(state/* StateKey */.zv.SecretFiles) ?? []) {
        try {
            (0,external_node_fs_.rmSync)(f, { force: true });
        }
        catch {
            /* best effort: the process is exiting */
        }
    }
    step_io/* warning */.$e(`nix-runner-action post: cancelled (${sig}); stopped ${killed.length} running command(s)${pusher ? `, stopped the background pusher (pid ${pusher})` : ""}; the push did not finish`);
    process.exit(code);
}

;// CONCATENATED MODULE: ./src/steps/cli-step.ts









const USAGE = `usage: nix-runner-action setup [--dotenv FILE] [--summary FILE]
       nix-runner-action push [--summary FILE]

In a GitLab CI job: setup in before_script, push in after_script.

  before_script:
    - NIX_RUNNER_SETUP=$(nix-runner-action setup); eval "$NIX_RUNNER_SETUP"
  after_script:
    - nix-runner-action push

setup detects, installs and configures Nix for the job, as the action's main step does, and prints
shell lines for the job to evaluate (the variables and PATH it sets, its outputs, and the unset of
the secret variables); its log goes to stderr. In X=$(...); eval "$X" a failing setup fails the job,
which eval "$(...)" would hide. push sends what the job built, as the action's post step does.

Inputs are CI/CD variables: NIX_RUNNER_ and the action's input name in capitals, - as _
(push-to: NIX_RUNNER_PUSH_TO). Secrets (NIX_RUNNER_SIGNING_KEY, NIX_RUNNER_ACCESS_TOKENS,
NIX_RUNNER_NETRC) belong in masked CI/CD variables.

  --dotenv FILE   setup's outputs as NIX_RUNNER_OUTPUT_<NAME>=value lines, for artifacts:reports:dotenv
                  (default: nix-runner.env in CI_PROJECT_DIR)
  --summary FILE  push's summary, in Markdown (default: nix-runner-summary.md in CI_PROJECT_DIR)
`;
/** The command line, with the files' defaults in `projectDir`; a string is what is wrong with it. */
function parseArgs(argv, projectDir) {
    const [command, ...rest] = argv;
    if (command === "help" || command === "--help" || command === "-h")
        return { command: "help", dotenv: "", summary: "" };
    if (command !== "setup" && command !== "push")
        return command === undefined ? "no command given" : `unknown command "${command}"`;
    const args = { command, dotenv: external_node_path_default().join(projectDir, "nix-runner.env"), summary: external_node_path_default().join(projectDir, "nix-runner-summary.md") };
    for (let i = 0; i < rest.length; i++) {
        const flag = rest[i];
        const value = rest[i + 1];
        const known = flag === "--summary" || (flag === "--dotenv" && command === "setup");
        if (!known)
            return `${command}: unknown option "${flag}"`;
        if (value === undefined || value === "")
            return `${command}: ${flag} needs a file name`;
        args[flag === "--dotenv" ? "dotenv" : "summary"] = external_node_path_default().resolve(projectDir, value);
        i++;
    }
    return args;
}
/** The entry's one call: the CLI, with its handler for rejections nobody awaited. */
async function cliMain(argv) {
    reportUnhandledRejections(`nix-runner-action ${argv[0] ?? ""}`.trim(), argv[0] === "push" ? "warn" : "fail");
    await runCli(argv);
}
/**
 * The CLI: `setup` or `push` for a GitLab job. It makes the GitLab flavour the step's I/O for the
 * rest of the process (a test that runs it in process puts the previous one back).
 */
async function runCli(argv) {
    const projectDir = process.env.CI_PROJECT_DIR || process.cwd();
    const args = parseArgs(argv, projectDir);
    if (typeof args === "string") {
        process.stderr.write(`nix-runner-action: ${args}\n\n${USAGE}`);
        process.exitCode = 2;
        return;
    }
    if (args.command === "help") {
        process.stdout.write(USAGE);
        return;
    }
    const gitlab = new GitlabIo({
        // out of the environment before anything runs: no command this process starts inherits them
        inputs: takeInputs(process.env),
        jobDir: gitlabJobDir(process.env),
        dotenvFile: args.command === "setup" ? args.dotenv : undefined,
        summaryFile: args.summary,
        write: (text) => void process.stderr.write(text),
    });
    step_io/* useFlavour */.PL(gitlab);
    takeForGitlab(process.env);
    if (args.command === "setup") {
        await runMain();
        // the shell lines are the only thing on stdout, printed even after a failure: the unset at least
        process.stdout.write(gitlab.shellLines());
    }
    else {
        await cli_step_push(gitlab);
    }
}
/**
 * The CLI runs GitLab jobs. Where GITLAB_CI is not "true" (gitlab-ci-local sets "false"), it says so
 * and goes on as in GitLab: the platform output and the pusher's lifetime follow GITLAB_CI.
 */
function takeForGitlab(env) {
    if (isTrue(env.GITLAB_CI))
        return;
    step_io/* info */.pq(`GITLAB_CI is ${env.GITLAB_CI === undefined ? "not set" : `"${env.GITLAB_CI}"`}: taken for a GitLab job all the same (GITLAB_CI=true from here on)`);
    env.GITLAB_CI = "true";
}
/**
 * after_script: push with what setup saved (its state, and the variables and PATH it exported), in
 * after_script's time, then remove the job's folder, which no runner empties for us.
 */
async function cli_step_push(gitlab) {
    const dir = gitlabJobDir(process.env);
    if (!gitlab.loadSaved())
        step_io/* info */.pq("push: setup left nothing in this job's folder (it did not run, or ended early)");
    if (process.env.CI_JOB_STATUS)
        step_io/* info */.pq(`push: the job's status is ${process.env.CI_JOB_STATUS}`);
    await runPost((limits) => (0,push_limits.withinAfterScript)(limits, process.env));
    try {
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    }
    catch (e) {
        step_io/* warning */.$e(`push: could not remove the job's folder ${dir}: ${String(e)}`);
    }
}


/***/ })

};
