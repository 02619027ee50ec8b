export const id = 716;
export const ids = [716];
export const modules = {

/***/ 9716:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   installNix: () => (/* binding */ installNix)
/* harmony export */ });
/* harmony import */ var _setup_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9807);

/** Installs Nix where it is absent and returns the facts as they are afterwards. */
async function installNix(inputs, _facts, _envr) {
    if (inputs.installer === "none") {
        throw new _setup_js__WEBPACK_IMPORTED_MODULE_0__/* .SetupError */ .w3(`installer is "none" and this job has no nix on PATH; run the job in an image with Nix or allow an installer (installer: nixos)`);
    }
    throw new _setup_js__WEBPACK_IMPORTED_MODULE_0__/* .SetupError */ .w3("installing Nix is not available yet");
}


/***/ })

};
