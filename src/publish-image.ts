import { runPublish } from "./steps/publish-step.js";

process.on("unhandledRejection", (reason) => {
  process.exitCode = 1;
  console.error(`::error::publish-image: unhandled rejection: ${String(reason)}`);
});

await runPublish();
