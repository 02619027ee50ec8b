import { existsSync, type FSWatcher, watch } from "node:fs";
import { open, rename, writeFile } from "node:fs/promises";
import { getPriority, setPriority } from "node:os";
import { killRunning, run, runningGroups } from "../exec.js";
import { outputsOfDrvFiles } from "../nix/derivation.js";
import type { Handoff, PusherStatus } from "./background.js";
import { backoffBefore, DRAIN_SIGNAL } from "./limits.js";
import { classifyFailure, type Copied, errorLine, parseCopyLog, redactCredentials } from "./report.js";
import { filterPaths, parseQueue } from "./select.js";
import { uploadEnv } from "./upload-tmp.js";
import { copyArgs } from "./url.js";

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

const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} pusher: ${msg}\n`);

/** Reads the whole of stdin: main's handoff (it closes its end once written). */
async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of process.stdin) parts.push(c as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/**
 * The background pusher: tails the hook's queue and uploads each new path with its closure, at most
 * `parallel` nix copies at once, retrying like post. DRAIN_SIGNAL (SIGUSR2, from post): finish the queue and exit.
 * SIGTERM/SIGINT (post cancelled): kill the uploads and exit. It also exits by itself when the job
 * is gone: its folder removed, the runner process that started main ended, or idle past its limit.
 */
export async function runPusher(): Promise<void> {
  const h = JSON.parse(await readStdin()) as Handoff;
  // the job's builds come first: the uploads (each nix copy inherits this) get the CPU the builds leave
  try {
    setPriority(Math.min(19, getPriority() + NICER));
  } catch {
    /* not allowed here: uploads run at the job's priority */
  }
  // TMPDIR in the job's folder: what a killed upload leaves goes with it
  const env = uploadEnv(h.jobDir);
  const sent = new Set<string>();
  const refused = new Set<string>();
  const seen = new Set<string>();
  const copied: Copied = { paths: new Set(), narBytes: 0 };
  const pending: string[] = [];
  let running = 0;
  let offset = 0;
  let partial = "";
  let draining = false;
  let lastActivity = Date.now();
  let reported = "";

  const writeStatus = async (state: string) => {
    const s: PusherStatus = {
      pid: process.pid,
      sent: [...sent],
      refused: [...refused],
      uploaded: copied.paths.size,
      narBytes: copied.narBytes,
      uploads: runningGroups(),
      state,
    };
    const tmp = `${h.statusFile}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(s), { mode: 0o600 });
      await rename(tmp, h.statusFile);
    } catch {
      /* the job dir is gone: nobody will read it */
    }
  };
  const exit = async (state: string, code: number) => {
    const killed = killRunning();
    log(`${state}${killed.length ? ` (stopped ${killed.length} upload(s))` : ""}; ${sent.size} queued path(s) sent, ${copied.paths.size} uploaded, ${copied.narBytes} NAR bytes`);
    await writeStatus(state);
    process.exit(code);
  };
  // a wake-up that arrives while the loop works is kept for its next nap, so none is lost
  let kicked = false;
  let wakeUp: (() => void) | undefined;
  const kick = () => {
    kicked = true;
    wakeUp?.();
  };
  const nap = (ms: number) =>
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
    });
  let watcher: FSWatcher | undefined;
  const watchQueue = () => {
    if (watcher) return;
    try {
      watcher = watch(h.queueFile, { persistent: false }, (event) => {
        // the file was replaced or removed: watch whatever is at its path on the next turn
        if (event === "rename") {
          watcher?.close();
          watcher = undefined;
        }
        kick();
      });
      watcher.on("error", () => {
        watcher?.close();
        watcher = undefined;
        kick();
      });
    } catch {
      /* no change events here (or the file is gone): the tick reads the queue */
    }
  };
  process.on(DRAIN_SIGNAL, () => {
    draining = true;
    log("end of queue signalled by the post step: finishing");
    kick();
  });
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => void exit(`stopped by ${sig}`, 0));

  const readQueue = async (): Promise<string[]> => {
    const f = await open(h.queueFile, "r").catch(() => undefined);
    if (!f) return [];
    try {
      const buf = Buffer.alloc(64 * 1024);
      let text = "";
      for (let i = 0; i < 1000; i++) {
        const { bytesRead } = await f.read(buf, 0, buf.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        text += buf.subarray(0, bytesRead).toString("utf8");
      }
      // a line the hook is still writing waits for its newline
      const all = partial + text;
      const cut = all.lastIndexOf("\n") + 1;
      partial = all.slice(cut);
      return parseQueue(all.slice(0, cut));
    } finally {
      await f.close();
    }
  };

  const outputsOf = async (drvs: string[]): Promise<string[]> => {
    if (drvs.length === 0) return [];
    // the .drv files say (no process on the way to the upload); nix-store for what they do not
    const { outputs, unread } = outputsOfDrvFiles(drvs);
    if (unread.length === 0) return outputs;
    const r = await run("nix-store", ["--query", "--outputs", ...unread], { timeoutMs: 60_000 });
    if (r.code !== 0) {
      log(`could not ask for the outputs of ${unread.length} derivation(s) (${errorLine(r.stderr)}); the post step will`);
      return outputs;
    }
    return [...outputs, ...r.stdout.split("\n").filter(Boolean)];
  };

  const upload = async (batch: string[]) => {
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, backoffBefore(attempt, h.limits, h.limits.timeoutMs)));
      const t0 = Date.now();
      log(`uploading ${batch.length} path(s)${attempt > 1 ? ` (attempt ${attempt})` : ""}: ${batch.slice(0, 3).join(" ")}${batch.length > 3 ? " …" : ""}`);
      const r = await run("nix", copyArgs(h.url, batch), { env, timeoutMs: h.limits.timeoutMs, secret: h.key, spool: true });
      const before = copied.paths.size;
      parseCopyLog(r.stderr + r.stdout, copied);
      if (r.code === 0) {
        for (const p of batch) sent.add(p);
        log(`sent ${batch.length} path(s) (${copied.paths.size - before} uploaded) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        await writeStatus("running");
        return;
      }
      const why = r.timedOut ? "timed out" : errorLine(r.stderr);
      const permanent = !r.timedOut && classifyFailure(r.stderr) === "permanent";
      log(`attempt ${attempt} of ${h.limits.attempts} for ${batch.length} path(s) failed: ${redactCredentials(why)}`);
      if (permanent || attempt >= h.limits.attempts) {
        for (const p of batch) refused.add(p);
        await writeStatus("running");
        return;
      }
    }
  };

  const jobGone = (): string | undefined => {
    if (!existsSync(h.jobDir)) return "the job's folder is gone";
    if (h.runnerPid > 1) {
      try {
        process.kill(h.runnerPid, 0);
      } catch {
        return `the process that started the job's main step (pid ${h.runnerPid}) is gone`;
      }
    }
    if (!draining && running === 0 && pending.length === 0 && Date.now() - lastActivity > h.idleMs) return `idle for ${Math.round(h.idleMs / 1000)} s`;
    return undefined;
  };

  watchQueue();
  log(`started (pid ${process.pid}, niceness ${getPriority()}), following ${h.queueFile} (${watcher ? "change events" : `read every ${TICK_MS} ms`}), ${h.parallel} upload(s) at once`);
  await writeStatus("running");
  // bounded: every turn either ends the process or naps (a tick at most); the idle limit ends a lost job
  for (;;) {
    watchQueue();
    const gone = jobGone();
    if (gone) await exit(`stopped: ${gone}`, 0);
    const drainingNow = draining;
    const entries = await readQueue();
    const drvs = entries.filter((e) => e.endsWith(".drv") && !seen.has(e));
    for (const d of drvs) seen.add(d);
    const outs = [...entries.filter((e) => !e.endsWith(".drv")), ...(await outputsOf(drvs))];
    const { keep } = filterPaths(outs, h.storeDir, h.pushFilter);
    const before = pending.length;
    for (const p of keep) {
      if (seen.has(p)) continue;
      seen.add(p);
      pending.push(p);
      lastActivity = Date.now();
    }
    if (pending.length > before) log(`queued ${pending.length - before} new path(s)`);
    while (running < h.parallel && pending.length > 0) {
      const batch = pending.splice(0, BATCH);
      running++;
      void upload(batch).finally(() => {
        running--;
        lastActivity = Date.now();
        kick();
      });
    }
    const groups = runningGroups().join(",");
    if (groups !== reported) {
      reported = groups;
      await writeStatus("running");
    }
    // the queue was read after the signal arrived: nothing the job built is missing
    if (drainingNow && running === 0 && pending.length === 0) await exit("drained", 0);
    await nap(TICK_MS);
  }
}
