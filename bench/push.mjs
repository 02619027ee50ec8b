// Push benchmark: `node bench/push.mjs` (root, offline, real Nix). Builds the bundles first if dist is
// missing. Runs the built post step exactly as a runner would (env files, STATE_*), and compares it with
// raw `nix copy` in the same run. Writes the `## Push` section of BENCHMARKS.md (other sections are kept).
//   1. push of a fresh workload (≥ 500 paths, ≥ 200 MB) : post step vs raw nix copy, file:// cache
//   2. path selection cost as the store grows (2k → 20k entries, 20 new paths): hook and diff methods
//   3. re-push of an already cached set: post step vs raw nix copy no-op
//   4. push during the build: a build-bound job with the background pusher vs post-only vs no push
// The Nix is the first on PATH (bench/run.mjs puts a provisioned version's BINDIR first, for the bundles
// and the raw commands alike); the sections are titled by its version.
// Env: BENCH_REPS (default 7), BENCH_PATHS (500), BENCH_KB_PER_PATH (the random part, default 300; ~450 KB of
// NAR per path), BENCH_DURING_REPS (5), BENCH_DURING_SLEEP (each build's sleep, 5 s), BENCH_PUSH_SECTIONS (which to run, default "growth,fresh,during").
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cachedPaths, ensureUser, generateKey, narinfos, startDaemon, TEST_NIX_CONFIG, trivialDrv } from "../scripts/lib/nix.mjs";
import { startThrottledCache } from "../scripts/lib/throttled-cache.mjs";
import { laterStepEnv, newJob, runStep } from "../scripts/lib/runner.mjs";
import { ensureBuilt, machine, median, nixVersion, spread, timed, writeResult, writeSection } from "./lib.mjs";

const REPS = Number(process.env.BENCH_REPS ?? 7);
const SECTIONS = new Set((process.env.BENCH_PUSH_SECTIONS ?? "growth,fresh,during").split(/[\s,]+/).filter(Boolean));
const NIX_VERSION = nixVersion();
const NPATHS = Number(process.env.BENCH_PATHS ?? 500);
const STORE = "/nix/store";
const SALT = `${process.pid}-${Date.now()}-${randomBytes(4).toString("hex")}`;
const WORK = mkdtempSync(path.join(os.tmpdir(), "nra-bench-push-"));
chmodSync(WORK, 0o755); // the diff case's steps run as an unprivileged user and must reach their job dir
const NIX_CONFIG = `${TEST_NIX_CONFIG}\nmax-jobs = 2`;
const BASE_ENV = { PATH: process.env.PATH, HOME: process.env.HOME, NIX_CONFIG, NIX_USER_CONF_FILES: "" };
/** What every job starts from on top of the runner's own variables (newJob sets PATH, HOME, USER, RUNNER_TEMP…). */
const JOB_ENV = { NIX_CONFIG, NIX_USER_CONF_FILES: "" };
const cleanup = [];

