import * as io from "../step-io.js";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type ExecResult, run, SECRET_FD_PATH } from "../exec.js";
import { ActionError, InputError } from "../errors.js";
import { type Inputs, readInputs } from "../inputs.js";
import type { PushTarget } from "../push-target.js";
import { jobFiles } from "../job-dir.js";
import { locateNix } from "../nix/locate.js";
import { excerpt, notUnderstood, UnknownAnswer } from "../nix/answer.js";
import { parseBuildOutputs, parsePathInfo, pathInfoJsonArgs } from "../nix/path-info.js";
import { runSpellings } from "../nix/spelling.js";
import { type NixVersion, supports } from "../nix/version.js";
import { load, StateKey } from "../state.js";
import { killOrphanUploads, livePusher, pusherLog, readStatus, signalDrain, stopPusherSync, waitForExit } from "./background.js";
import { chunks, copyChunk, type CopyTo } from "./copy.js";
import { boundText, drainDeadline, type Limits, limitsFrom } from "./limits.js";
import { outputsOfDerivations, storePathLines } from "./outputs.js";
import { listStore, storeDirOf } from "../nix/store.js";
import { type PushPlan, pushPathsPlan } from "./plan.js";
import { type Copied, errorLine, failureHint, mbPerSecond, redactCredentials, summaryTable } from "./report.js";
import { filterPaths, newEntries, parseQueue, storePathOf } from "./select.js";
import { uploadEnv } from "./upload-tmp.js";
import { attribute, jobFolders, onlyAttributed } from "./attribute.js";
import { buildPushUrl, type PushUrl } from "./url.js";
import { NIX_FLAKES } from "../nix/features.js";
import type { Upstream } from "../skip-upstream.js";
import { alsoServed, frontCovers, type Skipped, startSkipper } from "./skip.js";

interface Clock {
  deadline: number;
  left: () => number;
}

/**
 * One push run: its time and limits, and what it could not understand of Nix's answers, each already
 * warned about (the summary's result then says the run is incomplete instead of "ok" or "nothing new
 * to push").
 */
interface Run {
  /** When post's push began: the selection's time is logged. */
  started: number;
  clock: Clock;
  limits: Limits;
  version: NixVersion | undefined;
  doubts: string[];
  /** Selected paths a failed copy showed to be gone from the store (checked then, not up front). */
  gone: number;
  /** The uploads' env: TMPDIR in the job's folder (src/push/upload-tmp.ts). */
  uploadEnv: NodeJS.ProcessEnv;
}

/** Warns about an answer not understood and keeps it for the summary. */
function doubt(run: Run, command: string, what: string, instead: string): void {
  io.warning(notUnderstood(command, run.version, what, instead));
  run.doubts.push(`${command} not understood`);
}

/**
 * Post's half of the push. Never throws: outcomes are logged, and a failure follows fail-on-push-error.
 * `fit`: shapes the push's bounds, push-timeout's (GitLab's CLI fits them into after_script's budget).
 */
export async function pushFromPost(jobDirPath: string, fit: (l: Limits) => Limits = (l) => l): Promise<void> {
  let inputs: Inputs;
  try {
    inputs = await readInputs();
  } catch (e) {
    if (e instanceof InputError) {
      io.warning(`push skipped: the inputs are invalid (${io.stepName("main")} reported this): ${e.message.split("\n")[0]}`);
      return;
    }
    throw e;
  }
  const target = inputs.pushTo;
  if (!target) return;
  if (target.password) io.setSecret(target.password);
  const asked = limitsFrom(process.env, inputs.pushTimeoutMs);
  const limits = fit(asked);
  if (limits.timeoutMs < asked.timeoutMs) io.info(`push: ${boundText(asked)} cut to ${Math.round(limits.timeoutMs / 1000)} s to fit the time this step is given`);
  try {
    await push(inputs, target, limits, jobDirPath);
  } catch (e) {
    const msg = `push to ${target.display} failed: ${e instanceof Error ? e.message : String(e)}`;
    if (inputs.failOnPushError) io.setFailed(msg);
    else io.warning(`${msg} (the job stays green: ${io.inputName("fail-on-push-error")} is false)`);
  }
}

