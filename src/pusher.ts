import { runPusher } from "./push/pusher.js";
import { reportUnhandledRejections } from "./unhandled.js";

// This process holds the signing key: a SIGUSR1 from anyone must not open Node's inspector, which it
// does for a process with no handler of its own. Set before anything else runs.
process.on("SIGUSR1", () => undefined);

reportUnhandledRejections("pusher", "log");

await runPusher();