const log = (...a) => console.error("[bench]", ...a);
const sh = (cmd, args, env = BASE_ENV, opts = {}) => {
  const r = spawnSync(cmd, args, { env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 600_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 6).join(" ")} … failed (${r.status}): ${r.stderr?.slice(-2000)}`);
  return r.stdout;
};

// ---- the job, its steps (the shared runner emulation, scripts/lib/runner.mjs) ----
/** A job's temp dir and runner files under WORK; with `user`, owned by that user and its steps run as it. */
function job(extraEnv = {}, user) {
  const j = newJob({ ...JOB_ENV, ...extraEnv }, user, { parent: WORK });
  j.timeoutMs = 900_000;
  return j;
}
/** A step that must succeed: main may warn about the environment (e.g. an untrusted daemon); the post step must not warn at all. */
async function step(j, which, inputs) {
  const r = await runStep(j, which, inputs);
  if (r.code !== 0 || /::error::/.test(r.log) || (which === "post" && /::warning::/.test(r.log))) throw new Error(`${which} step: ${r.log.slice(-3000)}`);
  return r;
}

const drv = (name, body, extra = "") => `(${trivialDrv(name, SALT, body, `PATH = "/usr/bin:/bin"; ${extra}`)})`;
/** Builds the derivations; the outputs and then their .drv files are deleted again at the end. */
function buildMany(j, exprs) {
  const env = laterStepEnv(j);
  const out = sh("nix-build", ["--no-out-link", "-E", `[ ${exprs.join("\n")} ]`], env, { uid: j.uid, gid: j.gid, cwd: env.RUNNER_TEMP })
    .split("\n")
    .filter(Boolean);
  const drvs = sh("nix-store", ["--query", "--deriver", ...out]).split("\n").filter((d) => d.endsWith(".drv"));
  cleanup.push(() => spawnSync("nix-store", ["--delete", ...drvs], { env: BASE_ENV }));
  cleanup.push(() => spawnSync("nix-store", ["--delete", ...out], { env: BASE_ENV }));
  return out;
}
/** NAR bytes of each path, from `nix path-info --json` in the shape this Nix prints (a list ≤ 2.18, an object keyed by path after). */
function narSizes(paths) {
  const [maj, min] = NIX_VERSION.split(".").map(Number);
  const json = maj > 2 || min >= 34 ? ["--json", "--json-format", "1"] : ["--json"];
  const data = JSON.parse(sh("nix", ["path-info", ...json, ...paths]));
  const entries = Array.isArray(data) ? data : Object.entries(data).map(([p, info]) => ({ path: p, ...info }));
  return new Map(entries.map((e) => [e.path, Number(e.narSize)]));
}
const storeCount = () => readdirSync(STORE).length;
const fmt = (ms) => (ms / 1000).toFixed(2);

// ---- 1 + 3: fresh push and re-push, post step vs raw nix copy ----
async function pushVsRaw(key) {
  const j = job();
  const cacheB = path.join(WORK, "cache-post");
  const cacheA = path.join(WORK, "cache-raw");
  // post-only: this measures the post step's own copy against raw nix copy
  const inputs = { "push-to": `file://${cacheB}`, "signing-key": key.secret, "trusted-public-keys": key.pub, "push-during-build": "false" };
  await step(j, "main", inputs);
  const kb = Number(process.env.BENCH_KB_PER_PATH ?? 300);
  // per path: KB of random bytes (incompressible) + a hex dump of 50 KB more (compressible, ~200 KB)
  const exprs = Array.from({ length: NPATHS }, (_, i) =>
    drv(`nra-bench-${i}`, `head -c ${kb * 1000} /dev/urandom > $out; head -c 50000 /dev/urandom | od -x >> $out`),
  );
  log(`building ${NPATHS} paths in a later step (the job's hook records them)…`);
  const t = timed(() => buildMany(j, exprs));
  const paths = t.out;
  const narBytes = [...narSizes(paths).values()].reduce((s, n) => s + n, 0);
  log(`built ${paths.length} paths, ${(narBytes / 1e6).toFixed(0)} MB NAR, in ${fmt(t.ms)} s`);
  const rawUrl = `file://${cacheA}?compression=zstd&parallel-compression=true&secret-key=${key.secretFile}`;
  const raw = [];
  const post = [];
  for (let rep = 0; rep < REPS; rep++) {
    rmSync(cacheA, { recursive: true, force: true });
    rmSync(cacheB, { recursive: true, force: true });
    // flush the previous run's writes first, so neither side pays for the other's writeback
    const runRaw = () => (spawnSync("sync"), raw.push(timed(() => sh("nix", ["copy", "--to", rawUrl, ...paths])).ms));
    const runPost = async () => {
      spawnSync("sync");
      const r = await step(j, "post", inputs);
      if (!r.log.includes(`push: ${paths.length} path(s) uploaded`)) throw new Error(`post did not upload all paths:\n${r.log}`);
      post.push(r.ms);
    };
    if (rep % 2 === 0) {
      runRaw();
      await runPost();
    } else {
      await runPost();
      runRaw();
    }
    if (narinfos(cacheA).length !== paths.length || narinfos(cacheB).length !== paths.length) throw new Error("caches differ from the path set");
    log(`rep ${rep + 1}: raw ${fmt(raw.at(-1))} s, post step ${fmt(post.at(-1))} s`);
  }
  const again = { raw: [], post: [] };
  for (let rep = 0; rep < Math.max(REPS, 5); rep++) {
    again.raw.push(timed(() => sh("nix", ["copy", "--to", rawUrl, ...paths])).ms);
    const r = await step(j, "post", inputs);
    if (!r.log.includes("push: 0 path(s) uploaded")) throw new Error(`re-push uploaded something:\n${r.log}`);
    again.post.push(r.ms);
  }
  const cacheBytes = readdirSync(path.join(cacheB, "nar")).reduce((s, f) => s + Number(execFileSync("stat", ["-c", "%s", path.join(cacheB, "nar", f)])), 0);
  return { paths: paths.length, narBytes, cacheBytes, raw, post, again };
}

