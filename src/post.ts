import { runPost } from "./post-step.js";

process.on("unhandledRejection", (reason) => {
  console.error(`::warning::nix-runner-action post: unhandled rejection: ${String(reason)}`);
});

await runPost();
