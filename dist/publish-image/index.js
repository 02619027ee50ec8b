import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 1520:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _steps_publish_step_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7343);
/* harmony import */ var _unhandled_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(9432);


(0,_unhandled_js__WEBPACK_IMPORTED_MODULE_1__/* .reportUnhandledRejections */ ._)("publish-image", "fail");
await (0,_steps_publish_step_js__WEBPACK_IMPORTED_MODULE_0__/* .runPublish */ .j)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 7814:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   fe: () => (/* binding */ appendSummary),
/* harmony export */   lS: () => (/* binding */ raw),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   uH: () => (/* binding */ setOutput),
/* harmony export */   yu: () => (/* binding */ inputName)
/* harmony export */ });
/* unused harmony exports summaryHtml, actionsIo, useFlavour, stepName, exportVariable, addPath, saveState, getState, error, jobDir, appendSummaryTable, group */
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

/***/ 7343:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  j: () => (/* binding */ runPublish)
});

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
;// CONCATENATED MODULE: ./src/errors.ts
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
class errors_InputError extends ActionError {
    name = "InputError";
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
        return nixpkgsDate(await (0,promises_namespaceObject.readFile)(external_node_path_default().join(workspace, "flake.lock"), "utf8"), input);
    }
    catch {
        return "";
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
;// CONCATENATED MODULE: external "node:stream/promises"
const external_node_stream_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
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
function version_line_parseNixVersion(output) {
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
function version_line_upstreamNix(version) {
  return version_line_parseNixVersion(`nix (Nix) ${version}`);
}

/**
 * The Nix in words, for messages: "Nix 2.8.0", "Lix 2.94.0 (a fork of Nix 2.18)",
 * "Determinate Nix 3.8.5 (Nix 2.30.2)", "Nix of unknown version".
 * @param {import("./version-line.d.mts").NixVersion | undefined} v
 */
function version_line_describeNix(v) {
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
function version_versionFromStorePath(realPath) {
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
class UnknownAnswer extends (/* unused pure expression or super */ null && (Error)) {
    name = "UnknownAnswer";
}
/**
 * The one message for an answer the action could not understand, e.g.
 * `Could not understand the answer of 'nix path-info --json' (Nix 2.34.8): an object without store
 * paths as keys ({"version":3,…}); building "…" to learn its outputs instead`. `instead` says what the
 * action did in its place, so nobody reads a result it did not earn as a success. The Nix is named
 * as describeNix does (Lix and Determinate Nix by their own names).
 */
function answer_notUnderstood(command, nix, what, instead) {
    return `Could not understand the answer of '${command}' (${describeNix(nix)}): ${what}; ${instead}`;
}
/** The start of an answer, on one line, for quoting in notUnderstood. Only for answers that hold no secrets. */
function answer_excerpt(text, max = 80) {
    const flat = text.trim().replace(/\s+/g, " ");
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
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
    const r = await run(nixPath, ["--version"], { env });
    if (r.code !== 0)
        return undefined;
    const version = parseNixVersion(r.stdout);
    if (version === undefined) {
        io.warning(notUnderstood("nix --version", undefined, `no version in "${excerpt(r.stdout) || "(nothing)"}"`, "the action goes on as with an old Nix: newer commands and flags stay off, and nix-version cannot be checked; upstream Nix, Lix and Determinate Nix are known"));
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

;// CONCATENATED MODULE: ./src/publish/archive.ts









const GZIP_MAGIC = [0x1f, 0x8b];
/** What the build made: an executable is a streamLayeredImage script, a file starting 1f 8b a gzip archive. */
async function archiveKind(file) {
    const st = await (0,promises_namespaceObject.stat)(file);
    if ((st.mode & 0o111) !== 0)
        return "stream";
    const fh = await (0,promises_namespaceObject.open)(file, "r");
    try {
        const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
        return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1] ? "gzip" : "docker-archive";
    }
    finally {
        await fh.close();
    }
}
/**
 * A plain docker-archive skopeo can read, made from what the build made, in `dir` when it must be
 * written: a stream script is run to a tar, and a gzip-compressed archive (what buildLayeredImage
 * writes) is decompressed, since skopeo 1.9 (Debian 12) fails to read compressed docker-archives
 * ("unexpected EOF").
 */
async function plainArchive(archive, dir) {
    const real = realPathOf(archive);
    const st = await (0,promises_namespaceObject.stat)(real).catch(() => undefined);
    if (!st?.isFile()) {
        throw new ActionError(`${archive}${real !== archive ? ` (${real})` : ""} is not a docker-archive file (use dockerTools.buildLayeredImage or streamLayeredImage)`);
    }
    const tar = external_node_path_default().join(dir, "image.tar");
    const kind = await archiveKind(real);
    if (kind === "stream") {
        step_io/* info */.pq(`${archive} is a stream script (streamLayeredImage): writing the archive to ${tar}`);
        const r = await exec_run(real, [], { stdoutFile: tar, echo: true });
        if (r.code !== 0)
            throw new ActionError(`the stream script ${real} exited ${r.code} (see its message above)`);
        return tar;
    }
    if (kind === "gzip") {
        step_io/* info */.pq(`${archive} is a gzip-compressed archive: decompressing to ${tar}`);
        try {
            await (0,external_node_stream_promises_namespaceObject.pipeline)((0,external_node_fs_.createReadStream)(real), (0,external_node_zlib_namespaceObject.createGunzip)(), (0,external_node_fs_.createWriteStream)(tar, { mode: 0o600 }));
        }
        catch (err) {
            throw new ActionError(`decompressing ${real} failed: ${err.message}; is the build result a complete archive?`);
        }
        return tar;
    }
    return real;
}

;// CONCATENATED MODULE: ./src/keys.ts
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
/** Splits `name:base64` and checks the decoded length; returns an error sentence or the key. */
function keys_parseNixKey(text, expectedBytes) {
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
async function keys_publicKeyOf(secret) {
    // node:crypto loads only for a signing key: loading it costs more than the rest of input checking
    const { createPrivateKey, createPublicKey } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 7598, 23));
    const seed = secret.bytes.subarray(0, 32);
    const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
    const spki = createPublicKey(priv).export({ format: "der", type: "spki" });
    const pub = spki.subarray(spki.length - 32);
    if (!pub.equals(secret.bytes.subarray(32)))
        return undefined;
    return `${secret.name}:${pub.toString("base64")}`;
}

;// CONCATENATED MODULE: ./src/push-target.ts
/**
 * push-to, parsed once (by readInputs, which checked it) into what every part of the push needs to
 * know about the cache: its scheme, what of it a log may show, and how its paths are signed.
 */
/** The schemes push-to takes; a binary cache stores NARs and .narinfo files, an ssh store is a Nix store. */
const SCHEMES = { "file:": "binary-cache", "http:": "binary-cache", "https:": "binary-cache", "s3:": "binary-cache", "ssh:": "ssh", "ssh-ng:": "ssh" };
const push_target_PUSH_SCHEMES = Object.keys(SCHEMES);
/** `url` is `text` parsed, when the caller has already parsed it (readInputs, which checked it). */
function push_target_pushTarget(text, url = new URL(text)) {
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
const COMPRESSIONS = (/* unused pure expression or super */ null && (["xz", "bzip2", "gzip", "zstd", "none", "br", "compress", "grzip", "lrzip", "lz4", "lzip", "lzma", "lzop"]));
const COMPRESSION_SETTINGS = (/* unused pure expression or super */ null && (["compression", "narinfo-compression", "ls-compression", "log-compression"]));
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

;// CONCATENATED MODULE: ./src/inputs.ts





const MODES = (/* unused pure expression or super */ null && (["auto", "image", "native", "install"]));
const INSTALLERS = (/* unused pure expression or super */ null && (["nixos", "determinate", "none"]));
const INITS = (/* unused pure expression or super */ null && (["auto", "systemd", "none"]));
/** Every input of action.yml (test/readme.test.ts checks both ways): the CLI reads each from a variable. */
const INPUT_NAMES = (/* unused pure expression or super */ null && ([
    "mode", "substituters", "trusted-public-keys", "extra-conf", "access-tokens", "netrc", "push-to", "signing-key",
    "push-filter", "push-paths", "push-during-build", "push-unattributed", "skip-upstream", "fail-on-push-error", "push-timeout", "installer", "installer-url", "installer-sha256", "init", "nix-version",
]));
/**
 * The inputs that carry secrets (masked as they are read; action.yml says "Masked"). Never component
 * inputs, whose values GitLab writes into the job's YAML as clear text; in GitLab they come from
 * masked CI/CD variables, which the CLI's setup unsets for the job's later lines.
 */
const SECRET_INPUTS = (/* unused pure expression or super */ null && (["access-tokens", "netrc", "signing-key"]));
const SUBSTITUTER_SCHEMES = (/* unused pure expression or super */ null && (["http:", "https:", "file:", "s3:", "ssh:", "ssh-ng:", "gs:"]));
/**
 * Reads and checks every input once. Takes a getter so tests can hand in a plain record; the
 * default reads the INPUT_* variables the runner sets. Throws InputError before anything is written.
 */
async function readInputs(get = (n) => io.getInput(n), mask = (s) => io.setSecret(s)) {
    const errors = [];
    const check = async (f, fallback) => {
        try {
            return await f();
        }
        catch (e) {
            if (!(e instanceof InputError))
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
        throw new InputError(errors.join("\n"));
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
    const { default: semver } = await __nccwpck_require__.e(/* import() */ 88).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2088, 23));
    if (semver.validRange(range) === null)
        throw new InputError(`${io.inputName("nix-version")}: "${range}" is not a semver range; write e.g. ">=2.18" or "2.24.x"`);
    return range;
}
function words(text) {
    return text.split(/\s+/).filter((w) => w.length > 0);
}
function oneOf(get, name, allowed, dflt) {
    const value = get(name).trim() || dflt;
    if (!allowed.includes(value)) {
        throw new InputError(`${io.inputName(name)} must be one of ${allowed.join(", ")} (got "${value}")`);
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
    throw new errors_InputError(`${step_io/* inputName */.yu(name)} must be true or false (got "${value}")`);
}
/** push-timeout's default, in minutes: long enough for a few GB to a nearby cache, short of holding a runner for hours. */
const PUSH_TIMEOUT_DEFAULT_MIN = 15;
/** The longest push-timeout taken: a day (Node's timers stop at 24.8 days; no CI job runs that long). */
const PUSH_TIMEOUT_MAX_MIN = (/* unused pure expression or super */ null && (24 * 60));
/** A positive number of minutes (decimals allowed: 0.5 is 30 s), as ms; `dflt` minutes when empty. */
function minutesInput(get, name, dflt) {
    const value = get(name).trim();
    if (value === "")
        return dflt * 60_000;
    const n = /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!(n > 0)) {
        throw new InputError(`${io.inputName(name)} must be a number of minutes, got "${value}"; write e.g. ${dflt} (the default) or 2.5`);
    }
    if (n > PUSH_TIMEOUT_MAX_MIN) {
        throw new InputError(`${io.inputName(name)} must be at most ${PUSH_TIMEOUT_MAX_MIN} minutes (a day), got "${value}"`);
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
        throw new InputError(`${io.inputName(name)}: "${text}" is not a URL; write it like https://cache.example.org or file:///srv/cache`);
    }
    if (!schemes.includes(url.protocol)) {
        throw new InputError(`${io.inputName(name)}: "${text}" uses ${url.protocol}// which is not supported here; use one of ${schemes.map((s) => s + "//").join(", ")}`);
    }
    if (url.protocol === "file:" && (url.host !== "" || !url.pathname.startsWith("/"))) {
        throw new InputError(`${io.inputName(name)}: "${text}" must be an absolute file URL with three slashes, like file:///srv/nix-cache`);
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
            throw new InputError(`${io.inputName("trusted-public-keys")}: ${parsed}; give the public key as printed by 'nix key convert-secret-to-public' (name:base64 of 32 bytes)`);
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
        throw new InputError(`${io.inputName("signing-key")}: ${parsed}; pass the secret key file made by 'nix key generate-secret' (or nix-store --generate-binary-cache-key), usually from a secret`);
    }
    const pub = await publicKeyOf(parsed);
    if (pub === undefined) {
        throw new InputError(`${io.inputName("signing-key")}: the key "${parsed.name}" is damaged (its public half does not match its seed); generate it again with 'nix key generate-secret'`);
    }
    return { key, pub };
}
function pushUrl(get) {
    const text = get("push-to").trim();
    if (text === "")
        return undefined;
    return pushTarget(text, parseStoreUrl("push-to", text, PUSH_SCHEMES));
}
function skipUpstreamInput(get) {
    const parsed = parseSkipUpstream(get("skip-upstream"));
    if (typeof parsed === "string")
        throw new InputError(`${io.inputName("skip-upstream")}: ${parsed}`);
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
        throw new InputError(`${io.inputName(name)}: "${text}" is not a valid regular expression (${e.message}); escape special characters like \\. or \\+`);
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
            throw new InputError(`${io.inputName(name)}: line ${i + 1} ("${line}") is not a nix.conf line; write "setting = value", one per line`);
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
            throw new InputError(`${io.inputName("access-tokens")}: each entry must be host=token (e.g. github.com=ghp_…), separated by spaces; one entry is not`);
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
        throw new InputError(`${io.inputName("netrc")}: the text has no "machine" or "default" entry; write "machine cache.example.org login USER password TOKEN"`);
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
        throw new InputError(`${io.inputName("installer-url")}: "${text}" is not a URL; give the full https:// address of the installer binary on your mirror`);
    }
    if (!["http:", "https:", "file:"].includes(url.protocol)) {
        throw new InputError(`${io.inputName("installer-url")}: "${text}" must be an http://, https:// or file:// URL`);
    }
    return text;
}
function sha256(get) {
    const text = get("installer-sha256").trim().toLowerCase();
    if (text === "")
        return "";
    if (!/^[0-9a-f]{64}$/.test(text)) {
        throw new InputError(`${io.inputName("installer-sha256")}: expected 64 hex characters (the output of sha256sum), got "${text}"`);
    }
    return text;
}

;// CONCATENATED MODULE: ./src/publish/inputs.ts


/** A tag as the registry API accepts it (distribution's reference grammar). */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/**
 * Reads and checks the image publication's inputs once, every problem at once, as an InputError
 * that names the input and the fix. `mask` hides the password in the log.
 */
function readPublishInputs(get, mask) {
    const errors = [];
    const password = get("registry-password");
    if (password)
        mask(password);
    const username = get("registry-username");
    if (password && !username)
        errors.push("registry-password is set but registry-username is empty: pass both secrets, or neither for a registry without login");
    const archive = get("archive");
    if (!archive)
        errors.push("archive: empty; pass the path of the image the flake built (the nix build result)");
    const image = get("image");
    const last = image.split("/").at(-1) ?? "";
    if (!image)
        errors.push("image: empty; give the image reference without a tag, e.g. git.example.com/ci/nix-runner");
    else if (/\s/.test(image) || last.includes(":") || last.includes("@")) {
        errors.push(`image: "${image}" must be a reference without tag or digest, e.g. git.example.com/ci/nix-runner (the tags are date-tag and extra-tags)`);
    }
    const dateTag = get("date-tag");
    if (dateTag && !TAG.test(dateTag))
        errors.push(`date-tag: "${dateTag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
    const extraTags = words(get("extra-tags"));
    for (const t of extraTags)
        if (!TAG.test(t))
            errors.push(`extra-tags: "${t}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
    let insecure = false;
    try {
        insecure = boolInput(get, "insecure-registry");
    }
    catch (e) {
        errors.push(e.message);
    }
    const retryText = get("retry-times") || "3";
    const retryTimes = Number(retryText);
    if (!/^\d+$/.test(retryText) || retryTimes > 100)
        errors.push(`retry-times must be a whole number from 0 to 100 (got "${retryText}")`);
    if (errors.length > 0)
        throw new errors_InputError(errors.join("\n"));
    return { archive, image, extraTags, dateTag, insecure, retryTimes, username, password };
}

;// CONCATENATED MODULE: ./src/publish/plan.ts
// The image publication's pure half: which copies to make and the skopeo command lines for them.
// Credentials: the password never appears here (skopeo reads it from stdin into a 0600 auth file).
/**
 * The registry an image reference names: its first path component when that looks like a host (has
 * a . or a :, or is localhost), as docker and skopeo read it; otherwise Docker Hub.
 */
function registryHost(image) {
    const first = image.split("/")[0];
    return image.includes("/") && (/[.:]/.test(first) || first === "localhost") ? first : "docker.io";
}
/** The date tag first, then each other tag once. */
function planTags(image, dateTag, extraTags) {
    const byDigest = [...new Set(extraTags)].filter((t) => t !== dateTag);
    return { first: `${image}:${dateTag}`, byDigest };
}
function loginArgs(o, registry, username) {
    return ["login", "--authfile", o.authfile, ...(o.insecure ? ["--tls-verify=false"] : []), "--username", username, "--password-stdin", registry];
}
function pushArgs(o, archive, ref, digestfile) {
    return [
        "copy", "--authfile", o.authfile, ...(o.insecure ? ["--dest-tls-verify=false"] : []), "--retry-times", String(o.retryTimes),
        "--digestfile", digestfile, `docker-archive:${archive}`, `docker://${ref}`,
    ];
}
/** Same repository, by digest: the registry already has every blob, so only the manifest is sent. */
function tagArgs(o, image, digest, tag) {
    const tls = o.insecure ? ["--src-tls-verify=false", "--dest-tls-verify=false"] : [];
    return ["copy", "--authfile", o.authfile, ...tls, "--retry-times", String(o.retryTimes), "--preserve-digests", `docker://${image}@${digest}`, `docker://${image}:${tag}`];
}
/** What to tell the user when `skopeo login` failed, from what it said. */
function loginFailure(said, registry, username) {
    if (said.includes("HTTP response to HTTPS client")) {
        return `${registry} speaks plain HTTP; set the insecure-registry input to true if that is intended (credentials then travel unencrypted)`;
    }
    if (/401|nauthorized|invalid username\/password/.test(said)) {
        return `login to ${registry} as ${username} was refused: check the registry-username and registry-password secrets`;
    }
    return `login to ${registry} failed (see skopeo's message above)`;
}
/** The job summary: every tag pushed and its one digest. */
function summary(image, plan, digest) {
    const rows = [plan.first, ...plan.byDigest.map((t) => `${image}:${t}`)].map((ref) => `| \`${ref}\` | \`${digest}\` |`);
    return ["### Runner image", "", "| tag | digest |", "|---|---|", ...rows, ""].join("\n");
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
const NIX_COMMAND = (/* unused pure expression or super */ null && (["--extra-experimental-features", "nix-command"]));

;// CONCATENATED MODULE: ./src/publish/skopeo.ts




/** skopeo's command line: skopeo from PATH, else skopeo from nixpkgs through the job's nix. */
function skopeoCommand(env) {
    const skopeo = which("skopeo", env);
    if (skopeo)
        return [skopeo];
    const nix = which("nix", env);
    if (!nix)
        throw new ActionError("neither skopeo nor nix is on PATH: run org/nix-runner-action in a step before this one, or install skopeo on the runner");
    return [nix, ...NIX_FLAKES, "run", "nixpkgs#skopeo", "--"];
}
function skopeoRunner(command, env = process.env) {
    const [cmd, ...prefix] = command;
    return (args, opts = {}) => exec_run(cmd, [...prefix, ...args], { env, input: opts.input, echo: opts.echo });
}

;// CONCATENATED MODULE: ./src/steps/publish-step.ts










/** The publish-image sub-action: push the image once to its date tag, then add the other tags by digest. */
async function runPublish() {
    try {
        await publish();
    }
    catch (err) {
        step_io/* setFailed */.C1(err instanceof ActionError ? err.message : `publish-image failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
}
async function publish() {
    const inputs = readPublishInputs(step_io/* getInput */.V4, step_io/* setSecret */.Pq);
    const dateTag = inputs.dateTag || (await readNixpkgsDate(process.env.GITHUB_WORKSPACE || process.cwd()));
    if (!dateTag)
        throw new ActionError("no date tag: flake.lock has no nixpkgs input with a lastModified date; lock nixpkgs or pass the date-tag input");
    const plan = planTags(inputs.image, dateTag, inputs.extraTags);
    const skopeo = skopeoRunner(skopeoCommand(process.env));
    const registry = registryHost(inputs.image);
    // auth file, digest file and the plain archive: 0700, removed however the step ends
    const dir = await (0,promises_namespaceObject.mkdtemp)(external_node_path_default().join(process.env.RUNNER_TEMP || external_node_os_default().tmpdir(), "publish-image-"));
    try {
        const o = { authfile: external_node_path_default().join(dir, "auth.json"), insecure: inputs.insecure, retryTimes: inputs.retryTimes };
        await (0,promises_namespaceObject.writeFile)(o.authfile, "{}\n", { mode: 0o600 });
        if (inputs.username) {
            const login = await skopeo(loginArgs(o, registry, inputs.username), { input: inputs.password });
            const said = (login.stdout + login.stderr).trim();
            if (said)
                step_io/* info */.pq(said);
            if (login.code !== 0)
                throw new ActionError(loginFailure(said, registry, inputs.username));
        }
        const archive = await plainArchive(inputs.archive, dir);
        const digestfile = external_node_path_default().join(dir, "digest");
        step_io/* info */.pq(`Pushing ${plan.first}`);
        if ((await skopeo(pushArgs(o, archive, plan.first, digestfile), { echo: true })).code !== 0) {
            throw new ActionError(`pushing ${plan.first} failed (see skopeo's message above)`);
        }
        const digest = (await (0,promises_namespaceObject.readFile)(digestfile, "utf8")).trim();
        if (!/^sha256:[0-9a-f]{64}$/.test(digest))
            throw new ActionError(`skopeo wrote "${digest.slice(0, 80)}" to its digest file, not a sha256 digest`);
        for (const tag of plan.byDigest) {
            step_io/* info */.pq(`Tagging ${inputs.image}@${digest} as ${tag}`);
            if ((await skopeo(tagArgs(o, inputs.image, digest, tag), { echo: true })).code !== 0) {
                throw new ActionError(`adding the tag ${tag} to ${inputs.image}@${digest} failed (see skopeo's message above)`);
            }
        }
        step_io/* setOutput */.uH("digest", digest);
        step_io/* setOutput */.uH("date-tag", dateTag);
        step_io/* appendSummary */.fe(summary(inputs.image, plan, digest));
    }
    finally {
        await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
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

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

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
/******/ var __webpack_exports__ = __nccwpck_require__(1520);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