// ---- 2: selection cost as the store grows ----
function fillStoreTo(target) {
  const have = storeCount();
  const n = target - have;
  if (n <= 0) return;
  const env = { ...BASE_ENV, NIX_CONFIG: `${NIX_CONFIG}\nfsync-metadata = false` };
  const expr = `builtins.concatStringsSep "\\n" (builtins.genList (i: builtins.toFile "nra-bench-fill-${have}-\${toString i}" "${SALT}-${have}-\${toString i}") ${n})`;
  const out = sh("nix-instantiate", ["--read-write-mode", "--eval", "--json", "-E", expr], env);
  const added = JSON.parse(out).split("\n");
  cleanup.push(() => {
    for (let i = 0; i < added.length; i += 2000) spawnSync("nix-store", ["--delete", ...added.slice(i, i + 2000)], { env: BASE_ENV });
  });
}

/**
 * The diff method is what a client the daemon does not trust gets (a trusted root client of a daemon
 * in its own PID namespace gets the hook), so the diff case runs its steps and builds as the
 * unprivileged user UNPRIVILEGED through the daemon; the hook case runs as root in single-user mode.
 */
async function selectionAt(size, method, daemonEnv, key) {
  const j = method === "diff" ? job(daemonEnv, ensureUser()) : job();
  const cache = path.join(j.temp, "cache");
  const inputs = { "push-to": `file://${cache}`, "signing-key": key.secret, "trusted-public-keys": key.pub, "push-during-build": "false" };
  const main = (await step(j, "main", inputs)).log;
  if (!main.includes(`found by the ${method} method`)) throw new Error(`expected the ${method} method:\n${main}`);
  const setupMs = Number(main.match(/set up the \w+ method in (\d+) ms/)[1]);
  const exprs = Array.from({ length: 20 }, (_, i) => drv(`nra-bench-new-${size}-${method}-${i}`, "echo $salt > $out"));
  buildMany(j, exprs);
  const t = await step(j, "post", inputs);
  const selectMs = Number(t.log.match(/selected in (\d+) ms/)[1]);
  const pushed = Number(t.log.match(/to push/) && t.log.match(/(\d+) to push/)[1]);
  return { setupMs, selectMs, postMs: t.ms, pushed, entries: storeCount() };
}

