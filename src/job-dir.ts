import os from "node:os";
import path from "node:path";

/** The folder for this job's files: the runner's temp dir, which the runner empties after the job. */
export function jobDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.RUNNER_TEMP || os.tmpdir(), "nix-runner-action");
}

/** Where main records the PID of a nix-daemon it started, for the post step to stop. */
export function daemonPidFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(jobDir(env), "nix-daemon.pid");
}