async function push(inputs: Inputs, target: PushTarget, limits: Limits, dir: string): Promise<void> {
  const plan = planOf(inputs);
  io.info(`push: ${plan.method} method: ${plan.why}`);
  const state = newRun(plan, limits, dir);
  // told first, so it finishes the queue while post selects
  const pusher = await drainPusher(plan, dir, state.clock);
  const chosen = await select(plan, inputs, target, state);
  const during = pusher.ran ? await afterPusher(dir, pusher.pid, state.clock) : undefined;
  const left = leftAfter(chosen.valid, during);
  const row = { cache: target.display, method: plan.method, during, leftOut: chosen.leftOut };
  if (left.length === 0) {
    const none = chosen.leftOut ? "nothing of this job's to push" : "nothing new to push";
    const result = incomplete(state) ?? (chosen.valid.length === 0 ? none : "ok (all uploaded during the job)");
    const upstream = await upstreamNote(chosen, target, state, during, []);
    await writeSummary({ ...row, selected: chosen.valid.length, uploaded: 0, narBytes: 0, seconds: 0, result, upstream });
    return;
  }
  const { copied, seconds, failure, unpushed, skipped } = await upload(left, chosen, target, state);
  const why = failure ? `${failure.message}; ${unpushedText(unpushed, chosen.valid.length - state.gone)}` : undefined;
  const result = why ? `failed: ${why}` : (incomplete(state) ?? "ok");
  const upstream = await upstreamNote(chosen, target, state, during, [...copied.paths], skipped);
  await writeSummary({ ...row, selected: chosen.valid.length - state.gone, uploaded: copied.paths.size, narBytes: copied.narBytes, seconds, result, upstream });
  if (why) throw new ActionError(why);
  io.info(
    `push: ${copied.paths.size} path(s) uploaded (${copied.narBytes} NAR bytes, ${seconds.toFixed(1)} s, ${mbPerSecond(copied.narBytes, seconds)} MB/s) to ${target.display}; ` +
      `${left.length - state.gone} selected${during ? " (after the background pusher)" : ""}; their dependencies go along, and what the cache already had was skipped`,
  );
}

/** How to find what the job built: main's plan, or, when main saved none, push-paths. */
function planOf(inputs: Inputs): PushPlan {
  const plan = load<PushPlan>(StateKey.PushPlan) ?? pushPathsPlan(inputs.pushPaths, storeDirOf(process.env));
  if (plan) return plan;
  throw new ActionError(
    `${io.stepName("main")} did not get far enough to record how to find what this job built (no push plan in its state), so nothing was pushed; fix ${io.stepName("main")}'s error, or list what to push in ${io.inputName("push-paths")}`,
  );
}

function newRun(plan: PushPlan, limits: Limits, dir: string): Run {
  const started = Date.now();
  const clock: Clock = { deadline: started + limits.timeoutMs, left: () => clock.deadline - Date.now() };
  return { started, clock, limits, version: plan.nix, doubts: [], gone: 0, uploadEnv: uploadEnv(dir) };
}

/**
 * With the hook method, tells the background pusher to finish the queue and exit. `ran`: a pusher
 * ran in this job (its status file is there), even if it is gone now; `pid`: it is still running.
 */
async function drainPusher(plan: PushPlan, dir: string, clock: Clock): Promise<{ pid: number | undefined; ran: boolean }> {
  const pid = plan.method === "hook" ? livePusher(dir) : undefined;
  if (pid !== undefined && !(await signalDrain(dir, pid, 10_000, drainDeadline(clock.deadline, Date.now())))) {
    io.info(`push: the background pusher had not finished starting after 10 s; stopped it, ${io.stepName("post")} pushes everything`);
  }
  return { pid, ran: pid !== undefined || existsSync(jobFiles(dir).pusherStatus) };
}