function writeReport(r) {
  const ratio = (a, b) => (median(a) / median(b)).toFixed(2);
  const growth = r.growth.length
    ? [
        "Selection = main's set-up (hook: write the script; diff: list the store) + post's selection (read the queue or list and",
        "diff the store, resolve, filter, check validity), as logged by the steps themselves. The diff method runs through a",
        "nix-daemon on a private socket as the unprivileged user nixtest (a client the daemon does not trust), the hook method as root in single-user mode.",
        "",
        "| store entries | hook: main ms | hook: post ms | hook total ms | diff: main ms | diff: post ms | diff total ms | pushed (hook/diff) |",
        "|---|---|---|---|---|---|---|---|",
        ...r.growth.map(
          (g) =>
            `| ${g.hook.entries} | ${g.hook.setupMs} | ${g.hook.selectMs} | ${g.hook.setupMs + g.hook.selectMs} | ${g.diff.setupMs} | ${g.diff.selectMs} | ${g.diff.setupMs + g.diff.selectMs} | ${g.hook.pushed}/${g.diff.pushed} |`,
        ),
        "",
        `Hook selection at the largest store / at the smallest: ${((r.growth.at(-1).hook.setupMs + r.growth.at(-1).hook.selectMs) / Math.max(1, r.growth[0].hook.setupMs + r.growth[0].hook.selectMs)).toFixed(2)}× (flat: it never looks at the store).`,
        `Diff selection at the largest store / at the smallest: ${((r.growth.at(-1).diff.setupMs + r.growth.at(-1).diff.selectMs) / Math.max(1, r.growth[0].diff.setupMs + r.growth[0].diff.selectMs)).toFixed(2)}× (two readdirs of the store, linear in its size).`,
        "On a shared store the diff also picks up paths other jobs added meanwhile; it pushes them too (the counts above show only this bench's paths when the machine is otherwise idle).",
      ]
    : ["Not measured on this version (`BENCH_PUSH_SECTIONS`): the selection's cost depends on the method and the store's size, not on the Nix version; see the first version's Push section."];
  const lines = [
    `Measured by \`node bench/push.mjs\` on ${new Date().toISOString().slice(0, 10)}: ${r.machine}.`,
    "The post step is the built bundle run as a runner runs it (env files, STATE_*), so its time includes node start-up,",
    "path selection, handing the key to nix through a pipe, and the summary. Raw is `nix copy` of exactly the same paths with the",
    "same URL settings (zstd, parallel-compression, secret-key) to the same kind of `file://` cache, in the same run, order alternated,",
    "`sync` before each timed run.",
    "",
    `### 1. Fresh push: ${r.push.paths} paths, ${(r.push.narBytes / 1e6).toFixed(0)} MB NAR (${(r.push.cacheBytes / 1e6).toFixed(0)} MB compressed), ${r.reps} reps`,
    "",
    "| | median s | spread s | all runs s |",
    "|---|---|---|---|",
    `| raw \`nix copy\` | ${fmt(median(r.push.raw))} | ${spread(r.push.raw, fmt)} | ${r.push.raw.map(fmt).join(", ")} |`,
    `| post step (hook method) | ${fmt(median(r.push.post))} | ${spread(r.push.post, fmt)} | ${r.push.post.map(fmt).join(", ")} |`,
    "",
    `**Ratio post / raw: ${ratio(r.push.post, r.push.raw)}×** (target ≤ 1.15×). Throughput of the post step: ${(r.push.narBytes / 1e6 / (median(r.push.post) / 1000)).toFixed(0)} MB/s of NAR.`,
    "",
    "### 2. Path selection as the store grows (20 new paths each time)",
    "",
    ...growth,
    "",
    `### 3. Re-push of the already cached set (${r.push.paths} paths, ${r.push.again.raw.length} runs)`,
    "",
    "| | median s |",
    "|---|---|",
    `| raw \`nix copy\` (no-op) | ${fmt(median(r.push.again.raw))} |`,
    `| post step (uploads nothing) | ${fmt(median(r.push.again.post))} |`,
    "",
    `Ratio post / raw: ${ratio(r.push.again.post, r.push.again.raw)}× — the difference is a fixed cost (node start-up, reading state and the queue, the no-op \`nix copy\`'s own queries; the hook method checks validity only when a copy fails), about ${fmt(median(r.push.again.post) - median(r.push.again.raw))} s.`,
    "",
  ];
  const section = lines.join("\n");
  writeSection(`Push, Nix ${NIX_VERSION}`, section);
  console.log(section);
  return { fresh: median(r.push.post) / median(r.push.raw), repush: median(r.push.again.post) / median(r.push.again.raw) };
}

// ---- 4: push during the build vs post-only vs no push, a throttled HTTP cache, a build-bound job ----
// Each build "takes a few seconds": 5 s of sleep after writing its 25 MB. The last path's 1.3 s upload
// cannot overlap any build, so it alone sets the job's floor (below): about 1.07× with 2 s of sleep,
// 1.050× with 3 s (the target itself, so that job could not tell a good pusher from a bad one), and
// about 1.03× with 5 s, which leaves the pusher's own cost visible against the 1.05× target.
const DURING = {
  paths: Number(process.env.BENCH_DURING_PATHS ?? 8),
  mb: 25,
  sleep: Number(process.env.BENCH_DURING_SLEEP ?? 5),
  rate: 20_000_000,
};
const MODES = ["during", "post", "none"];

/**
 * Where the last path's time went, from the pusher's log (its lines carry ISO times) against when the
 * last build's nix-build returned: when the pusher queued it (negative: before nix-build returned, the
 * hook runs inside the build), when its upload started and ended, when the pusher had drained.
 */
