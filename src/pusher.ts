import { runPusher } from "./push/pusher.js";

process.on("unhandledRejection", (reason) => {
  console.error(`pusher: unhandled rejection: ${String(reason)}`);
});

await runPusher();
