import { runBump } from "./steps/bump-step.js";
import { reportUnhandledRejections } from "./unhandled.js";

reportUnhandledRejections("bump", "fail");

await runBump();