function lastPathTimeline(pusherLog, lastPath, buildEnd) {
  const lines = pusherLog.split("\n").map((l) => /^(\S+Z) pusher: (.*)$/.exec(l)).filter(Boolean).map((m) => ({ t: Date.parse(m[1]) - buildEnd, msg: m[2] }));
  const up = lines.findLastIndex((l) => l.msg.startsWith("uploading") && l.msg.includes(lastPath));
  if (up === -1) return undefined;
  const queued = lines.slice(0, up).findLast((l) => l.msg.startsWith("queued"));
  const sent = lines.slice(up).find((l) => l.msg.startsWith("sent"));
  const drained = lines.find((l) => l.msg.startsWith("drained"));
  return { queued: queued?.t, uploadStart: lines[up].t, uploadEnd: sent?.t, drained: drained?.t };
}

/** One job: main, DURING.paths builds one after another (as steps would), post; times in ms. */
async function duringJob(mode, key, rep) {
  const cache = mode === "none" ? undefined : await startThrottledCache({ dir: path.join(WORK, `during-${mode}-${rep}`), bytesPerSecond: DURING.rate, maxSeconds: 900 });
  cleanup.push(() => cache?.stop());
  try {
    const j = job({ NIX_CONFIG: `${NIX_CONFIG}\ndownload-attempts = 1` });
    const inputs = cache ? { "push-to": cache.url, "signing-key": key.secret, "trusted-public-keys": key.pub, "push-during-build": String(mode === "during") } : {};
    const t0 = Date.now();
    const main = (await step(j, "main", inputs)).log;
    if (mode === "during" && !main.includes("background pusher started")) throw new Error(`no background pusher:\n${main}`);
    const built = [];
    for (let i = 0; i < DURING.paths; i++) {
      const expr = drv(`nra-bench-during-${mode}-${rep}-${i}`, `head -c ${DURING.mb}M /dev/urandom > $out; sleep ${DURING.sleep}`);
      const env = laterStepEnv(j);
      const out = sh("nix-build", ["--no-out-link", "-E", expr], env, { cwd: env.RUNNER_TEMP }).trim().split("\n").pop();
      built.push(out);
      const drvPath = sh("nix-store", ["--query", "--deriver", out]).trim();
      cleanup.push(() => spawnSync("nix-store", ["--delete", drvPath], { env: BASE_ENV }));
      cleanup.push(() => spawnSync("nix-store", ["--delete", out], { env: BASE_ENV }));
    }
    const buildsDone = Date.now();
    const before = cache ? cachedPaths(cache.dir, built).length : 0;
    const postStart = Date.now();
    const post = await step(j, "post", inputs);
    const end = Date.now();
    if (cache) {
      const v = spawnSync("nix", ["store", "verify", "--store", cache.url, "--trusted-public-keys", key.pub, ...built], { env: BASE_ENV, encoding: "utf8" });
      if (v.status !== 0) throw new Error(`${mode}: nix store verify failed: ${v.stderr}`);
    }
    const waited = Number(post.log.match(/post waited ([\d.]+) s for it/)?.[1] ?? 0);
    // the last-built path's NAR upload at the cache's rate: what post must at least wait for
    const lastNar = narSizes([built.at(-1)]).get(built.at(-1));
    const pusherLog = mode === "during" ? readFileSync(path.join(j.temp, "nix-runner-action", "pusher.log"), "utf8") : "";
    await cache?.stop();
    return {
      jobMs: end - t0,
      postMs: end - postStart,
      buildMs: buildsDone - t0,
      before,
      waited,
      lastUploadMs: (lastNar / DURING.rate) * 1000,
      timeline: mode === "during" ? lastPathTimeline(pusherLog, built.at(-1), buildsDone) : undefined,
    };
  } finally {
    await cache?.stop();
  }
}

/** The orders of the three modes, all six of them in turn: each mode runs first, second and last equally often over 6 reps. */
function orderOf(rep) {
  const rot = rep % 3;
  const order = [...MODES.slice(rot), ...MODES.slice(0, rot)];
  return Math.floor(rep / 3) % 2 === 0 ? order : order.reverse();
}

