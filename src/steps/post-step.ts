import * as io from "../step-io.js";
import { rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { killRunning } from "../exec.js";
import { stopPusherSync, waitForExit } from "../push/background.js";
import { pushFromPost } from "../push/push.js";
import { removeUploadTmp } from "../push/upload-tmp.js";
import { jobDir } from "../job-dir.js";
import { stopOwnDaemon } from "../nix/daemon.js";
import type { Limits } from "../push/limits.js";
import { load, StateKey } from "../state.js";

/**
 * Post: push what the job built (when asked; `fit` shapes the push's bounds), then remove what killed uploads left, stop a
 * nix-daemon main started (it served this job only), and remove the secret files main left for the job.
 */
export async function runPost(fit?: (l: Limits) => Limits): Promise<void> {
  process.once("SIGINT", () => cancel("SIGINT", 130));
  process.once("SIGTERM", () => cancel("SIGTERM", 143));
  const dir = jobDir();
  try {
    await pushFromPost(dir, fit);
  } catch (e) {
    io.warning(`nix-runner-action post: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    // a pusher still running here (post ended early, on an error) must not outlive post: it holds the key
    const pusher = stopPusherSync(dir);
    if (pusher !== undefined) {
      const gone = await waitForExit(dir, 5000);
      io.info(`push: stopped the background pusher (pid ${pusher}), still running when post ended${gone ? "" : "; it had not exited after 5 s"}`);
    }
    // what killed uploads left
    removeUploadTmp(dir);
    await stopOwnDaemon().catch((e: unknown) => io.warning(`could not stop the nix-daemon this job started: ${String(e)}`));
    for (const f of load<string[]>(StateKey.SecretFiles) ?? []) {
      await rm(f, { force: true }).catch(() => io.warning(`could not remove ${f}`));
    }
  }
}

/**
 * The runner cancels a step with SIGINT, then SIGTERM (then SIGKILL). Commands with a timeout run
 * detached in their own process group, so without this an upload would outlive the step (holding
 * the signing key in its memory). Everything here is synchronous: the process exits right after.
 */
function cancel(sig: NodeJS.Signals, code: number): void {
  const killed = killRunning();
  const pusher = stopPusherSync(jobDir());
  removeUploadTmp(jobDir());
  for (const f of load<string[]>(StateKey.SecretFiles) ?? []) {
    try {
      rmSync(f, { force: true });
    } catch {
      /* best effort: the process is exiting */
    }
  }
  io.warning(
    `nix-runner-action post: cancelled (${sig}); stopped ${killed.length} running command(s)${pusher ? `, stopped the background pusher (pid ${pusher})` : ""}; the push did not finish`,
  );
  process.exit(code);
}