/** What post pushes, and how: the paths, the `nix copy --to` URL, and the key that signs them. */
interface Selection {
  valid: string[];
  /** The store dir when `valid` was not checked against the store: the first failed copy checks it. */
  uncheckedIn: string | undefined;
  to: PushUrl;
  key: string | undefined;
  /** diff: new store paths left out as not attributable to this job (push-unattributed: false). */
  leftOut?: number;
  /** skip-upstream, and what the front needs to reach push-to (the netrc input, kept in memory). */
  skip: Upstream[];
  netrc: string;
  /** signing-key's name: its own signatures are no upstream's. */
  keyName: string;
}

/** The job's paths (plan's method), less what push-filter drops and what the store no longer holds. */
async function select(plan: PushPlan, inputs: Inputs, target: PushTarget, state: Run): Promise<Selection> {
  const candidates = await candidatesOf(plan, inputs, state);
  const filtered = filterPaths(candidates, plan.storeDir, inputs.pushFilter);
  const { keep, leftOut } = plan.method === "diff" && !inputs.pushUnattributed ? await attributed(filtered.keep, plan, state) : { keep: filtered.keep, leftOut: undefined };
  // the key reaches nix through a pipe (exec's `secret`), never a file
  const key = inputs.signingKey || undefined;
  const to = buildPushUrl(target, { keyFile: key ? SECRET_FD_PATH : undefined });
  // The hook names only what Nix has just built and registered, so its paths are checked only when a
  // copy fails (one deleted since, by a garbage collection): that saves a nix-store run per push. A
  // store diff also sees half-built and deleted entries, push-paths are the user's words, and signing
  // in the local store (for ssh) needs every path there, so those are checked first.
  const checkFirst = plan.method !== "hook" || to.signLocally;
  const valid = checkFirst ? await onlyValid(keep, plan.storeDir, state) : keep;
  io.info(
    `push: ${candidates.length} candidate(s), ${filtered.dropped} dropped (.drv/.lock/.check/push-filter), ` +
      `${leftOut === undefined ? "" : `${leftOut} not attributable to this job, `}` +
      `${checkFirst ? `${keep.length - valid.length} no longer valid` : "validity checked if a copy fails"}, ${valid.length} to push ` +
      `(selected in ${Date.now() - state.started} ms)`,
  );
  const keyName = inputs.signingPublicKey.slice(0, inputs.signingPublicKey.indexOf(":"));
  return { valid, uncheckedIn: checkFirst ? undefined : plan.storeDir, to, key, leftOut, skip: inputs.skipUpstream, netrc: inputs.netrc, keyName };
}

/**
 * The diff's paths this job can be shown to have produced or used (src/push/attribute.ts): through a
 * daemon, the diff also holds what other jobs built meanwhile, which this job must not publish.
 */
async function attributed(paths: string[], plan: PushPlan, state: Run): Promise<{ keep: string[]; leftOut: number }> {
  const folders = jobFolders(process.env);
  const a = await attribute(folders, plan.storeDir, (p) => onlyValid(p, plan.storeDir, state), state.clock.left);
  for (const n of a.notes) io.info(`push: ${n}`);
  const split = onlyAttributed(paths, a.closure);
  if (a.roots.length === 0 && split.leftOut > 0) {
    io.warning(
      `push: this job left no GC root under ${folders.join(" and ") || "its folders (none known)"}, so none of the ${split.leftOut} new store path(s) can be shown to be its own, and none was pushed: ` +
        `keep a result link of what you build (nix build's default; not --no-link), or name it in ${io.inputName("push-paths")}; ${io.inputName("push-unattributed")}: true pushes every new path (only for a runner that runs one job at a time)`,
    );
    return split;
  }
  io.info(
    `push: ${a.roots.length} GC root(s) of this job under ${folders.join(" and ") || "(no job folder known)"} (${a.closure.size} path(s) in their closure); ` +
      `${split.keep.length} of the ${paths.length} new store path(s) are in it` +
      (split.leftOut > 0 ? `; ${split.leftOut} left out as not attributable to this job (other jobs on this daemon may have made them; ${io.inputName("push-unattributed")}: true pushes them)` : ""),
  );
  return split;
}

