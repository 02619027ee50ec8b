import { runBump } from "./steps/bump-step.js";

process.on("unhandledRejection", (reason) => {
  process.exitCode = 1;
  console.error(`::error::bump: unhandled rejection: ${String(reason)}`);
});

await runBump();
