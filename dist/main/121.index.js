export const id = 121;
export const ids = [121];
export const modules = {

/***/ 7121:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  preparePush: () => (/* binding */ preparePush)
});

// UNUSED EXPORTS: hookScript

// EXTERNAL MODULE: ./src/step-io.ts
var step_io = __webpack_require__(7814);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/job-dir.ts
var job_dir = __webpack_require__(4374);
// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
// EXTERNAL MODULE: ./src/nix/store.ts
var store = __webpack_require__(4366);
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
const SKIP_SUFFIXES = (/* unused pure expression or super */ null && ([".drv", ".lock", ".check"]));
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

;// CONCATENATED MODULE: ./src/push/prepare.ts







/** Said once, in main: a push without signing-key looks like it worked, but consumers that check signatures refuse it. */
const unsigned = () => `${step_io/* inputName */.yu("push-to")} is set but ${step_io/* inputName */.yu("signing-key")} is empty: the paths will be pushed unsigned, and consumers that check ` +
    `signatures (require-sigs, the default) will refuse them; set ${step_io/* inputName */.yu("signing-key")} to a secret key whose public half they trust`;
/**
 * Main's half of the push: decides how post will find what the job built, and sets that up. The
 * background pusher is started later (`startPusher`), once the job's configuration is in effect.
 */
async function preparePush(inputs, facts, trust, dir) {
    if (!inputs.pushTo)
        return {};
    await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
    if (!inputs.signingKey)
        step_io/* warning */.$e(unsigned());
    const choice = chooseMethod(inputs.pushPaths, facts, trust);
    const storeDir = (0,store/* storeDirOf */.cz)(process.env);
    const plan = { method: choice.method, why: choice.why, storeDir, nix: facts.nixVersion };
    let hook;
    const t0 = Date.now();
    if (choice.method === "hook") {
        plan.queueFile = (0,job_dir/* jobFiles */.DE)(dir).queue;
        hook = (0,job_dir/* jobFiles */.DE)(dir).hook;
        await (0,promises_.writeFile)(plan.queueFile, "", { flag: "a", mode: 0o600 });
        await (0,promises_.writeFile)(hook, hookScript(await absoluteSh(), plan.queueFile), { mode: 0o700 });
        await (0,promises_.chmod)(hook, 0o700);
    }
    else if (choice.method === "diff") {
        plan.listingFile = (0,job_dir/* jobFiles */.DE)(dir).storeListing;
        const names = await (0,store/* listStore */.K3)(storeDir);
        await (0,promises_.writeFile)(plan.listingFile, names.join("\n"), { mode: 0o600 });
        step_io/* info */.pq(`store listing: ${names.length} entries in ${storeDir} saved to ${plan.listingFile}`);
    }
    step_io/* info */.pq(`push: set up the ${choice.method} method in ${Date.now() - t0} ms`);
    step_io/* info */.pq(`push: paths will be found by the ${choice.method} method: ${choice.why}`);
    (0,state/* save */.UN)(state/* StateKey */.zv.PushPlan, plan);
    return { hook, queueFile: plan.queueFile, storeDir };
}
/**
 * A hook that only records: it must never fail a build, and it runs in whatever environment Nix
 * gives it (the daemon's, in daemon mode), so everything in it is an absolute path. Some Nix
 * versions (2.8 among them) hand the hook an empty OUT_PATHS; then the derivation is queued and
 * post asks the store for its outputs.
 */
function hookScript(sh, queueFile) {
    const q = `'${queueFile.replace(/'/g, `'\\''`)}'`;
    return [
        `#!${sh}`,
        "# nix-runner-action: queue what this job builds; the post step pushes it.",
        `if [ -n "$OUT_PATHS" ]; then printf '%s\\n' $OUT_PATHS >> ${q}; else printf '%s\\n' "$DRV_PATH" >> ${q}; fi 2>/dev/null`,
        "exit 0",
        "",
    ].join("\n");
}
/** An absolute sh from PATH: Nix images may have no /bin/sh. */
async function absoluteSh() {
    for (const d of (process.env.PATH ?? "").split((external_node_path_default()).delimiter)) {
        if (!d || !external_node_path_default().isAbsolute(d))
            continue;
        const candidate = external_node_path_default().join(d, "sh");
        try {
            await (0,promises_.access)(candidate, promises_.constants.X_OK);
            return candidate;
        }
        catch {
            /* not here */
        }
    }
    return "/bin/sh";
}


/***/ })

};
