export const id = 854;
export const ids = [854];
export const modules = {

/***/ 2854:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkPushSettings: () => (/* binding */ checkPushSettings)
});

// EXTERNAL MODULE: ./src/step-io.ts
var step_io = __webpack_require__(7814);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/push-target.ts
var push_target = __webpack_require__(7409);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/exec.ts
var exec = __webpack_require__(3190);
// EXTERNAL MODULE: ./src/nix/features.ts
var features = __webpack_require__(9560);
;// CONCATENATED MODULE: ./src/nix/store-settings.ts





/** The store types of push-to's schemes, by the names `nix describe-stores --json` gives them (Nix 2.4 to 2.19). */
const DESCRIBED_AS = {
    "file:": "Local Binary Cache Store",
    "http:": "Http Binary Cache Store",
    "https:": "Http Binary Cache Store",
    "s3:": "S3 Binary Cache Store",
    "ssh:": "Legacy SSH Store",
    "ssh-ng:": "SSH Store",
};
const BINARY_CACHE = ["compression", "compression-level", "index-debug-info", "local-nar-cache", "parallel-compression", "secret-key", "write-nar-listing"];
const ANY_STORE = ["path-info-cache-size", "priority", "store", "system-features", "trusted", "want-mass-query"];
const SSH = ["base64-ssh-public-host-key", "compress", "max-connections", "remote-program", "remote-store", "ssh-key"];
/** Binary-cache settings Nix 2.34 has and 2.8 and 2.26 do not. */
const BINARY_CACHE_2_34 = ["secret-keys", "narinfo-compression", "ls-compression", "log-compression"];
/**
 * What a Nix that cannot say (neither `nix describe-stores --json` nor `nix help-stores` answers, as
 * a fork may) is taken to accept: every setting that Nix 2.8, 2.26 or 2.34 listed for the scheme's
 * store (measured with each). A union, so a setting one of them takes is never refused; a misspelt
 * one is. S3: 2.34's list (Debian's 2.8 and 2.26 have no S3 store), and `buffer-size`, which older
 * S3 stores took.
 */
const RECORDED_SETTINGS = {
    "file:": [...ANY_STORE, ...BINARY_CACHE, ...BINARY_CACHE_2_34],
    "http:": [...ANY_STORE, ...BINARY_CACHE, ...BINARY_CACHE_2_34, "tls-certificate", "tls-private-key"],
    "https:": [...ANY_STORE, ...BINARY_CACHE, ...BINARY_CACHE_2_34, "tls-certificate", "tls-private-key"],
    "s3:": [
        ...ANY_STORE, ...BINARY_CACHE, ...BINARY_CACHE_2_34, "tls-certificate", "tls-private-key",
        "addressing-style", "buffer-size", "endpoint", "multipart-chunk-size", "multipart-threshold", "multipart-upload", "profile", "region", "scheme", "storage-class",
    ],
    "ssh:": [...ANY_STORE, ...SSH, "log-fd"],
    "ssh-ng:": [...ANY_STORE, ...SSH, "max-connection-age"],
};
/** `nix describe-stores --json` (Nix 2.4 to 2.19): each store type's settings, by push-to scheme. */
function parseDescribeStores(json) {
    const all = JSON.parse(json);
    const out = new Map();
    for (const [scheme, name] of Object.entries(DESCRIBED_AS)) {
        const settings = all[name];
        if (settings && typeof settings === "object")
            out.set(scheme, new Set(Object.keys(settings)));
    }
    return out;
}
/**
 * `nix help-stores` (Nix 2.20 on): one section per store type, its schemes on a line
 * `Store URL format: http://..., https://...`, then its settings as one-word bullets (`· name`,
 * in the text rendering). By scheme (with its colon, as PushTarget's).
 */
