import { existsSync, type FSWatcher, readFileSync, watch } from "node:fs";
import { open, rename, writeFile } from "node:fs/promises";
import { getPriority, setPriority } from "node:os";
import { killRunning, runningGroups } from "../exec.js";
import type { Handoff, PusherStatus } from "./background.js";
import { copyChunk, type CopyTo } from "./copy.js";
import { DRAIN_SIGNAL } from "./limits.js";
import { jobFiles } from "../job-dir.js";
import { outputsOfDerivations } from "./outputs.js";
import { errorLine, redactCredentials } from "./report.js";
import { filterPaths, parseQueue } from "./select.js";
import { uploadEnv } from "./upload-tmp.js";
import { frontCovers, type Skipper, startSkipper } from "./skip.js";
import { locateNix } from "../nix/locate.js";
import { SECRET_FD_PATH } from "../exec.js";

/**
 * The queue is watched (inotify): a line the hook appends wakes the pusher at once, and so do the
 * post step's drain signal and the end of an upload. This tick is the fallback (a filesystem without
 * change events) and the pace of the job-gone checks.
 */
const TICK_MS = 100;
/** How much nicer than the job the pusher and its uploads run (a higher niceness: less CPU when the builds want it). */
const NICER = 10;
/** Paths per nix copy: what arrived while the slots were busy goes in one command. */
const BATCH = 64;
/** The bound of one nix-store query for the outputs of queued derivations. */
const OUTPUTS_TIMEOUT_MS = 60_000;