async function pushDuringBuild(key) {
  const reps = Number(process.env.BENCH_DURING_REPS ?? 5);
  const runs = { during: [], post: [], none: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const mode of orderOf(rep)) {
      spawnSync("sync");
      const r = await duringJob(mode, key, rep);
      runs[mode].push(r);
      const t = r.timeline;
      log(
        `during-build rep ${rep + 1} ${mode}: job ${fmt(r.jobMs)} s, post ${fmt(r.postMs)} s` +
          (mode === "during"
            ? `, ${r.before}/${DURING.paths} up before post, waited ${r.waited} s` + (t ? `; last path queued ${t.queued} ms, upload ${t.uploadStart}→${t.uploadEnd} ms, drained ${t.drained} ms after its build` : "")
            : ""),
      );
    }
  }
  return { reps, runs };
}

function writeDuringReport(r) {
  const m = (mode, f) => median(r.runs[mode].map(f));
  const postDuring = m("during", (x) => x.postMs);
  const postOnly = m("post", (x) => x.postMs);
  const lastUpload = m("during", (x) => x.lastUploadMs);
  const jobDuring = m("during", (x) => x.jobMs);
  const jobNone = m("none", (x) => x.jobMs);
  // each rep ran the three jobs back to back: the ratio within a rep cancels what drifts between reps
  const paired = r.runs.during.map((x, i) => x.jobMs / r.runs.none[i].jobMs);
  const extra = r.runs.during.map((x, i) => x.jobMs - r.runs.none[i].jobMs);
  // what no pusher can avoid: the job ends only once its last path is up, and that upload starts when its build ends
  const floor = (jobNone + lastUpload) / jobNone;
  const all = (mode, f) => r.runs[mode].map((x) => fmt(f(x))).join(", ");
  const sp = (mode, f) => spread(r.runs[mode].map(f), fmt);
  const tl = r.runs.during.map((x) => x.timeline).filter(Boolean);
  const tm = (f) => (tl.length ? Math.round(median(tl.map(f).filter((v) => v !== undefined))) : "-");
  const own = m("during", (x) => x.postMs - x.waited * 1000);
  const lines = [
    `Measured by \`node bench/push.mjs\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`,
    `A job of ${DURING.paths} builds run one after another as later steps would (each ${DURING.mb} MB of random bytes, then \`sleep ${DURING.sleep}\`),`,
    `pushing over HTTP to \`scripts/lib/throttled-cache.mjs\` on 127.0.0.1 limited to ${DURING.rate / 1e6} MB/s of uploads: build-bound (the upload of`,
    `${DURING.paths * DURING.mb} MB takes ${((DURING.paths * DURING.mb * 1e6) / DURING.rate).toFixed(0)} s at that rate, the builds longer). Same run, ${r.reps} reps; within a rep the three jobs run back to back, in`,
    "an order that turns with each rep (over 6 reps each job is first, second and last twice); a fresh cache and fresh derivations per",
    "job; every pushed job is checked with `nix store verify` against the cache. Steps are the built bundles run as a runner runs them.",
    "",
    "| | median s | spread s | all runs s |",
    "|---|---|---|---|",
    `| post step, push during the build | ${fmt(postDuring)} | ${sp("during", (x) => x.postMs)} | ${all("during", (x) => x.postMs)} |`,
    `| post step, post-only push | ${fmt(postOnly)} | ${sp("post", (x) => x.postMs)} | ${all("post", (x) => x.postMs)} |`,
    `| whole job, push during the build | ${fmt(jobDuring)} | ${sp("during", (x) => x.jobMs)} | ${all("during", (x) => x.jobMs)} |`,
    `| whole job, post-only push | ${fmt(m("post", (x) => x.jobMs))} | ${sp("post", (x) => x.jobMs)} | ${all("post", (x) => x.jobMs)} |`,
    `| whole job, no push | ${fmt(jobNone)} | ${sp("none", (x) => x.jobMs)} | ${all("none", (x) => x.jobMs)} |`,
    "",
    `Paths already in the cache when post started (push during the build): ${r.runs.during.map((x) => `${x.before}/${DURING.paths}`).join(", ")}; post's logged wait for the pusher: ${r.runs.during.map((x) => x.waited).join(", ")} s.`,
    `Where the post step's time goes (medians, push during the build): it waits ${fmt(m("during", (x) => x.waited * 1000))} s for the pusher and spends ${fmt(own)} s on its own work`,
    `(node start-up, selection, the pusher's log, the summary). The last path, against the end of its nix-build (ms; negative: the hook ran`,
    `before nix-build returned): queued by the pusher ${tm((t) => t.queued)}, its \`nix copy\` started ${tm((t) => t.uploadStart)} and ended ${tm((t) => t.uploadEnd)}, the pusher drained ${tm((t) => t.drained)};`,
    `the NAR's transfer alone at the cache's rate is ${Math.round(lastUpload)} ms.`,
    "",
    `1. **Post step, during / post-only: ${(postDuring / postOnly).toFixed(2)}×** (target ≤ 0.2×); post with push during the build ${fmt(postDuring)} s vs 1 s + the last path's upload (${fmt(lastUpload)} s) = ${fmt(1000 + lastUpload)} s (target: ≤).`,
    `2. **Whole job, during / no push: ${(jobDuring / jobNone).toFixed(2)}×** of the medians (target ≤ 1.05×); per rep (the two jobs of the same rep): median ${median(paired).toFixed(2)}×, spread ${spread(paired, (x) => x.toFixed(2))}×.`,
    `   Within a rep the job with the push during the build took ${fmt(median(extra))} s longer than the one without (median; spread ${spread(extra, fmt)} s),`,
    `   about what its post step waited for the last path's upload. That upload cannot start before its build ends, so this job's floor is`,
    `   (no push + the last path's transfer) / no push = ${floor.toFixed(3)}×${floor > 1.05 ? ": above the target, whatever the pusher does; a job whose builds take longer relative to the last upload has a lower floor" : ""}.`,
    `   Above that floor the push during the build adds ${fmt(median(extra) - lastUpload)} s (median), ${((100 * (median(extra) - lastUpload)) / jobNone).toFixed(1)} % of the job: the last \`nix copy\`'s own work besides the transfer, post's own steps, main starting the pusher.`,
    ...(DURING.sleep > 3
      ? [`   Why ${DURING.sleep} s builds: the floor falls as the builds grow against the last upload; with 3 s (BENCHMARKS.md at commit 28bca93) it was 1.050×, the target itself, and that job measured 1.06–1.07×.`]
      : []),
    "3. The fresh-push ratio against raw `nix copy` (post-only) is in the Push section above.",
    "",
  ];
  const section = lines.join("\n");
  writeSection(`Push during the build, Nix ${NIX_VERSION}`, section);
  console.log(section);
  return { postRatio: postDuring / postOnly, postMs: postDuring, postTargetMs: 1000 + lastUpload, jobRatio: jobDuring / jobNone, pairedMedian: median(paired), pairedSpread: [Math.min(...paired), Math.max(...paired)], floor, reps: r.reps };
}

