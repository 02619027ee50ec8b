import { runPublish } from "./steps/publish-step.js";
import { reportUnhandledRejections } from "./unhandled.js";

reportUnhandledRejections("publish-image", "fail");

await runPublish();