/** The selected paths the background pusher did not send; what it did is logged. */
function leftAfter(valid: string[], during: During | undefined): string[] {
  if (!during) return valid;
  const left = valid.filter((p) => !during.sent.has(p));
  io.info(
    `push: the background pusher uploaded ${during.uploaded} path(s) (${during.narBytes} NAR bytes) during the job; ` +
      `${io.stepName("post")} waited ${during.waitedSeconds.toFixed(1)} s for it; ${left.length} of ${valid.length} selected path(s) left for ${io.stepName("post")}`,
  );
  return left;
}

/** What post's copies uploaded, in how long, and the error that ended them, if one did. */
interface Sent {
  copied: Copied;
  seconds: number;
  failure?: ActionError;
  /** Selected paths no copy of post's finished (those of the chunk that failed and of every later one). */
  unpushed: number;
  /** What skip-upstream left out, when it ran. */
  skipped?: Skipped;
}

/** The summary's words for what a failed push left: how many selected paths, and that this step did not push them. */
export function unpushedText(unpushed: number, selected: number): string {
  return `${unpushed} of ${selected} selected path(s) left unpushed (this step did not push them)`;
}

/** Signs `paths` in the local store first when the target needs it, then copies them chunk by chunk. */
async function upload(paths: string[], chosen: Selection, target: PushTarget, state: Run): Promise<Sent> {
  const t0 = Date.now();
  const { to, key } = chosen;
  const copied: Copied = { paths: new Set(), narBytes: 0 };
  const budget = { deadline: state.clock.deadline };
  const copyTo: CopyTo = { target, url: to.url, key: to.signLocally ? undefined : key, env: state.uploadEnv, limits: state.limits, budget, copied };
  let finished = 0;
  const goneBefore = state.gone;
  const skipper = chosen.skip.length > 0 && frontCovers(target) ? await startSkipperFor(chosen, target, state) : undefined;
  copyTo.via = skipper;
  try {
    for (const n of to.notes) io.info(`push: ${n}`);
    if (to.signLocally && key) await signLocally(paths, key, state.clock);
    for (const chunk of chunks(paths)) {
      await copyWithRetries(copyTo, chunk, state, chosen.uncheckedIn);
      finished += chunk.length;
    }
    return { copied, seconds: (Date.now() - t0) / 1000, unpushed: 0, skipped: skipper?.skipped() };
  } catch (e) {
    const failure = e instanceof ActionError ? e : new ActionError(e instanceof Error ? e.message : String(e));
    // paths found gone from the store in the failed chunk are not left: nothing could push them
    const unpushed = Math.max(0, paths.length - finished - (state.gone - goneBefore));
    return { copied, seconds: (Date.now() - t0) / 1000, failure, unpushed, skipped: skipper?.skipped() };
  } finally {
    await skipper?.stop();
  }
}

/** The front for skip-upstream, or undefined (warned: the closures then go whole) when it cannot start. */
async function startSkipperFor(chosen: Selection, target: PushTarget, state: Run): Promise<Awaited<ReturnType<typeof startSkipper>> | undefined> {
  try {
    const keyFile = chosen.key && !chosen.to.signLocally ? SECRET_FD_PATH : undefined;
    const s = await startSkipper({ target, upstreams: chosen.skip, netrc: chosen.netrc, keyFile, nixVersion: state.version, env: state.uploadEnv, log: (m) => io.info(`push: ${m}`) });
    io.info(`push: skip-upstream: nix copy writes through a local front on 127.0.0.1 that answers for what ${chosen.skip.map((u) => u.key).join(", ")} serve(s)`);
    return s;
  } catch (e) {
    io.warning(`push: skip-upstream: could not start the local front (${String(e)}); whole closures are pushed`);
    return undefined;
  }
}

/**
 * The summary's word on upstreams: with skip-upstream, what it left out (post's and the pusher's);
 * without it, what of this push the job's own substituters also serve, and the entry that would
 * skip it (a hint: asked within bounds, silent when it cannot be told).
 */