function parseHelpStores(text) {
    const out = new Map();
    let current = [];
    for (const line of text.split("\n")) {
        if (/^\s*Store URL format:/.test(line)) {
            current = [...line.matchAll(/([a-z][a-z0-9+.-]*):\/\//g)].map((m) => {
                const set = out.get(`${m[1]}:`) ?? new Set();
                out.set(`${m[1]}:`, set);
                return set;
            });
            continue;
        }
        const bullet = line.match(/^\s*[·*-]\s+`?([a-z][a-z0-9-]*)`?\s*$/);
        if (bullet)
            for (const s of current)
                s.add(bullet[1]);
    }
    // a section whose settings were not recognised says nothing (it must not make every setting unknown)
    for (const [scheme, set] of out)
        if (set.size === 0)
            out.delete(scheme);
    return out;
}
/** Asks the Nix on PATH which settings each store type takes; a Nix that cannot say gets RECORDED_SETTINGS. */
async function storeSettings(env) {
    const described = await (0,exec/* run */.eF)("nix", [...features/* NIX_FLAKES */.f, "describe-stores", "--json"], { env, timeoutMs: 30_000 });
    if (described.code === 0) {
        try {
            const byScheme = parseDescribeStores(described.stdout);
            if (byScheme.size > 0)
                return { byScheme, source: "nix describe-stores --json", hasStoreInfo: false };
        }
        catch {
            /* not its JSON: try the next way */
        }
    }
    const help = await (0,exec/* run */.eF)("nix", [...features/* NIX_FLAKES */.f, "help-stores"], { env: { ...env, NO_COLOR: "1", PAGER: "cat" }, timeoutMs: 30_000 });
    if (help.code === 0) {
        const byScheme = parseHelpStores(help.stdout);
        if (byScheme.size > 0)
            return { byScheme, source: "nix help-stores", hasStoreInfo: true };
    }
    const byScheme = new Map(Object.entries(RECORDED_SETTINGS).map(([s, names]) => [s, new Set(names)]));
    return { byScheme, source: "a recorded table (this Nix answers neither nix describe-stores --json nor nix help-stores)", hasStoreInfo: false };
}
/**
 * Opens a stand-in local binary cache (a folder of its own, removed after) with `settings`, which
 * must be settings of a Local Binary Cache Store: Nix checks their values as it opens it (a Boolean
 * that is not one, a number that is not one; 2.34 a compression method too). Nothing reaches the
 * real cache. The refused setting, or undefined; `unclear`: Nix failed for another reason (its
 * words), and nothing is known about the values.
 */
async function standInRefusal(settings, hasStoreInfo, env) {
    if (settings.length === 0)
        return undefined;
    const dir = await (0,promises_.mkdtemp)(external_node_path_default().join(external_node_os_default().tmpdir(), "nix-runner-settings-"));
    try {
        const query = new URLSearchParams(settings).toString();
        const r = await (0,exec/* run */.eF)("nix", [...features/* NIX_FLAKES */.f, "store", hasStoreInfo ? "info" : "ping", "--store", `file://${dir}?${query}`], { env, timeoutMs: 30_000 });
        if (r.code === 0)
            return undefined;
        const line = r.stderr.split("\n").find((l) => l.startsWith("error:"))?.replace(/^error:\s*/, "").trim() ?? (r.timedOut ? "timed out" : r.stderr.trim());
        const name = line.match(/(?:setting|option) '([^']+)' has invalid value/)?.[1];
        return name ? { name, message: line } : { unclear: line };
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}

// EXTERNAL MODULE: ./src/nix/version.ts + 1 modules
var version = __webpack_require__(2980);
;// CONCATENATED MODULE: ./src/push/check-target.ts





/**
 * Main's check of push-to's settings (its query) against the Nix in use, before anything is written:
 * a name this Nix does not take for the store (it would warn "unknown setting" and push without it),
 * a compression method it has no compressor for, or a value it refuses when it opens the store, is
 * bad input naming push-to and the setting. Values are asked of Nix by opening a stand-in local
 * binary cache with the settings such a cache shares with push-to's (file, http(s), s3); an ssh
 * store's values are checked only when the push connects.
 */
async function checkPushSettings(target, nixVersion, env = process.env) {
    if (target.settings.length === 0)
        return;
    const known = await storeSettings(env);
    // a Nix without this store (built without S3): the recorded list; its copy says the rest
    const forScheme = known.byScheme.get(target.scheme) ?? new Set(RECORDED_SETTINGS[target.scheme]);
    const nix = (0,version/* describeNix */.Tg)(nixVersion);
    const problems = (0,push_target/* settingProblems */.jm)(target, forScheme);
    if (problems.length > 0) {
        throw new errors/* InputError */.d(problems.map((p) => `${step_io/* inputName */.yu("push-to")}: ${p.why} [${target.scheme}// store of ${nix}, per ${known.source}]; fix push-to's query: nothing was set up`).join("\n"));
    }
    if (target.binaryCache) {
        const local = known.byScheme.get("file:") ?? new Set(RECORDED_SETTINGS["file:"]);
        const refusal = await standInRefusal(target.settings.filter(([n]) => local.has(n)), known.hasStoreInfo, env);
        if (refusal && "name" in refusal) {
            const value = target.settings.find(([n]) => n === refusal.name)?.[1] ?? "";
            throw new errors/* InputError */.d(`${step_io/* inputName */.yu("push-to")}: ${nix} refuses ${refusal.name}=${value} (${refusal.message}); fix push-to's query: nothing was set up`);
        }
        if (refusal)
            step_io/* warning */.$e(`push-to: could not check its settings' values (${nix} did not open a stand-in cache: ${refusal.unclear}); the push will show any it refuses`);
    }
    step_io/* info */.pq(`push-to: ${target.settings.length} setting(s) checked against ${nix} (${known.source})`);
}


/***/ })

};
