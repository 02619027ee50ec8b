import { runPost } from "./steps/post-step.js";

process.on("unhandledRejection", (reason) => {
  console.error(`::warning::nix-runner-action post: unhandled rejection: ${String(reason)}`);
});

await runPost();