async function upstreamNote(chosen: Selection, target: PushTarget, state: Run, during: During | undefined, uploaded: string[], skipped?: Skipped): Promise<string | undefined> {
  if (chosen.skip.length > 0) {
    if (!frontCovers(target)) {
      const why = `${io.inputName("skip-upstream")} works with file:// and http(s):// push-to; ${target.scheme}// gets whole closures`;
      io.info(`push: ${why}`);
      return why;
    }
    const paths = (skipped?.paths ?? 0) + (during?.skipped?.paths ?? 0);
    const bytes = (skipped?.narBytes ?? 0) + (during?.skipped?.narBytes ?? 0);
    return `${paths} path(s) (${bytes} NAR bytes) left out: served by ${chosen.skip.map((u) => u.url).join(" ")}`;
  }
  const all = [...uploaded, ...(during?.uploadedPaths ?? [])];
  // a hint only: at most 20 s, and never past the push's bound (a second of it is left for the summary)
  const also = await alsoServed(all, chosen.keyName, state.version, Math.min(20_000, state.clock.left() - 1000)).catch(() => undefined);
  if (!also || also.paths === 0) return undefined;
  const text =
    `${also.paths} path(s) (${also.narBytes} NAR bytes) of this push are also served by the job's substituters; ` +
    `${io.inputName("skip-upstream")}: "${also.entries.join(" ")}" would leave them out (see docs/push.md for when that is safe)`;
  io.info(`push: ${text}`);
  return text;
}

interface During {
  sent: Set<string>;
  uploaded: number;
  narBytes: number;
  waitedSeconds: number;
  /** The paths it uploaded, and what its skip-upstream left out. */
  uploadedPaths: string[];
  skipped?: Skipped;
}

/**
 * Waits for the background pusher (signalled to drain) to exit, within the push's time; stops it if
 * it does not. What it reports as sent is done; everything else post pushes itself (a pusher that
 * died, paths it gave up on).
 */
async function afterPusher(dir: string, pid: number | undefined, clock: Clock): Promise<During> {
  const t0 = Date.now();
  if (pid !== undefined && !(await waitForExit(dir, clock.left()))) {
    stopPusherSync(dir);
    io.warning("push: the background pusher did not finish within push-timeout; stopped it");
  }
  const waitedSeconds = (Date.now() - t0) / 1000;
  const orphans = killOrphanUploads(dir);
  if (orphans.length > 0) io.info(`push: stopped ${orphans.length} upload(s) a dead background pusher left running`);
  const status = await readStatus(dir);
  const log = await pusherLog(dir);
  if (log) await io.group("Background pusher log", async () => io.info(log.trimEnd()));
  if (pid === undefined) io.info(`push: the background pusher was not running any more when ${io.stepName("post")} started; ${io.stepName("post")} pushes what it did not send`);
  if (status?.refused.length) io.info(`push: the background pusher gave up on ${status.refused.length} path(s); ${io.stepName("post")} retries them`);
  return {
    sent: new Set(status?.sent ?? []),
    uploaded: status?.uploaded ?? 0,
    narBytes: status?.narBytes ?? 0,
    waitedSeconds,
    uploadedPaths: status?.uploadedPaths ?? [],
    skipped: status?.skipped,
  };
}

/** The summary's result when something was not understood: what was done may be short of the job. */
function incomplete(run: Run): string | undefined {
  return run.doubts.length > 0 ? `incomplete: ${[...new Set(run.doubts)].join("; ")} (see the warnings)` : undefined;
}

async function candidatesOf(plan: PushPlan, inputs: Inputs, run: Run): Promise<string[]> {
  switch (plan.method) {
    case "paths":
      return resolvePushPaths(inputs.pushPaths, plan, run);
    case "hook": {
      if (!plan.queueFile) throw new ActionError("the push plan names no queue file; nothing was pushed");
      const text = await readFile(plan.queueFile, "utf8").catch(() => {
        throw new ActionError(`the post-build-hook's queue ${plan.queueFile} is missing, so what this job built is unknown; nothing was pushed`);
      });
      return withOutputsOfDerivations(parseQueue(text), plan.storeDir, run);
    }
    case "diff": {
      if (!plan.listingFile) throw new ActionError("the push plan names no store listing; nothing was pushed");
      const before = await readFile(plan.listingFile, "utf8").catch(() => {
        throw new ActionError(`the store listing ${plan.listingFile} taken in main is missing, so what this job built is unknown; nothing was pushed`);
      });
      const after = await listStore(plan.storeDir);
      return newEntries(before.split("\n").filter(Boolean), after, plan.storeDir);
    }
  }
}

