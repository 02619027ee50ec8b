export const id = 371;
export const ids = [371];
export const modules = {

/***/ 9371:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   preparePush: () => (/* binding */ preparePush)
/* harmony export */ });
/** Main's half of the push: decides how post will find what the job built, and sets that up. */
async function preparePush(inputs, _facts, _envr, _trust, _dir) {
    if (!inputs.pushTo)
        return {};
    return {};
}


/***/ })

};
