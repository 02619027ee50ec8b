import * as io from "./step-io.js";

/**
 * How an entry reports a promise that nobody awaited and that failed: `fail` for the steps whose
 * failure the user must see (an error, and the step fails), `warn` for the post step (a push
 * problem never turns a green build red), `log` for the background pusher (its output is a log
 * file, where a workflow command means nothing). Errors and warnings go through the step's I/O
 * flavour, so a GitLab job's log never shows an Actions command.
 */
export type RejectionPolicy = "fail" | "warn" | "log";

/** Installs the entry's one `unhandledRejection` handler; `name` starts its message. */
export function reportUnhandledRejections(name: string, policy: RejectionPolicy): void {
  process.on("unhandledRejection", (reason) => {
    const line = `${name}: unhandled rejection: ${String(reason)}`;
    if (policy === "fail") io.setFailed(line);
    else if (policy === "warn") io.warning(line);
    else console.error(line);
  });
}
