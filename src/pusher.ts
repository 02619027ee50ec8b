import { runPusher } from "./push/pusher.js";

// This process holds the signing key: a SIGUSR1 from anyone must not open Node's inspector, which it
// does for a process with no handler of its own. Set before anything else runs.
process.on("SIGUSR1", () => undefined);

process.on("unhandledRejection", (reason) => {
  console.error(`pusher: unhandled rejection: ${String(reason)}`);
});

await runPusher();
