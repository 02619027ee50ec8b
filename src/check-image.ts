import { runCheckImage } from "./steps/check-image-step.js";

process.on("unhandledRejection", (reason) => {
  process.exitCode = 1;
  console.error(`::error::check-image: unhandled rejection: ${String(reason)}`);
});

await runCheckImage();
