import { locateNix } from "./nix/locate.js";
import { reportUnhandledRejections } from "./unhandled.js";

reportUnhandledRejections("nix-runner-action", "fail");

// Asking nix its version is the step's slowest probe, so it starts first; the rest of the action
// is a separate chunk, loaded while nix runs.
const nix = locateNix(process.env);
const { runMain } = await import("./steps/main-step.js");
await runMain(nix);
