import { runMain } from "./setup.js";

process.on("unhandledRejection", (reason) => {
  process.exitCode = 1;
  console.error(`::error::nix-runner-action: unhandled rejection: ${String(reason)}`);
});

await runMain();
