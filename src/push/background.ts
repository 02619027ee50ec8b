import type { Upstream } from "../skip-upstream.js";
import * as io from "../step-io.js";
import { existsSync, type FSWatcher, readFileSync, watch } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { killGroupOf, SECRET_FD_PATH, startDetached } from "../exec.js";
import type { Inputs } from "../inputs.js";
import type { PushTarget } from "../push-target.js";
import { jobFiles } from "../job-dir.js";
import type { Lifetime } from "./lifetime.js";
import { DRAIN_SIGNAL, type Limits } from "./limits.js";
import { buildPushUrl } from "./url.js";

/** What main hands the pusher on its stdin, as one JSON document. */
export interface Handoff {
  /** push-to, as main's inputs parsed it. */
  target: PushTarget;
  /** The `nix copy --to` URL (with secret-key=/dev/fd/3 when there is a key). */
  url: string;
  key?: string;
  queueFile: string;
  statusFile: string;
  jobDir: string;
  storeDir: string;
  pushFilter: string;
  limits: Limits;
  /** The process that started main (the runner's worker); when it is gone, so is the job. 0: none (Lifetime). */
  runnerPid: number;
  /** When the job's time is up (ms since the epoch), the pusher stops; 0: no deadline (Lifetime). */
  deadline: number;
  /** Uploads at once. */
  parallel: number;
  /** Exit after this long without a new queue entry and nothing to upload (the bound for a lost job). */
  idleMs: number;
  /** skip-upstream (empty: off), and the netrc input for the front to reach push-to: on stdin, like the key. */
  skipUpstream: Upstream[];
  netrc: string;
}

/** What the pusher reports, rewritten (atomically) after each upload; post reads it. */
export interface PusherStatus {
  pid: number;
  /** Queue entries whose closure is in the cache (nix copy succeeded for them). */
  sent: string[];
  /** Queue entries the pusher gave up on (post pushes them). */
  refused: string[];
  /** Paths nix uploaded (deps included) and their NAR bytes. */
  uploaded: number;
  narBytes: number;
  /** The paths behind `uploaded` (for the summary's word on upstreams). */
  uploadedPaths?: string[];
  /** What skip-upstream left out. */
  skipped?: { paths: number; narBytes: number };
  /** Process groups of the nix copies running now: a post step kills them if the pusher died. */
  uploads: number[];
  /** running | drained | stopped: <why> */
  state: string;
}

/**
 * Main's half: start the pusher for this job, detached, with the key on its stdin. Never fails the
 * main step: without a pusher, post pushes everything, as with push-during-build: false.
 */
export async function startPusher(inputs: Inputs, queueFile: string, storeDir: string, dir: string, limits: Limits, lifetime: Lifetime): Promise<void> {
  // none of its files holds a secret: the key and the push URL (which may carry a password) reach it on its stdin only
  const files = jobFiles(dir);
  if (!inputs.pushTo) return;
  const to = buildPushUrl(inputs.pushTo, { keyFile: inputs.signingKey ? SECRET_FD_PATH : undefined });
  if (to.signLocally) {
    io.info("push: no background pusher for ssh stores (they sign in the local store first); the post step pushes");
    return;
  }
  const handoff: Handoff = {
    target: inputs.pushTo,
    url: to.url,
    key: inputs.signingKey || undefined,
    queueFile,
    statusFile: files.pusherStatus,
    jobDir: dir,
    storeDir,
    pushFilter: inputs.pushFilter,
    limits,
    runnerPid: lifetime.runnerPid,
    deadline: lifetime.deadline,
    parallel: 2,
    idleMs: idleLimitFrom(process.env),
    skipUpstream: inputs.skipUpstream,
    netrc: inputs.skipUpstream.length > 0 ? inputs.netrc : "",
  };
  const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "pusher", "index.js");
  if (!existsSync(bundle)) {
    io.warning(`push: the background pusher's bundle ${bundle} is missing; the post step pushes everything`);
    return;
  }
  try {
    const pid = await startDetached(process.execPath, [bundle], { input: JSON.stringify(handoff), logFile: files.pusherLog, ownGroup: lifetime.ownGroup });
    await writeFile(files.pusherPid, `${pid}\n`, { mode: 0o600 });
    io.info(`push: background pusher started (pid ${pid}, log ${files.pusherLog}): paths are uploaded as they are built; ${lifetime.why}`);
  } catch (e) {
    io.warning(`push: could not start the background pusher (${String(e)}); the post step pushes everything`);
  }
}