async function main() {
  ensureBuilt();
  const started = Date.now();
  const key = generateKey(`bench-${SALT}`, mkdtempSync(path.join(WORK, "key-")));
  const result = { version: NIX_VERSION, machine: machine() };
  const growth = [];
  if (SECTIONS.has("growth")) {
    const daemon = await startDaemon("max-jobs = 2");
    cleanup.push(() => daemon.stop());
    for (const size of [2000, 5000, 10000, 20000]) {
      fillStoreTo(size);
      const hook = await selectionAt(size, "hook", daemon.clientEnv, key);
      const diff = await selectionAt(size, "diff", daemon.clientEnv, key);
      log(`store ${hook.entries}: hook ${hook.setupMs}+${hook.selectMs} ms, diff ${diff.setupMs}+${diff.selectMs} ms`);
      growth.push({ size, hook, diff });
    }
  }
  if (SECTIONS.has("fresh")) Object.assign(result, writeReport({ machine: machine(), reps: REPS, push: await pushVsRaw(key), growth }));
  if (SECTIONS.has("during")) result.during = writeDuringReport(await pushDuringBuild(key));
  writeResult("push", result);
  log(`done in ${fmt(Date.now() - started)} s`);
}

try {
  await main();
} finally {
  log("cleaning up (daemon, bench store paths, temp dirs)…");
  for (const f of cleanup.reverse()) {
    try {
      await f();
    } catch {
      /* best effort */
    }
  }
  rmSync(WORK, { recursive: true, force: true });
}
