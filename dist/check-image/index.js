import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 8347:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _steps_check_image_step_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5767);
/* harmony import */ var _unhandled_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(9432);


(0,_unhandled_js__WEBPACK_IMPORTED_MODULE_1__/* .reportUnhandledRejections */ ._)("check-image", "fail");
await (0,_steps_check_image_step_js__WEBPACK_IMPORTED_MODULE_0__/* .runCheckImage */ .x)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 7814:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   lS: () => (/* binding */ raw),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   z3: () => (/* binding */ error)
/* harmony export */ });
/* unused harmony exports summaryHtml, actionsIo, useFlavour, getInput, inputName, stepName, setOutput, exportVariable, addPath, saveState, getState, setSecret, appendSummary, jobDir, appendSummaryTable, group */
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

/***/ 5767:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  x: () => (/* binding */ runCheckImage)
});

// EXTERNAL MODULE: ./src/step-io.ts
var step_io = __nccwpck_require__(7814);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
var external_node_os_default = /*#__PURE__*/__nccwpck_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
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
        return realpathSync(p);
    }
    catch {
        return p;
    }
}

;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./src/nix/features.ts
/**
 * The arguments that turn on the `nix` command and flakes for one command, whatever the machine's
 * nix.conf enables: every `nix` run of the action that builds, copies, runs or updates a flake.
 */
const NIX_FLAKES = (/* unused pure expression or super */ null && (["--extra-experimental-features", "nix-command flakes"]));
/**
 * The `nix` command alone, for commands that read Nix's configuration: there, flakes turned on by
 * the command line would read back as if the machine's nix.conf enabled them.
 */
const NIX_COMMAND = ["--extra-experimental-features", "nix-command"];

;// CONCATENATED MODULE: ./src/publish/image-check.ts




const TOOLS = ["nix", "node", "bash", "git", "tar", "gzip", "zstd", "env", "sh"];
const IMAGE_PATHS = { env: "/usr/bin/env", tmp: "/tmp", passwd: "/etc/passwd", group: "/etc/group" };
/** Every check, in the order they are reported. The CA bundle is the one Nix and git would use. */
function imageChecks(env, p = IMAGE_PATHS) {
    const ca = env.NIX_SSL_CERT_FILE || env.SSL_CERT_FILE || "";
    return [
        ...TOOLS.map((command) => ({ label: `${command} is on PATH`, probe: { kind: "on-path", command } })),
        { label: `${p.env} is executable`, probe: { kind: "executable", path: p.env } },
        { label: `${p.tmp} is a directory`, probe: { kind: "directory", path: p.tmp } },
        { label: `${p.tmp} is writable`, probe: { kind: "writable", path: p.tmp } },
        { label: ca ? `the CA bundle ${ca} is readable` : "a CA bundle is set (NIX_SSL_CERT_FILE or SSL_CERT_FILE)", probe: { kind: "readable", path: ca } },
        { label: `${p.passwd} has root`, probe: { kind: "has-root", path: p.passwd } },
        { label: `${p.group} has root`, probe: { kind: "has-root", path: p.group } },
        { label: "flakes enabled", probe: { kind: "flakes" } },
        { label: "nix evaluates 1 + 1", probe: { kind: "nix-eval" } },
    ];
}
/** The experimental-features line of `nix show-config` lists flakes. */
function flakesEnabled(showConfig) {
    const line = showConfig.split("\n").find((l) => l.startsWith("experimental-features = "));
    return line !== undefined && line.slice("experimental-features = ".length).split(/\s+/).includes("flakes");
}
async function checkOne(probe, env) {
    const can = (path, mode) => (0,promises_namespaceObject.access)(path, mode).then(() => true, () => false);
    switch (probe.kind) {
        case "on-path":
            return which(probe.command, env) !== undefined;
        case "executable":
            return (await (0,promises_namespaceObject.stat)(probe.path).then((s) => s.isFile(), () => false)) && can(probe.path, promises_namespaceObject.constants.X_OK);
        case "directory":
            return (0,promises_namespaceObject.stat)(probe.path).then((s) => s.isDirectory(), () => false);
        case "writable":
            return can(probe.path, promises_namespaceObject.constants.W_OK);
        case "readable":
            return probe.path !== "" && can(probe.path, promises_namespaceObject.constants.R_OK);
        case "has-root":
            return (0,promises_namespaceObject.readFile)(probe.path, "utf8").then((t) => /^root:/m.test(t), () => false);
        case "flakes": {
            const nix = which("nix", env);
            const r = nix ? await exec_run(nix, [...NIX_COMMAND, "show-config"], { env }) : undefined;
            return r !== undefined && r.code === 0 && flakesEnabled(r.stdout);
        }
        case "nix-eval": {
            const nix = which("nix", env);
            const r = nix ? await exec_run(nix, [...NIX_COMMAND, "eval", "--expr", "1 + 1"], { env }) : undefined;
            return r !== undefined && r.code === 0 && r.stdout.trim() === "2";
        }
    }
}

;// CONCATENATED MODULE: ./src/steps/check-image-step.ts




/** The check-image sub-action: every check reported, the step failed when one fails. */
async function runCheckImage(env = process.env) {
    try {
        let failed = 0;
        for (const c of imageChecks(env)) {
            if (await checkOne(c.probe, env))
                step_io/* info */.pq(`ok: ${c.label}`);
            else {
                failed++;
                step_io/* error */.z3(c.probe.kind === "flakes" ? "flakes are not enabled in the image's nix.conf" : `image check failed: ${c.label}`);
            }
        }
        const nix = which("nix", env);
        if (nix)
            step_io/* info */.pq((await exec_run(nix, ["--version"], { env })).stdout.trim());
        if (failed > 0)
            step_io/* setFailed */.C1(`${failed} image check${failed > 1 ? "s" : ""} failed (see above)`);
    }
    catch (err) {
        step_io/* setFailed */.C1(`check-image failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
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
/******/ var __webpack_exports__ = __nccwpck_require__(8347);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