/** Queued derivations (from a hook that got no OUT_PATHS) are replaced by their outputs. */
async function withOutputsOfDerivations(entries: string[], storeDir: string, state: Run): Promise<string[]> {
  const found = await outputsOfDerivations(entries.filter((e) => e.endsWith(".drv")), storeDir, state.clock.left);
  if (found.other.length > 0) {
    doubt(state, "nix-store --query --outputs", `lines that are not store paths (${excerpt(found.other.join(" "))})`, "the outputs it did name are pushed, the rest of what was built is not");
  }
  const r = found.failed;
  if (r) throw new ActionError(`could not ask the store for the outputs of what was built: ${r.timedOut ? "timed out" : errorLine(r.stderr)}`);
  return [...entries.filter((e) => !e.endsWith(".drv")), ...found.outputs];
}

/** Store paths pass through; installables are asked of Nix (built, if they are not yet). */
async function resolvePushPaths(items: string[], plan: PushPlan, state: Run): Promise<string[]> {
  const out: string[] = [];
  let version: NixVersion | undefined;
  for (const item of items) {
    const direct = storePathOf(item, plan.storeDir);
    if (direct) {
      out.push(direct);
      continue;
    }
    version ??= plan.nix ?? (await locateNix(process.env).version);
    state.version = version;
    if (!(await supports(version, "nixCommand"))) {
      throw new ActionError(`${io.inputName("push-paths")}: "${item}" is an installable, which needs the nix command of Nix ≥ 2.4; give store paths instead`);
    }
    out.push(...(await resolveInstallable(item, plan.storeDir, state)));
  }
  return out;
}

async function resolveInstallable(item: string, storeDir: string, state: Run): Promise<string[]> {
  const { clock, version } = state;
  const asked = { nix: "nix", before: [...NIX_FLAKES, "path-info"], spellings: await pathInfoJsonArgs(version), after: [item], version };
  const { result: info, spelling: jsonArgs } = await runSpellings(asked, { timeoutMs: clock.left() });
  if (info.code === 0) {
    // path-info names outputs that are not built yet too, as not valid
    try {
      const entries = parsePathInfo(info.stdout, storeDir);
      if (entries.every((e) => e.valid)) return entries.map((e) => e.path);
      io.info(`push-paths: "${item}" is not built yet; building it`);
    } catch (e) {
      if (!(e instanceof UnknownAnswer)) throw e;
      // only warned: nix build's answer below can still tell the outputs
      io.warning(notUnderstood(`nix path-info ${jsonArgs.join(" ")}`, version, e.message, `building "${item}" to learn its outputs instead`));
    }
  } else {
    io.info(`push-paths: "${item}" is not built yet (${errorLine(info.stderr)}); building it`);
  }
  const built = await run("nix", [...NIX_FLAKES, "build", "--no-link", "--json", item], { timeoutMs: clock.left() });
  if (built.code !== 0) {
    throw new ActionError(`${io.inputName("push-paths")}: could not resolve "${item}": ${built.timedOut ? "timed out" : errorLine(built.stderr)}`);
  }
  try {
    return parseBuildOutputs(built.stdout, storeDir);
  } catch (e) {
    if (!(e instanceof UnknownAnswer)) throw e;
    throw new ActionError(notUnderstood("nix build --json", version, e.message, `push-paths "${item}" is built but its outputs are unknown, so nothing was pushed`));
  }
}