const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} pusher: ${msg}\n`);

/** Everything the pusher keeps between its turns. */
interface Pusher {
  h: Handoff;
  to: CopyTo;
  /** Queue entries whose closure is in the cache, and those it gave up on (post pushes them). */
  sent: Set<string>;
  refused: Set<string>;
  /** Queue entries and derivations already taken: each is uploaded once. */
  seen: Set<string>;
  pending: string[];
  running: number;
  /** How far the queue was read, and the start of a line the hook is still writing. */
  offset: number;
  partial: string;
  draining: boolean;
  /** When draining: the time post's push-timeout leaves it (ms since the epoch); 0: none given. */
  stopBy: number;
  lastActivity: number;
  /** The upload groups last written to the status, to rewrite it only when they change. */
  reported: string;
  watcher?: FSWatcher;
  wake: Waker;
  /** skip-upstream's front, when it is on. */
  skipper?: Skipper;
}

/**
 * The background pusher: tails the hook's queue and uploads each new path with its closure, at most
 * `parallel` nix copies at once, retrying like post. DRAIN_SIGNAL (SIGUSR2, from post): finish the queue and exit.
 * SIGTERM/SIGINT (post cancelled, or a GitLab job cancelled): kill the uploads and exit. It also
 * exits by itself when the job is gone: its folder removed, the runner process that started main
 * ended, the job's deadline passed (GitLab), or idle past its limit.
 */
export async function runPusher(): Promise<void> {
  const h = JSON.parse(await readStdin()) as Handoff;
  lowerPriority();
  const p = newPusher(h);
  process.on(DRAIN_SIGNAL, () => {
    p.draining = true;
    p.stopBy = drainStopBy(p.h.jobDir);
    log(`end of queue signalled by the post step: finishing${p.stopBy > 0 ? `, by ${new Date(p.stopBy).toISOString()} at the latest (push-timeout)` : ""}`);
    p.wake.kick();
  });
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => void exit(p, `stopped by ${sig}`, 0));
  watchQueue(p);
  log(`started (pid ${process.pid}, niceness ${getPriority()}), following ${h.queueFile} (${p.watcher ? "change events" : `read every ${TICK_MS} ms`}), ${h.parallel} upload(s) at once`);
  await writeStatus(p, "running");
  // after the status: post sees a started pusher at once; no upload starts before the front is up
  p.skipper = await skipperFor(h, p.to.env);
  p.to.via = p.skipper;
  // bounded: every turn either ends the process or naps (a tick at most); the idle limit ends a lost job
  for (;;) await turn(p);
}

/** The time post's drain request gives the pusher (signalDrain writes it before the signal); 0: none. */
function drainStopBy(dir: string): number {
  try {
    const n = Number((JSON.parse(readFileSync(jobFiles(dir).pusherDrain, "utf8")) as { stopBy?: unknown }).stopBy);
    return Number.isFinite(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

/** skip-upstream's front for the pusher's copies; undefined when off or when it cannot start (whole closures go). */
async function skipperFor(h: Handoff, env: NodeJS.ProcessEnv): Promise<Skipper | undefined> {
  if (h.skipUpstream.length === 0 || !frontCovers(h.target)) return undefined;
  try {
    const nixVersion = await locateNix(process.env).version;
    return await startSkipper({ target: h.target, upstreams: h.skipUpstream, netrc: h.netrc, keyFile: h.key ? SECRET_FD_PATH : undefined, nixVersion, env, log });
  } catch (e) {
    log(`skip-upstream: could not start the local front (${String(e)}); whole closures are pushed`);
    return undefined;
  }
}

/** Reads the whole of stdin: main's handoff (it closes its end once written). */
async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of process.stdin) parts.push(c as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** The job's builds come first: the uploads (each nix copy inherits this) get the CPU the builds leave. */
function lowerPriority(): void {
  try {
    setPriority(Math.min(19, getPriority() + NICER));
  } catch {
    /* not allowed here: uploads run at the job's priority */
  }
}

function newPusher(h: Handoff): Pusher {
  // TMPDIR in the job's folder: what a killed upload leaves goes with it
  const env = uploadEnv(h.jobDir);
  const to: CopyTo = { target: h.target, url: h.url, key: h.key, env, limits: h.limits, budget: { eachCopyMs: h.limits.timeoutMs }, copied: { paths: new Set(), narBytes: 0 } };
  return {
    h,
    to,
    sent: new Set(),
    refused: new Set(),
    seen: new Set(),
    pending: [],
    running: 0,
    offset: 0,
    partial: "",
    draining: false,
    stopBy: 0,
    lastActivity: Date.now(),
    reported: "",
    wake: waker(),
  };
}

/** One turn: stop if the job is gone, take what the queue gained, start uploads, exit once drained, nap. */
async function turn(p: Pusher): Promise<void> {
  watchQueue(p);
  const gone = jobGone(p);
  if (gone) await exit(p, `stopped: ${gone}`, 0);
  const drainingNow = p.draining;
  await takeNewPaths(p);
  startUploads(p);
  const groups = runningGroups().join(",");
  if (groups !== p.reported) {
    p.reported = groups;
    await writeStatus(p, "running");
  }
  // the queue was read after the signal arrived: nothing the job built is missing
  if (drainingNow && p.running === 0 && p.pending.length === 0) await exit(p, "drained", 0);
  await p.wake.nap(TICK_MS);
}

/** Moves what the hook queued since the last turn (derivations as their outputs) to the pending uploads. */
async function takeNewPaths(p: Pusher): Promise<void> {
  const entries = await readQueue(p);
  const drvs = entries.filter((e) => e.endsWith(".drv") && !p.seen.has(e));
  for (const d of drvs) p.seen.add(d);
  const outs = [...entries.filter((e) => !e.endsWith(".drv")), ...(await outputsOf(drvs, p.h.storeDir))];
  const { keep } = filterPaths(outs, p.h.storeDir, p.h.pushFilter);
  const before = p.pending.length;
  for (const path of keep) {
    if (p.seen.has(path)) continue;
    p.seen.add(path);
    p.pending.push(path);
    p.lastActivity = Date.now();
  }
  if (p.pending.length > before) log(`queued ${p.pending.length - before} new path(s)`);
}

/** The outputs of queued derivations; those nix-store could not name are left to the post step. */
async function outputsOf(drvs: string[], storeDir: string): Promise<string[]> {
  const found = await outputsOfDerivations(drvs, storeDir, () => OUTPUTS_TIMEOUT_MS);
  if (found.failed) log(`could not ask for the outputs of ${found.asked} derivation(s) (${errorLine(found.failed.stderr)}); the post step will`);
  return found.outputs;
}

/** Starts uploads of the pending paths, up to `parallel` at once, each a batch of what waits. */
function startUploads(p: Pusher): void {
  while (p.running < p.h.parallel && p.pending.length > 0) {
    const batch = p.pending.splice(0, BATCH);
    p.running++;
    void upload(p, batch).finally(() => {
      p.running--;
      p.lastActivity = Date.now();
      p.wake.kick();
    });
  }
}

/** One batch through the shared copy (retries, the key on fd 3), with the pusher's log lines. */
async function upload(p: Pusher, batch: string[]): Promise<void> {
  const { limits } = p.h;
  let t0 = Date.now();
  const outcome = await copyChunk(p.to, batch, {
    starting: (attempt) => {
      t0 = Date.now();
      log(`uploading ${batch.length} path(s)${attempt > 1 ? ` (attempt ${attempt})` : ""}: ${batch.slice(0, 3).join(" ")}${batch.length > 3 ? " …" : ""}`);
    },
    failed: (attempt, r) => log(`attempt ${attempt} of ${limits.attempts} for ${batch.length} path(s) failed: ${redactCredentials(r.timedOut ? "timed out" : errorLine(r.stderr))}`),
  });
  if (outcome.ok) {
    for (const path of batch) p.sent.add(path);
    log(`sent ${batch.length} path(s) (${outcome.uploaded} uploaded) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    for (const path of batch) p.refused.add(path);
  }
  await writeStatus(p, "running");
}

