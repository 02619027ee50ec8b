import { runCheckImage } from "./steps/check-image-step.js";
import { reportUnhandledRejections } from "./unhandled.js";

reportUnhandledRejections("check-image", "fail");

await runCheckImage();