/** 2 h without a new path: a job that builds longer than that between two paths loses only the overlap. */
const IDLE_MS = 2 * 60 * 60_000;

/** TEST ONLY: NIX_RUNNER_ACTION_TEST_PUSHER_IDLE_MS shortens the idle limit. */
export function idleLimitFrom(env: NodeJS.ProcessEnv): number {
  const n = Number(env.NIX_RUNNER_ACTION_TEST_PUSHER_IDLE_MS);
  return Number.isInteger(n) && n > 0 ? n : IDLE_MS;
}

/** The pusher's pid when one was started for this job and still runs (a recycled pid is not it). */
export function livePusher(dir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(jobFiles(dir).pusherPid, "utf8").trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (!cmd.includes(`${path.sep}pusher${path.sep}index.js`) || stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return undefined;
  } catch {
    return undefined;
  }
  return pid;
}

/**
 * Asks the pusher to finish: read the queue to its end, upload what is left of it, exit, and stop by
 * itself at `stopBy` (drainDeadline of post's push-timeout; 0: no such time) with what it has not sent. Only once it
 * is ready, that is once it wrote its first status (after setting its handlers): sent earlier, the
 * request would be lost. A pusher not ready within `readyMs` is stopped instead (SIGTERM), and post
 * pushes everything itself. Returns whether it was asked to drain.
 */
export async function signalDrain(dir: string, pid: number, readyMs = 10_000, stopBy = 0): Promise<boolean> {
  const files = jobFiles(dir);
  const status = files.pusherStatus;
  const deadline = Date.now() + readyMs;
  while (!existsSync(status) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const ready = existsSync(status);
  // written before the signal, which makes the pusher read it
  if (ready && stopBy > 0) await writeFile(files.pusherDrain, JSON.stringify({ stopBy }), { mode: 0o600 });
  try {
    process.kill(pid, ready ? DRAIN_SIGNAL : "SIGTERM");
  } catch {
    /* gone meanwhile */
  }
  return ready;
}

/**
 * Stops the pusher now: SIGTERM, on which it kills its uploads; and kills the uploads it last
 * reported itself, for a pusher that was killed and left them running. Synchronous: a cancel
 * handler calls it. Returns the pusher's pid if it was running.
 */
export function stopPusherSync(dir: string): number | undefined {
  const pid = livePusher(dir);
  if (pid !== undefined) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      /* gone */
    }
  }
  killOrphanUploads(dir);
  return pid;
}

/** Kills the nix copies a pusher reported running, if they still run. */
export function killOrphanUploads(dir: string): number[] {
  const status = readStatusSync(dir);
  if (!status) return [];
  const killed: number[] = [];
  for (const g of status.uploads ?? []) {
    try {
      // the group leader is the shell that feeds nix the key, or nix itself: either names the copy
      if (!/\bcopy\b/.test(readFileSync(`/proc/${g}/cmdline`, "utf8").replace(/\0/g, " "))) continue;
    } catch {
      continue;
    }
    killGroupOf(g);
    killed.push(g);
  }
  return killed;
}

/** States the pusher writes last, right before it exits. */
const FINAL = /^(?:drained|stopped)/;

/**
 * Waits (bounded by `ms`) for the pusher to exit; true if it did. Woken by the pusher's status file
 * changing (it is renamed into place after each upload and once more just before the exit), with a
 * look every 100 ms besides; once the status says it ended, every 5 ms until the process is gone.
 */
export async function waitForExit(dir: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  const statusName = path.basename(jobFiles(dir).pusherStatus);
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name === null || name === statusName) wake?.();
    });
    watcher.on("error", () => undefined);
  } catch {
    /* no change events here: the 100 ms look is enough */
  }
  try {
    // bounded by the deadline
    for (;;) {
      if (livePusher(dir) === undefined) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const ended = FINAL.test(readStatusSync(dir)?.state ?? "");
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, ended ? 5 : 100));
        wake = done;
      });
    }
  } finally {
    watcher?.close();
  }
}

function readStatusSync(dir: string): PusherStatus | undefined {
  try {
    return JSON.parse(readFileSync(jobFiles(dir).pusherStatus, "utf8")) as PusherStatus;
  } catch {
    return undefined;
  }
}

export async function readStatus(dir: string): Promise<PusherStatus | undefined> {
  try {
    return JSON.parse(await readFile(jobFiles(dir).pusherStatus, "utf8")) as PusherStatus;
  } catch {
    return undefined;
  }
}

export async function pusherLog(dir: string): Promise<string> {
  return readFile(jobFiles(dir).pusherLog, "utf8").catch(() => "");
}
