import path from "node:path";
import * as io from "./step-io.js";

/** The folder for this job's files: where the step's CI flavour keeps them (src/step-io.ts, src/gitlab-io.ts). */
export function jobDir(env: NodeJS.ProcessEnv = process.env): string {
  return io.jobDir(env);
}

/**
 * Every file and folder the action leaves in a job's folder, named here only: main writes them, and
 * later steps, the background pusher and post read them. None holds the signing key (it never
 * touches a file); netrc, and nix.conf when it carries access-tokens, are removed by post.
 */
export interface JobFiles {
  dir: string;
  /** The job's nix.conf, which NIX_CONFIG or NIX_USER_CONF_FILES point later steps at. */
  nixConf: string;
  /** The netrc input, 0600. */
  netrc: string;
  /** The PID of a nix-daemon main started, for post to stop; and that daemon's log. */
  daemonPid: string;
  daemonLog: string;
  /** The hook method: the post-build hook script, and the queue it appends what was built to. */
  hook: string;
  queue: string;
  /** The diff method: the store listing taken in main. */
  storeListing: string;
  /** The background pusher's pid, its status (rewritten after each upload) and its log. */
  pusherPid: string;
  pusherStatus: string;
  pusherLog: string;
  /** Post's drain request: the time (JSON, ms since the epoch) by which the pusher must have stopped. */
  pusherDrain: string;
  /** TMPDIR of every upload, where Nix writes the NARs it compresses (src/push/upload-tmp.ts). */
  uploadTmp: string;
  /**
   * GitLab: what setup hands push (its state, and the variables and PATH it exported, which
   * after_script's new shell has lost), as JSON (src/gitlab-io.ts).
   */
  cliState: string;
}

export function jobFiles(dir: string = jobDir()): JobFiles {
  const at = (name: string) => path.join(dir, name);
  return {
    dir,
    nixConf: at("nix.conf"),
    netrc: at("netrc"),
    daemonPid: at("nix-daemon.pid"),
    daemonLog: at("nix-daemon.log"),
    hook: at("post-build-hook.sh"),
    queue: at("push-queue"),
    storeListing: at("store-before"),
    pusherPid: at("pusher.pid"),
    pusherStatus: at("pusher-status.json"),
    pusherLog: at("pusher.log"),
    pusherDrain: at("pusher-drain.json"),
    uploadTmp: at("nix-tmp"),
    cliState: at("cli-state.json"),
  };
}

/** Where main records the PID of a nix-daemon it started, for the post step to stop. */
export function daemonPidFile(env: NodeJS.ProcessEnv = process.env): string {
  return jobFiles(jobDir(env)).daemonPid;
}
