import * as core from "@actions/core";
import { rm } from "node:fs/promises";
import { pushFromPost } from "./push/push.js";
import { jobDir } from "./job-dir.js";
import { stopOwnDaemon } from "./nix/daemon.js";
import { load, StateKey } from "./state.js";

/**
 * Post: push what the job built (when asked), then stop a nix-daemon main started (it served this
 * job only), then remove the secret files main left for the job.
 */
export async function runPost(): Promise<void> {
  try {
    await pushFromPost(jobDir());
  } catch (e) {
    core.warning(`nix-runner-action post: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    await stopOwnDaemon().catch((e: unknown) => core.warning(`could not stop the nix-daemon this job started: ${String(e)}`));
    for (const f of load<string[]>(StateKey.SecretFiles) ?? []) {
      await rm(f, { force: true }).catch(() => core.warning(`could not remove ${f}`));
    }
  }
}
