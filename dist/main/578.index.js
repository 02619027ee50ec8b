export const id = 578;
export const ids = [578];
export const modules = {

/***/ 578:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  installNix: () => (/* binding */ installNix)
});

// EXTERNAL MODULE: ./src/step-io.ts
var step_io = __webpack_require__(7814);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
// EXTERNAL MODULE: ./src/exec.ts
var exec = __webpack_require__(3190);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/nix/daemon.ts
var daemon = __webpack_require__(7883);
;// CONCATENATED MODULE: ./src/install/installer-command.ts


/** The installer's name for this machine, e.g. x86_64-linux; undefined where no installer exists. */
function installerSystem(arch, platform) {
    if (platform !== "linux")
        return undefined;
    const cpu = { x64: "x86_64", arm64: "aarch64" }[arch];
    return cpu ? `${cpu}-linux` : undefined;
}
/** Where each installer publishes its latest binary for `system`. */
function defaultInstallerUrl(installer, system) {
    return installer === "nixos"
        ? `https://artifacts.nixos.org/nix-installer/nix-installer-${system}`
        : `https://install.determinate.systems/nix/nix-installer-${system}`;
}
/**
 * The tool-cache version under which a downloaded installer is kept. A pinned binary is the same
 * forever, so its hash is the key. An unpinned URL (usually "latest") may change, so its key also
 * carries the day: a persistent runner downloads it at most once a day.
 */
function installerCacheVersion(pin, urlDigest, day) {
    return pin ? `0.0.0-sha256-${pin}` : `0.0.0-url-${urlDigest.slice(0, 16)}-${day}`;
}
function parseInstallerHelp(help) {
    return {
        preferUpstreamNix: /--prefer-upstream-nix\b/.test(help),
        determinateOptIn: /--determinate(?![\w-])/.test(help),
        nixPackageUrl: /--nix-package-url\b/.test(help),
    };
}
/**
 * The installer's own settings in the job's environment (both installers read NIX_INSTALLER_*, e.g.
 * NIX_INSTALLER_NIX_PACKAGE_URL for a mirror of the Nix tarball on an air-gapped runner). They are
 * handed on explicitly, because sudo resets the environment.
 */
function installerSettingsFromEnv(env) {
    const out = {};
    for (const [k, v] of Object.entries(env))
        if (/^NIX_INSTALLER_[A-Z0-9_]+$/.test(k) && v !== undefined)
            out[k] = v;
    return out;
}
function privilege(uid, sudo, user) {
    if (uid === 0)
        return { how: "root" };
    if (sudo)
        return { how: "sudo" };
    return {
        how: "none",
        reason: `installing Nix needs root, but this job runs as "${user}" (uid ${uid}) and 'sudo -n' does not work here ` +
            `(the runner image has no sudo, or sudo asks for a password). Run the job as root (for a job container: ` +
            `options: --user root), give "${user}" passwordless sudo in the image, use an image that has Nix (mode: image), ` +
            `or set installer: none to make this check explicit`,
    };
}
/** Which init the installer sets up: the input wins, `auto` follows what PID 1 is. */
function effectiveInit(input, detected) {
    return input === "auto" ? detected : input;
}
/**
 * The exact Nix version a `nix-version` range names, when it names exactly one (`2.24.10`,
 * `=2.24.10`); ranges like `>=2.18` or `2.24.x` name none, and the installer's own Nix is checked instead.
 */
function exactVersion(range) {
    if (!range)
        return undefined;
    let r;
    try {
        r = new (semver_default()).Range(range);
    }
    catch {
        return undefined;
    }
    if (r.set.length !== 1 || r.set[0].length !== 1)
        return undefined;
    const c = r.set[0][0];
    return c.operator === "" && c.semver instanceof (semver_default()).SemVer ? c.semver.version : undefined;
}
/** The upstream release tarball of Nix `version` for `system`, as the installers' --nix-package-url takes it. */
function nixPackageUrl(version, system) {
    return `https://releases.nixos.org/nix/nix-${version}/nix-${version}-${system}.tar.xz`;
}
/**
 * The lines the installer appends to /etc/nix/nix.conf: trust for the job's user, the job's caches,
 * and in a container `sandbox = false`. The sandbox needs namespaces and mounts that container
 * runtimes usually deny (Podman, which Forgejo's runner supports, always; Docker unless privileged),
 * and the NixOS installer's own instructions for `--init none` containers pass exactly this line.
 */
