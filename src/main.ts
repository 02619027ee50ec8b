import { locateNix } from "./nix/locate.js";

process.on("unhandledRejection", (reason) => {
  process.exitCode = 1;
  console.error(`::error::nix-runner-action: unhandled rejection: ${String(reason)}`);
});

// Asking nix its version is the step's slowest probe, so it starts first; the rest of the action
// is a separate chunk, loaded while nix runs.
const nix = locateNix(process.env);
const { runMain } = await import("./steps/main-step.js");
await runMain(nix);
