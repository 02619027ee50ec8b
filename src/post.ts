import { runPost } from "./steps/post-step.js";
import { reportUnhandledRejections } from "./unhandled.js";

reportUnhandledRejections("nix-runner-action post", "warn");

await runPost();
