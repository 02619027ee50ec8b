export const id = 176;
export const ids = [176];
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

/***/ 7883:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $Q: () => (/* binding */ daemonSocketPath),
/* harmony export */   LC: () => (/* binding */ startDaemon),
/* harmony export */   Nv: () => (/* binding */ socketAnswers)
/* harmony export */ });
/* unused harmony exports waitForSocket, stopOwnDaemon */
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
    const pidFile = daemonPidFile(env);
    const text = await readFile(pidFile, "utf8").catch(() => "");
    const pid = Number(text.trim());
    if (!Number.isInteger(pid) || pid <= 1)
        return;
    if (signal(pid, 0) || (await run("sudo", ["-n", "kill", "-0", String(pid)], { env })).code === 0) {
        if (!signal(-pid, "SIGTERM") && !signal(pid, "SIGTERM")) {
            await run("sudo", ["-n", "kill", "-TERM", "--", `-${pid}`], { env });
        }
        for (let i = 0; i < 50 && signal(pid, 0); i++)
            await new Promise((r) => setTimeout(r, 100));
        io.info(`Stopped the nix-daemon (pid ${pid}) this job started`);
    }
    await rm(pidFile, { force: true });
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

/***/ 2462:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   UN: () => (/* binding */ save),
/* harmony export */   zv: () => (/* binding */ StateKey)
/* harmony export */ });
/* unused harmony export load */
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
    const raw = io.getState(key);
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

/***/ 8176:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: ./src/step-io.ts
var step_io = __webpack_require__(7814);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/exec.ts
var exec = __webpack_require__(3190);
// EXTERNAL MODULE: ./src/job-dir.ts
var job_dir = __webpack_require__(4374);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
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
var version = __webpack_require__(2980);
;// CONCATENATED MODULE: ./src/nix/config.ts


/**
 * The spellings of the command that prints the settings in effect, the one this Nix should know
 * first: Nix 2.20 and Lix 2.90 renamed `nix show-config` to `nix config show` (the old name is an
 * alias that warns since); older and unknown versions get the old name, which every version up to
 * 2.34 still answers. The other is what to try when Nix refuses the first (nix/spelling.ts).
 */
async function configShowArgs(nix) {
    const both = [["config", "show"], ["show-config"]];
    return (await (0,version/* supports */.xY)(nix, "configShow")) ? both : both.reverse();
}
/** `nix store info` since Nix 2.20, `nix store ping` before (an alias that warns since) and in Lix, as for configShowArgs. */
async function storeInfoArgs(nix) {
    const both = [["store", "info"], ["store", "ping"]];
    return (await (0,version/* supports */.xY)(nix, "storeInfo")) ? both : both.reverse();
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
        step_io/* warning */.$e(`${(0,version/* describeNix */.Tg)(cmd.version)} refused '${shown(spelling)}' (${refusal}); the action asks '${shown(next)}' instead`);
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
    if (!(await (0,version/* supports */.xY)(facts.nixVersion, "storeTrusted")))
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
    if (!(await (0,version/* satisfiesRange */.jY)(nix, inputs.nixVersion))) {
        // a fork is checked as the upstream release it has the features of
        const as = nix?.implementation === "lix" ? `, checked as Nix ${nix.upstream}` : "";
        throw new src_errors/* ActionError */.l(`${step_io/* inputName */.yu("nix-version")}: this job's Nix is ${(0,version/* describeNix */.Tg)(nix).replace(/^Nix /, "")}${as}, which does not satisfy "${inputs.nixVersion}"; ` +
            `the action never replaces a Nix it did not install: use an image or host with a matching Nix, or widen ${step_io/* inputName */.yu("nix-version")}`);
    }
}

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
        __webpack_require__.e(/* import() */ 183).then(__webpack_require__.bind(__webpack_require__, 8183)),
        __webpack_require__.e(/* import() */ 218).then(__webpack_require__.bind(__webpack_require__, 7837)),
        __webpack_require__.e(/* import() */ 549).then(__webpack_require__.bind(__webpack_require__, 1549)),
    ]);
    await start(inputs, queueFile, storeDir, (0,job_dir/* jobDir */.jy)(), limitsFrom(process.env, inputs.pushTimeoutMs), lifetimeFor(envr.platform, process.env, Date.now(), process.ppid));
}
async function checkPushTo(target, nixVersion) {
    const { checkPushSettings } = await __webpack_require__.e(/* import() */ 854).then(__webpack_require__.bind(__webpack_require__, 2854));
    await checkPushSettings(target, nixVersion);
}
async function preparePush(inputs, facts, trust) {
    const { preparePush: prepare } = await __webpack_require__.e(/* import() */ 121).then(__webpack_require__.bind(__webpack_require__, 7121));
    return prepare(inputs, facts, trust, (0,job_dir/* jobDir */.jy)());
}


/***/ })

};