/** Reads what the queue gained since the last read; a line the hook is still writing waits for its newline. */
async function readQueue(p: Pusher): Promise<string[]> {
  const f = await open(p.h.queueFile, "r").catch(() => undefined);
  if (!f) return [];
  try {
    const buf = Buffer.alloc(64 * 1024);
    let text = "";
    for (let i = 0; i < 1000; i++) {
      const { bytesRead } = await f.read(buf, 0, buf.length, p.offset);
      if (bytesRead === 0) break;
      p.offset += bytesRead;
      text += buf.subarray(0, bytesRead).toString("utf8");
    }
    const all = p.partial + text;
    const cut = all.lastIndexOf("\n") + 1;
    p.partial = all.slice(cut);
    return parseQueue(all.slice(0, cut));
  } finally {
    await f.close();
  }
}

/** Why the job is over (so the pusher must stop), or undefined while it runs. */
function jobGone(p: Pusher): string | undefined {
  const { h } = p;
  if (!existsSync(h.jobDir)) return "the job's folder is gone";
  if (h.deadline > 0 && Date.now() >= h.deadline) return `the job's time is up (its deadline was ${new Date(h.deadline).toISOString()})`;
  if (p.draining && p.stopBy > 0 && Date.now() >= p.stopBy) {
    return `push-timeout reached while draining, ${p.pending.length + p.running > 0 ? `${p.pending.length} path(s) not started and ${p.running} upload(s) unfinished` : "nothing left"} (the post step reports what is unpushed)`;
  }
  if (h.runnerPid > 1) {
    try {
      process.kill(h.runnerPid, 0);
    } catch {
      return `the process that started the job's main step (pid ${h.runnerPid}) is gone`;
    }
  }
  if (!p.draining && p.running === 0 && p.pending.length === 0 && Date.now() - p.lastActivity > h.idleMs) return `idle for ${Math.round(h.idleMs / 1000)} s`;
  return undefined;
}

/** Follows the queue file's changes; after a rename or an error, the next turn watches it again. */
function watchQueue(p: Pusher): void {
  if (p.watcher) return;
  const drop = () => {
    p.watcher?.close();
    p.watcher = undefined;
  };
  try {
    p.watcher = watch(p.h.queueFile, { persistent: false }, (event) => {
      // the file was replaced or removed: watch whatever is at its path on the next turn
      if (event === "rename") drop();
      p.wake.kick();
    });
    p.watcher.on("error", () => {
      drop();
      p.wake.kick();
    });
  } catch {
    /* no change events here (or the file is gone): the tick reads the queue */
  }
}

/** The status post reads, rewritten atomically (renamed into place). */
async function writeStatus(p: Pusher, state: string): Promise<void> {
  const s: PusherStatus = {
    pid: process.pid,
    sent: [...p.sent],
    refused: [...p.refused],
    uploaded: p.to.copied.paths.size,
    narBytes: p.to.copied.narBytes,
    uploadedPaths: [...p.to.copied.paths],
    skipped: p.skipper?.skipped(),
    uploads: runningGroups(),
    state,
  };
  const tmp = `${p.h.statusFile}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(s), { mode: 0o600 });
    await rename(tmp, p.h.statusFile);
  } catch {
    /* the job dir is gone: nobody will read it */
  }
}

async function exit(p: Pusher, state: string, code: number): Promise<void> {
  const killed = killRunning();
  const { copied } = p.to;
  log(`${state}${killed.length ? ` (stopped ${killed.length} upload(s))` : ""}; ${p.sent.size} queued path(s) sent, ${copied.paths.size} uploaded, ${copied.narBytes} NAR bytes`);
  await writeStatus(p, state);
  process.exit(code);
}

interface Waker {
  /** Ends the current nap now, or the next one at once if none is running. */
  kick: () => void;
  nap: (ms: number) => Promise<void>;
}

/** A nap that a kick ends early; a kick that arrives while the loop works is kept for its next nap, so none is lost. */
function waker(): Waker {
  let kicked = false;
  let wakeUp: (() => void) | undefined;
  return {
    kick: () => {
      kicked = true;
      wakeUp?.();
    },
    nap: (ms) =>
      new Promise<void>((resolve) => {
        if (kicked) {
          kicked = false;
          resolve();
          return;
        }
        const done = () => {
          clearTimeout(timer);
          wakeUp = undefined;
          kicked = false;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wakeUp = done;
      }),
  };
}
