/**
 * How an entry reports a promise that nobody awaited and that failed: `fail` for the steps whose
 * failure the user must see (an error, and the step fails), `warn` for the post step (a push
 * problem never turns a green build red), `log` for the background pusher (its output is a log
 * file, where a workflow command means nothing).
 */
export type RejectionPolicy = "fail" | "warn" | "log";

/** Installs the entry's one `unhandledRejection` handler; `name` starts its message. */
export function reportUnhandledRejections(name: string, policy: RejectionPolicy): void {
  process.on("unhandledRejection", (reason) => {
    const line = `${name}: unhandled rejection: ${String(reason)}`;
    if (policy === "fail") {
      process.exitCode = 1;
      console.error(`::error::${line}`);
    } else if (policy === "warn") {
      console.error(`::warning::${line}`);
    } else {
      console.error(line);
    }
  });
}
