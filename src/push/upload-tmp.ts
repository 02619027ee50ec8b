import { mkdirSync, rmSync } from "node:fs";
import { jobFiles } from "../job-dir.js";

/**
 * The temp folder of every upload, post's and the background pusher's: `<job dir>/nix-tmp`. Nix
 * writes each NAR it compresses for a binary cache to a temp file in TMPDIR and removes it when the
 * upload ends, but an upload that is killed (a cancelled post step, a stopped pusher) leaves it
 * behind; in /tmp, the job's build outputs would pile up on a host-mode runner. Under the job's
 * folder, post removes what is left (`removeUploadTmp`), and the runner's cleanup of RUNNER_TEMP the
 * rest.
 */
function uploadTmpDir(jobDir: string): string {
  return jobFiles(jobDir).uploadTmp;
}

/**
 * The env for an upload: this process's, with TMPDIR in the job's folder; unchanged when that cannot
 * be made. Never makes the job's folder itself: a pusher whose job's folder is gone must see it gone.
 */
export function uploadEnv(jobDir: string): NodeJS.ProcessEnv {
  const dir = uploadTmpDir(jobDir);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") return process.env;
  }
  return { ...process.env, TMPDIR: dir };
}

/** Removes the uploads' temp folder and what killed uploads left in it. */
export function removeUploadTmp(jobDir: string): void {
  try {
    // retried: an upload being killed may still add a file while the folder is removed (ENOTEMPTY)
    rmSync(uploadTmpDir(jobDir), { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
  } catch {
    /* best effort: the runner removes RUNNER_TEMP after the job */
  }
}