function installerExtraConf(user, substituters, trustedPublicKeys, container) {
    const users = [...new Set(["root", user])];
    const lines = [`trusted-users = ${users.join(" ")}`];
    if (container)
        lines.push("sandbox = false");
    if (substituters.length)
        lines.push(`extra-substituters = ${substituters.join(" ")}`);
    if (trustedPublicKeys.length)
        lines.push(`extra-trusted-public-keys = ${trustedPublicKeys.join(" ")}`);
    return lines.join("\n");
}
/**
 * Variables that keep the installers from reporting home. Determinate's installer documents an empty
 * diagnostic endpoint; its telemetry client also honours DETSYS_IDS_TELEMETRY=disabled, which does not
 * depend on how an empty endpoint is parsed. The NixOS fork has no diagnostics, and ignores both.
 */
const TELEMETRY_OFF = {
    NIX_INSTALLER_DIAGNOSTIC_ENDPOINT: "",
    DETSYS_IDS_TELEMETRY: "disabled",
};
/** The installer's command line for these facts. */
function installCommand(req) {
    const notes = [];
    const args = ["install", "linux", "--no-confirm"];
    if (req.init === "none")
        args.push("--init", "none");
    if (req.installer === "determinate") {
        if (req.offers.preferUpstreamNix)
            args.push("--prefer-upstream-nix");
        else if (!req.offers.determinateOptIn)
            notes.push("this release of Determinate's installer no longer offers --prefer-upstream-nix: it installs Determinate Nix, not upstream Nix");
    }
    const pinned = exactVersion(req.nixVersion);
    // a mirror named in the job's env wins over releases.nixos.org; the installed version is checked after
    if (pinned && !req.settings.NIX_INSTALLER_NIX_PACKAGE_URL) {
        if (req.offers.nixPackageUrl)
            args.push("--nix-package-url", nixPackageUrl(pinned, req.system));
        else
            notes.push(`this installer does not offer --nix-package-url, so it installs its own Nix, not ${pinned}`);
    }
    args.push("--extra-conf", installerExtraConf(req.user, req.substituters, req.trustedPublicKeys, req.container));
    const env = { ...TELEMETRY_OFF, ...req.settings };
    const argv = req.privilege === "root"
        ? [req.binary, ...args]
        : ["sudo", "-n", "env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), req.binary, ...args];
    return { argv, env, notes };
}
/** Where the installers put Nix. `prefix` is /nix except in tests. */
function nixLayout(prefix, home) {
    const defaultProfile = external_node_path_default().join(prefix, "var/nix/profiles/default");
    const userProfile = external_node_path_default().join(home, ".nix-profile");
    return {
        defaultProfile,
        userProfile,
        bin: external_node_path_default().join(defaultProfile, "bin"),
        userBin: external_node_path_default().join(userProfile, "bin"),
        receipt: external_node_path_default().join(prefix, "receipt.json"),
    };
}
/** CA bundles, in the order Nix's own profile script tries them. */
function certCandidates(defaultProfile, userProfile) {
    return [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/ssl/certs/ca-bundle.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        external_node_path_default().join(userProfile, "etc/ssl/certs/ca-bundle.crt"),
        external_node_path_default().join(userProfile, "etc/ca-bundle.crt"),
        external_node_path_default().join(defaultProfile, "etc/ssl/certs/ca-bundle.crt"),
    ];
}
/**
 * What later steps need, as Nix's profile script (nix-daemon.sh) would set it: NIX_PROFILES, and
 * NIX_SSL_CERT_FILE when the job has none and a bundle exists. `exists` answers for certCandidates.
 */
function laterStepEnv(layout, env, exists) {
    const out = { NIX_PROFILES: `${layout.defaultProfile} ${layout.userProfile}` };
    if (!env.NIX_SSL_CERT_FILE) {
        const cert = certCandidates(layout.defaultProfile, layout.userProfile).find(exists);
        if (cert)
            out.NIX_SSL_CERT_FILE = cert;
    }
    return out;
}
/** A daemon is ours to start when nothing else will: no init system, and a user who cannot use the store directly. */
function needsOwnDaemon(init, uid) {
    return init === "none" && uid !== 0;
}
/**
 * The daemon's command line. NIX_REMOTE=local: the daemon serves the store itself; left to Nix's
 * automatic choice, a daemon on a store whose /nix/var/nix is not there yet finds its own socket
 * and connects to itself, again and again, until fork fails. With sudo, the variables that place
 * its socket and state go through `env` too, since sudo resets the environment. Paths only:
 * NIX_CONFIG may hold tokens, and argv is visible to every user; the daemon reads the nix.conf the
 * installer wrote.
 */
function daemonCommand(daemon, priv, env) {
    if (priv === "root")
        return ["env", "NIX_REMOTE=local", daemon];
    const keep = ["NIX_DAEMON_SOCKET_PATH", "NIX_STATE_DIR", "NIX_CONF_DIR"].filter((k) => env[k]);
    return ["sudo", "-n", "env", "NIX_REMOTE=local", ...keep.map((k) => `${k}=${env[k]}`), daemon];
}

// EXTERNAL MODULE: ./node_modules/@actions/cache/lib/cache.js + 340 modules
var cache = __webpack_require__(1691);
// EXTERNAL MODULE: ./node_modules/@actions/tool-cache/lib/tool-cache.js + 2 modules
var tool_cache = __webpack_require__(9805);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/install/installer-download.ts











const FILE = "nix-installer";
async function sha256File(file) {
    const hash = (0,external_node_crypto_.createHash)("sha256");
    for await (const chunk of (0,external_node_fs_.createReadStream)(file))
        hash.update(chunk);
    return hash.digest("hex");
}
function verify(actual, req, from) {
    if (req.sha256 && actual !== req.sha256) {
        throw new errors/* ActionError */.l(`installer-sha256: the installer from ${from} has sha256 ${actual}, but installer-sha256 is ${req.sha256}; ` +
            `refusing to run it. Check that the mirror serves the release you pinned, or update the pin`);
    }
}
/** The Actions cache is worth asking only where a cache service is configured; elsewhere it is skipped quietly. */
function cacheServiceConfigured(env) {
    return Boolean(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL);
}
async function download(url, dest) {
    // An earlier run in this job may have left a copy (tool-cache refuses to overwrite one).
    await (0,promises_.rm)(dest, { force: true });
    if (url.startsWith("file:")) {
        await (0,promises_.copyFile)((0,external_node_url_.fileURLToPath)(url), dest);
        return;
    }
    try {
        await tool_cache/* downloadTool */.bq(url, dest);
    }
    catch (e) {
        const status = e instanceof tool_cache/* HTTPError */.Hl ? ` (HTTP ${e.httpStatusCode ?? "error"})` : "";
        throw new errors/* ActionError */.l(`could not download the installer from ${url}${status}: ${e.message}. ` +
            `Runners without internet access need installer-url pointing to a mirror they can reach`);
    }
}
/**
 * The folder the Actions cache saves and restores the installer from. @actions/cache makes the paths
 * part of the cache version, so a restore finds only what was saved from the same path: a folder under
 * RUNNER_TEMP never matches on runners that make a new RUNNER_TEMP per job (act, and Gitea's and
 * Forgejo's runners in host mode). This one is the same in every job of a user, and one per user,
 * since its content runs as root and must not be writable by anyone else.
 */
function actionsCacheDir(tmpDir, uid, tool, system, version) {
    return external_node_path_default().join(tmpDir, `nix-runner-action-installer-cache-${uid}`, `${tool}-${system}-${version}`);
}
/** Why `dir` (created if missing) is not safe to keep a binary that runs as root in; undefined when it is. */
async function notPrivate(dir) {
    try {
        await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
        const st = await (0,promises_.lstat)(dir);
        const uid = process.getuid?.() ?? 0;
        if (!st.isDirectory())
            return `${dir} is not a directory`;
        if (st.uid !== uid)
            return `${dir} belongs to uid ${st.uid}, not to this job's uid ${uid}`;
        if (st.mode & 0o022)
            return `${dir} can be written by other users (mode ${(st.mode & 0o777).toString(8)})`;
        return undefined;
    }
    catch (e) {
        return `${dir} cannot be created (${e.message})`;
    }
}
/**
 * Puts the Actions cache's copy into this job's folder. False when there is none: a miss, a cache
 * service that fails (a warning), or an entry saved from a workspace elsewhere, whose relative paths
 * @actions/cache unpacked somewhere else.
 */
async function restoreFromActionsCache(shared, key, dest) {
    const file = external_node_path_default().join(shared, FILE);
    try {
        await (0,promises_.rm)(file, { force: true });
        if (!(await cache/* restoreCache */.P3([shared], key)))
            return false;
        if (!(0,external_node_fs_.existsSync)(file)) {
            step_io/* warning */.$e(`The Actions cache entry ${key} was restored, but not to ${file}; downloading the installer instead`);
            return false;
        }
        await (0,promises_.copyFile)(file, dest);
        return true;
    }
    catch (e) {
        step_io/* warning */.$e(`The Actions cache could not be read (${e.message}); downloading the installer instead`);
        return false;
    }
}
async function saveToActionsCache(shared, key, from) {
    const file = external_node_path_default().join(shared, FILE);
    // Another job of this user may be restoring into the same folder: never show it a half-written file.
    const part = `${file}.${process.pid}.part`;
    try {
        await (0,promises_.copyFile)(from, part);
        await (0,promises_.rename)(part, file);
        await cache/* saveCache */.Io([shared], key);
    }
    catch (e) {
        step_io/* warning */.$e(`The installer could not be saved to the Actions cache (${e.message}); the next run downloads it again`);
    }
    finally {
        await (0,promises_.rm)(part, { force: true });
    }
}
/**
 * The installer binary, from the cheapest place that has it: the runner's tool cache (persistent
 * runners download once), the Actions cache (ephemeral runners with a cache service), else the URL.
 * Whatever the source, the binary that runs is this job's own copy (or the tool cache's), and the pin
 * is checked on it before the path is returned.
 */
async function fetchInstaller(req) {
    const env = req.env ?? process.env;
    const tool = toolOf(req);
    const toolCache = Boolean(env.RUNNER_TOOL_CACHE);
    const cached = toolCache ? await fromToolCache(tool, req) : undefined;
    if (cached)
        return cached;
    const own = external_node_path_default().join(req.workDir, "installer", FILE);
    await (0,promises_.mkdir)(external_node_path_default().dirname(own), { recursive: true });
    const cacheKey = `nix-runner-action-${tool.name}-${req.system}-${tool.version}`;
    const shared = await sharedFolder(tool, req, env);
    try {
        const source = shared && (await restoreFromActionsCache(shared, cacheKey, own)) ? "actions-cache" : "download";
        if (source === "actions-cache") {
            step_io/* info */.pq(`Restored the installer from the Actions cache (${cacheKey})`);
        }
        else {
            step_io/* info */.pq(`Downloading the installer from ${req.url}`);
            await download(req.url, own);
        }
        const sum = await verifiedSum(own, req, source === "download" ? req.url : `the Actions cache (${cacheKey})`);
        step_io/* info */.pq(`installer sha256: ${sum}${req.sha256 ? " (matches installer-sha256)" : ""}`);
        await (0,promises_.chmod)(own, 0o755);
        if (shared && source === "download")
            await saveToActionsCache(shared, cacheKey, own);
        return { path: toolCache ? await keepInToolCache(own, tool, req.system, env) : own, sha256: sum, source };
    }
    finally {
        // The shared folder only carries the binary to and from the Actions cache; this job runs its own copy.
        if (shared)
            await (0,promises_.rm)(shared, { recursive: true, force: true });
    }
}
function toolOf(req) {
    const day = (req.now ?? new Date()).toISOString().slice(0, 10).replace(/-/g, "");
    return { name: `nix-installer-${req.installer}`, version: installerCacheVersion(req.sha256, (0,external_node_crypto_.createHash)("sha256").update(req.url).digest("hex"), day) };
}
/** The runner's tool cache's copy, checked against the pin, if it has one. */
async function fromToolCache(tool, req) {
    const dir = tool_cache/* find */.I6(tool.name, tool.version, req.system);
    if (!dir)
        return undefined;
    const file = external_node_path_default().join(dir, FILE);
    const sum = await sha256File(file);
    verify(sum, req, `the tool cache (${file})`);
    step_io/* info */.pq(`Using the installer from the runner's tool cache: ${file}`);
    return { path: file, sha256: sum, source: "tool-cache" };
}
/** The folder the Actions cache saves from and restores to, when there is a cache service and the folder is safe. */
async function sharedFolder(tool, req, env) {
    if (!cacheServiceConfigured(env)) {
        step_io/* info */.pq("No cache service configured (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL unset): not using the Actions cache");
        return undefined;
    }
    const dir = actionsCacheDir(req.tmpDir ?? external_node_os_default().tmpdir(), process.getuid?.() ?? 0, tool.name, req.system, tool.version);
    const unsafe = await notPrivate(external_node_path_default().dirname(dir));
    if (unsafe) {
        step_io/* warning */.$e(`Not using the Actions cache for the installer: ${unsafe}. Remove it, or set TMPDIR to a folder of this user's own`);
        return undefined;
    }
    await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
    return dir;
}
/** `file`'s sha256, checked against the pin; a file that fails the check is removed. `from`: where it came from, for the error. */
async function verifiedSum(file, req, from) {
    const sum = await sha256File(file);
    try {
        verify(sum, req, from);
    }
    catch (e) {
        await (0,promises_.rm)(file, { force: true });
        throw e;
    }
    return sum;
}
/** The tool cache's copy of `own`, or `own` itself when the tool cache cannot take it. */
async function keepInToolCache(own, tool, system, env) {
    try {
        const dir = await tool_cache/* cacheFile */.NJ(own, FILE, tool.name, tool.version, system);
        const file = external_node_path_default().join(dir, FILE);
        await (0,promises_.chmod)(file, 0o755);
        return file;
    }
    catch (e) {
        // A tool cache this user cannot write (a root-owned folder under a non-root job) costs a download next time, nothing more.
        step_io/* warning */.$e(`The installer could not be kept in the runner's tool cache ${env.RUNNER_TOOL_CACHE} (${e.message}); using this job's copy`);
        return own;
    }
}

// EXTERNAL MODULE: ./src/nix/locate.ts
var locate = __webpack_require__(6545);
// EXTERNAL MODULE: ./src/nix/version.ts + 1 modules
var version = __webpack_require__(2980);
// EXTERNAL MODULE: ./src/job-dir.ts
var job_dir = __webpack_require__(4374);
;// CONCATENATED MODULE: ./src/install/install.ts














/**
 * Knobs for this repository's tests only, never documented for users: the installers' download
 * origin (tests serve a stand-in installer on 127.0.0.1), the folder that stands for /nix, and the
 * daemon wait. Users point at a mirror with the installer-url input.
 */
const TEST_DOWNLOAD_ORIGIN = "NIX_RUNNER_ACTION_TEST_DOWNLOAD_ORIGIN";
const TEST_NIX_PREFIX = "NIX_RUNNER_ACTION_TEST_NIX_PREFIX";
const TEST_DAEMON_TIMEOUT_MS = "NIX_RUNNER_ACTION_TEST_DAEMON_TIMEOUT_MS";
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const DAEMON_TIMEOUT_MS = 30_000;
function installerUrl(inputs, installer, system, env) {
    if (inputs.installerUrl)
        return inputs.installerUrl;
    const url = new URL(defaultInstallerUrl(installer, system));
    const origin = env[TEST_DOWNLOAD_ORIGIN];
    return origin ? `${origin.replace(/\/+$/, "")}${url.pathname}` : url.toString();
}
/** Installs Nix where it is absent and returns the facts as they are afterwards. */
async function installNix(inputs, facts, envr) {
    const plan = planInstall(inputs, facts, envr, process.env);
    await (0,promises_.mkdir)(plan.workDir, { recursive: true, mode: 0o700 });
    const { layout, env } = plan;
    if ((0,external_node_fs_.existsSync)(external_node_path_default().join(layout.bin, "nix"))) {
        step_io/* info */.pq(`Nix is already installed at ${layout.bin} (an earlier run in this job, or an earlier job on this machine): not installing again`);
    }
    else {
        await runInstaller(inputs, facts, plan);
    }
    // The user profile first, as Nix's own profile script orders them.
    step_io/* addPath */.fM(layout.bin);
    step_io/* addPath */.fM(layout.userBin);
    for (const [k, v] of Object.entries(laterStepEnv(layout, env, external_node_fs_.existsSync)))
        step_io/* exportVariable */.dN(k, v);
    const viaDaemon = await daemonFor(plan, facts);
    const nixPath = external_node_path_default().join(layout.bin, "nix");
    const nixVersion = await (0,locate/* nixVersionOf */.z9)(nixPath, env);
    checkVersion(inputs.nixVersion, nixVersion);
    step_io/* info */.pq(`Installed ${(0,version/* describeNix */.Tg)(nixVersion)} at ${layout.bin} with the ${plan.installer} installer (init: ${plan.init})`);
    const daemonSocket = (0,external_node_fs_.existsSync)((0,daemon/* daemonSocketPath */.$Q)(env));
    return { ...facts, nixPath, nixVersion, daemonSocket, viaDaemon, storeWritable: facts.uid === 0, autoPicksDaemon: viaDaemon };
}
/** The install's plan, or why there can be none here. */
function planInstall(inputs, facts, envr, env) {
    if (inputs.installer === "none") {
        throw new errors/* ActionError */.l(`installer is "none" and this job has no Nix${inputs.mode === "install" ? " to use (mode: install asks for one)" : " on PATH"}; ` +
            `run the job in an image with Nix (mode: image), on a host with a Nix daemon (mode: native), or allow an installer (installer: nixos)`);
    }
    const system = installerSystem(process.arch, process.platform);
    if (!system) {
        throw new errors/* ActionError */.l(`installing Nix is supported on x86_64 and aarch64 Linux; this job runs on ${process.platform}/${process.arch}`);
    }
    const priv = privilege(facts.uid, facts.sudo, facts.user);
    if (priv.how === "none")
        throw new errors/* ActionError */.l(priv.reason);
    return {
        installer: inputs.installer,
        system,
        priv: priv.how,
        init: effectiveInit(inputs.init, envr.init),
        layout: nixLayout(env[TEST_NIX_PREFIX] || "/nix", env.HOME || external_node_os_default().homedir()),
        workDir: (0,job_dir/* jobDir */.jy)(env),
        env,
    };
}
/** Fetches the installer and runs it; it must leave a nix where the layout says. */
async function runInstaller(inputs, facts, plan) {
    const { installer, system, workDir, env } = plan;
    const url = installerUrl(inputs, installer, system, env);
    if (url.startsWith("http:") && !inputs.installerSha256) {
        step_io/* warning */.$e(`installer-url: ${url} is plain http and not pinned, and the installer runs as root: anyone on the way can change it. ` +
            `Set installer-sha256 (the output of sha256sum on the binary), or serve it over https`);
    }
    const fetched = await fetchInstaller({ installer, system, url, sha256: inputs.installerSha256, workDir, env });
    const cmd = await commandFor(fetched.path, inputs, facts, plan);
    for (const note of cmd.notes)
        step_io/* warning */.$e(`installer: ${note}`);
    const r = await (0,exec/* run */.eF)(cmd.argv[0], cmd.argv.slice(1), { env: { ...env, ...cmd.env }, echo: true, timeoutMs: INSTALL_TIMEOUT_MS });
    if (r.code !== 0) {
        throw new errors/* ActionError */.l(`the Nix installer ${r.timedOut ? `ran longer than ${INSTALL_TIMEOUT_MS / 60_000} minutes and was stopped` : `failed (exit ${r.code}): ${(0,exec/* firstError */.bv)(r)}`}; ` +
            `its full output is in the "Install Nix" group of this log`);
    }
    if (!(0,external_node_fs_.existsSync)(external_node_path_default().join(plan.layout.bin, "nix"))) {
        throw new errors/* ActionError */.l(`the Nix installer reported success, but there is no nix at ${plan.layout.bin}; see its output in the "Install Nix" group of this log`);
    }
}
/** The installer's command line, for what this installer binary says it offers (its --help). */
async function commandFor(binary, inputs, facts, plan) {
    const help = await (0,exec/* run */.eF)(binary, ["install", "linux", "--help"], { env: plan.env, timeoutMs: 60_000 });
    return installCommand({
        installer: plan.installer,
        binary,
        init: plan.init,
        privilege: plan.priv,
        user: facts.user,
        container: facts.container,
        substituters: inputs.substituters,
        trustedPublicKeys: inputs.trustedPublicKeys,
        nixVersion: inputs.nixVersion,
        system: plan.system,
        offers: parseInstallerHelp(help.code === 0 ? help.stdout + help.stderr : ""),
        settings: installerSettingsFromEnv(plan.env),
    });
}
/**
 * Whether later steps reach the store through a daemon; starts one for the job where no init
 * system does and the user is not root.
 */
async function daemonFor(plan, facts) {
    const { env, init } = plan;
    if (!needsOwnDaemon(init, facts.uid))
        return init === "systemd" && facts.uid !== 0;
    const socket = (0,daemon/* daemonSocketPath */.$Q)(env);
    if (await (0,daemon/* socketAnswers */.Nv)(socket)) {
        step_io/* info */.pq(`A Nix daemon already listens on ${socket}`);
        return true;
    }
    const argv = daemonCommand(external_node_path_default().join(plan.layout.bin, "nix-daemon"), plan.priv, env);
    const timeout = Number(env[TEST_DAEMON_TIMEOUT_MS]) || DAEMON_TIMEOUT_MS;
    const d = await (0,daemon/* startDaemon */.LC)(argv, socket, (0,job_dir/* jobFiles */.DE)(plan.workDir).daemonLog, timeout, env);
    // Where a later step (or a person) finds the daemon this job started, to stop it by its PID.
    await (0,promises_.writeFile)((0,job_dir/* daemonPidFile */.IF)(env), `${d.pid}\n`);
    step_io/* info */.pq(`Started nix-daemon (pid ${d.pid}) for this job: there is no init system, and "${facts.user}" is not root; its log: ${d.log}`);
    return true;
}
/** nix-version, when given, must be what the installer installed. */
function checkVersion(wanted, installed) {
    if (!wanted || (installed && semver_default().satisfies(installed.upstream, wanted, { includePrerelease: true })))
        return;
    const pinned = exactVersion(wanted);
    throw new errors/* ActionError */.l(`nix-version: the installer installed ${(0,version/* describeNix */.Tg)(installed)}, which does not satisfy "${wanted}". ` +
        (pinned
            ? `The installer was asked for ${pinned} and did not install it: check that this installer release can install it`
            : `Installers bring their own Nix; name one exact version (e.g. nix-version: 2.24.10) to have it fetched, or use an installer release (installer-url) whose Nix matches`));
}


/***/ })

};