/** Paths the store still holds as valid; vanished or half-built ones are dropped. */
async function onlyValid(paths: string[], storeDir: string, state: Run): Promise<string[]> {
  const invalid = new Set<string>();
  for (const chunk of chunks(paths)) {
    const r = await run("nix-store", ["--check-validity", "--print-invalid", ...chunk], { timeoutMs: state.clock.left() });
    if (r.code !== 0) throw new ActionError(`could not check which paths are valid: ${r.timedOut ? "timed out" : errorLine(r.stderr)}`);
    const { paths: named, other } = storePathLines(r.stdout, storeDir);
    if (other.length > 0) {
      doubt(state, "nix-store --check-validity --print-invalid", `lines that are not store paths (${excerpt(other.join(" "))})`, "every path it did not name as invalid is pushed");
    }
    for (const p of named) invalid.add(p);
  }
  return paths.filter((p) => !invalid.has(p));
}

async function signLocally(paths: string[], key: string, clock: Clock): Promise<void> {
  for (const chunk of chunks(paths)) {
    const r = await run("nix", [...NIX_FLAKES, "store", "sign", "--recursive", "--key-file", SECRET_FD_PATH, ...chunk], { timeoutMs: clock.left(), secret: key });
    if (r.code !== 0) io.warning(`push: could not sign in the local store (${errorLine(r.stderr)}); the paths go to the cache unsigned by signing-key`);
  }
}

/**
 * Post's copy of one chunk (copyChunk), with post's messages. With `uncheckedIn` (the store dir),
 * the paths' validity was not checked: the first failed copy checks it, and when some paths are gone
 * the rest is copied again at once, as the same attempt.
 */
async function copyWithRetries(to: CopyTo, given: string[], state: Run, uncheckedIn?: string): Promise<void> {
  const { limits } = to;
  // cleared once checked: a second failure is an ordinary one
  let checkIn = uncheckedIn;
  const outcome = await copyChunk(to, given, {
    waiting: (attempt, wait) => io.info(`push: attempt ${attempt} of ${limits.attempts} in ${(wait / 1000).toFixed(1)} s`),
    notUnderstood: (why) => doubt(state, "nix copy -v", redactCredentials(why), "nix copy succeeded, but the paths and NAR bytes counted are only those of the lines understood"),
    recheck: async (paths, r) => {
      if (checkIn === undefined || r.timedOut) return undefined;
      const valid = await onlyValid(paths, checkIn, state);
      checkIn = undefined;
      if (valid.length === paths.length) return undefined;
      const kept = new Set(valid);
      state.gone += paths.length - valid.length;
      io.info(
        `push: nix copy failed (${redactCredentials(errorLine(r.stderr))}): ${paths.length - valid.length} path(s) the job built are no longer in the store ` +
          `(deleted since they were built, as by a garbage collection), first ${paths.find((p) => !kept.has(p))}; ${valid.length > 0 ? "copying the rest again" : "nothing left to copy"}`,
      );
      return valid;
    },
    failed: (attempt, r, final) => {
      const tail = r.stderr.trim().split("\n").filter((l) => !l.startsWith("querying info about")).slice(-20);
      if (tail.length > 0) io.info(`push: nix copy (attempt ${attempt}) ended with:\n${redactCredentials(tail.join("\n"))}`);
      if (!final) io.warning(`push: attempt ${attempt} to ${to.target.display} failed (${whyFailed(r, limits)}); retrying`);
    },
  });
  if (outcome.ok) return;
  if (!outcome.r) throw new ActionError(`${boundText(limits)} reached before the copy could start`);
  throw new ActionError(`${whyFailed(outcome.r, limits)}${failureHint(outcome.r.stderr, to.target.scheme)} [attempt ${outcome.attempt} of ${limits.attempts}]`);
}

function whyFailed(r: ExecResult, limits: Limits): string {
  return r.timedOut ? `${boundText(limits)} reached: the copy was stopped` : errorLine(r.stderr);
}

async function writeSummary(row: Parameters<typeof summaryTable>[0]): Promise<void> {
  try {
    io.appendSummaryTable("Nix binary cache push", summaryTable(row));
  } catch (e) {
    io.info(`push: could not write the job summary: ${String(e)}`);
  }
}
