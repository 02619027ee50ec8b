// The layers of src/, checked by `npm run lint` (depcruise). Imports point down only:
//   entries   src/main.ts, src/post.ts            one call each (the root action's main and post)
//             src/pusher.ts                       the background pusher main starts (one call)
//             src/bump.ts, src/publish-image.ts,  one call each (the sub-actions bump/, publish-image/,
//             src/check-image.ts                  check-image/)
//             src/cli.ts                          the GitLab CLI (package.json's bin): a Node version check, then one call
//   steps     src/steps/                          the orchestrators, one per entry
//   features  src/{detect,configure,install,push,bump,publish}/ one job each; apart from each other, except for types
//   nix       src/nix/                            the leaf: locate, version, conf files, flake.lock, store, daemon
//   base      src/*.ts                            step I/O, exec, errors, inputs, state, job dir, keys, platform, unhandled rejections
// test/lint-layers.test.ts shows each rule failing on a fixture tree.
const FEATURES = "(detect|configure|install|push|bump|publish)";
const ENTRIES = "^src/(main|post|pusher|bump|publish-image|check-image|cli)\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      comment: "A cycle ties two modules into one; move what both need down a layer.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "entries-are-top",
      comment: "Nothing imports an entry: it is one call for the runner.",
      severity: "error",
      from: {},
      to: { path: ENTRIES },
    },
    {
      name: "steps-are-below-entries-only",
      comment: "Only the entries start a step.",
      severity: "error",
      from: { pathNot: [ENTRIES, "^src/steps/"] },
      to: { path: "^src/steps/" },
    },
    {
      name: "features-apart",
      comment: "A feature uses another only through types; what both need belongs in nix/ or the base.",
      severity: "error",
      from: { path: `^src/${FEATURES}/` },
      to: { path: `^src/${FEATURES}/`, pathNot: "^src/$1/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "nix-is-a-leaf",
      comment: "src/nix/ knows Nix, not the action: it imports only the base and itself.",
      severity: "error",
      from: { path: "^src/nix/" },
      to: { path: `^src/(steps|${FEATURES})/|${ENTRIES}` },
    },
    {
      name: "base-is-the-floor",
      comment: "The base (src/*.ts) imports only the base.",
      severity: "error",
      from: { path: "^src/[^/]+\\.ts$", pathNot: ENTRIES },
      to: { path: "^src/[^/]+/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    // resolves imports as tsc does (the .js an ESM import names is the .ts beside it)
    tsConfig: { fileName: "tsconfig.json" },
  },
};
