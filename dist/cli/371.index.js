export const id = 371;
export const ids = [371];
export const modules = {

/***/ 9371:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   preparePush: () => (/* binding */ preparePush)
/* harmony export */ });
/* unused harmony export hookScript */
/* harmony import */ var _step_io_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7814);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _job_dir_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4374);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2462);
/* harmony import */ var _nix_store_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4366);
/* harmony import */ var _select_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4126);







/** Said once, in main: a push without signing-key looks like it worked, but consumers that check signatures refuse it. */
const unsigned = () => `${_step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .inputName */ .yu("push-to")} is set but ${_step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .inputName */ .yu("signing-key")} is empty: the paths will be pushed unsigned, and consumers that check ` +
    `signatures (require-sigs, the default) will refuse them; set ${_step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .inputName */ .yu("signing-key")} to a secret key whose public half they trust`;
/**
 * Main's half of the push: decides how post will find what the job built, and sets that up. The
 * background pusher is started later (`startPusher`), once the job's configuration is in effect.
 */
async function preparePush(inputs, facts, trust, dir) {
    if (!inputs.pushTo)
        return {};
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(dir, { recursive: true, mode: 0o700 });
    if (!inputs.signingKey)
        _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(unsigned());
    const choice = (0,_select_js__WEBPACK_IMPORTED_MODULE_6__/* .chooseMethod */ .jN)(inputs.pushPaths, facts, trust);
    const storeDir = (0,_nix_store_js__WEBPACK_IMPORTED_MODULE_5__/* .storeDirOf */ .cz)(process.env);
    const plan = { method: choice.method, why: choice.why, storeDir, nix: facts.nixVersion };
    let hook;
    const t0 = Date.now();
    if (choice.method === "hook") {
        plan.queueFile = (0,_job_dir_js__WEBPACK_IMPORTED_MODULE_3__/* .jobFiles */ .DE)(dir).queue;
        hook = (0,_job_dir_js__WEBPACK_IMPORTED_MODULE_3__/* .jobFiles */ .DE)(dir).hook;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(plan.queueFile, "", { flag: "a", mode: 0o600 });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(hook, hookScript(await absoluteSh(), plan.queueFile), { mode: 0o700 });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.chmod)(hook, 0o700);
    }
    else if (choice.method === "diff") {
        plan.listingFile = (0,_job_dir_js__WEBPACK_IMPORTED_MODULE_3__/* .jobFiles */ .DE)(dir).storeListing;
        const names = await (0,_nix_store_js__WEBPACK_IMPORTED_MODULE_5__/* .listStore */ .K3)(storeDir);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(plan.listingFile, names.join("\n"), { mode: 0o600 });
        _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`store listing: ${names.length} entries in ${storeDir} saved to ${plan.listingFile}`);
    }
    _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`push: set up the ${choice.method} method in ${Date.now() - t0} ms`);
    _step_io_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`push: paths will be found by the ${choice.method} method: ${choice.why}`);
    (0,_state_js__WEBPACK_IMPORTED_MODULE_4__/* .save */ .UN)(_state_js__WEBPACK_IMPORTED_MODULE_4__/* .StateKey */ .zv.PushPlan, plan);
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
    for (const d of (process.env.PATH ?? "").split((node_path__WEBPACK_IMPORTED_MODULE_2___default().delimiter))) {
        if (!d || !node_path__WEBPACK_IMPORTED_MODULE_2___default().isAbsolute(d))
            continue;
        const candidate = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(d, "sh");
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(candidate, node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.constants.X_OK);
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
