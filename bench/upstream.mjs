// skip-upstream benchmark: `node bench/upstream.mjs` (root, offline, real Nix; bench/run.mjs runs it per
// Nix version). A job's closure is mostly an upstream's (a stand-in for cache.nixos.org: a file:// cache
// of paths signed by an "upstream" key, which the job substitutes from) plus a few MB of its own outputs.
// Pushed to a throttled HTTP cache (scripts/lib/throttled-cache.mjs), in the same run:
//   skip        the post step with skip-upstream (post only): bytes uploaded against the job's own NAR bytes,
//               and its time against
//   raw         a raw `nix copy` of the same closure (same URL settings) to a cache that already holds the
//               upstream's paths: what the push costs at best
//   skip-during the same job with push-during-build (the background pusher goes through the front too)
//   whole       the post step without skip-upstream: the whole closure, what a user saves (fewer reps: slow)
// Env: BENCH_UPSTREAM_REPS (3), BENCH_UPSTREAM_WHOLE_REPS (1), BENCH_UPSTREAM_PATHS (220 upstream paths),
// BENCH_UPSTREAM_KB (1500 KB of random bytes each), BENCH_UPSTREAM_OWN (4 own paths), BENCH_UPSTREAM_OWN_KB
// (2000 each), BENCH_UPSTREAM_RATE (the cache's upload rate, 2000000 bytes/s).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cachedPaths, generateKey, TEST_NIX_CONFIG, trivialDrv } from "../scripts/lib/nix.mjs";
import { startThrottledCache } from "../scripts/lib/throttled-cache.mjs";
import { laterStepEnv, newJob, runStep } from "../scripts/lib/runner.mjs";
import { ensureBuilt, machine, median, nixVersion, spread, timed, writeResult, writeSection } from "./lib.mjs";

const env = process.env;
const REPS = Number(env.BENCH_UPSTREAM_REPS ?? 3);
const WHOLE_REPS = Number(env.BENCH_UPSTREAM_WHOLE_REPS ?? 1);
const UP = { paths: Number(env.BENCH_UPSTREAM_PATHS ?? 220), kb: Number(env.BENCH_UPSTREAM_KB ?? 1500) };
const OWN = { paths: Number(env.BENCH_UPSTREAM_OWN ?? 4), kb: Number(env.BENCH_UPSTREAM_OWN_KB ?? 2000), sleep: Number(env.BENCH_UPSTREAM_OWN_SLEEP ?? 3) };
const RATE = Number(env.BENCH_UPSTREAM_RATE ?? 2_000_000);
const NIX_VERSION = nixVersion();
const SALT = `${process.pid}-${Date.now()}-${randomBytes(4).toString("hex")}`;
const WORK = mkdtempSync(path.join(os.tmpdir(), "nra-bench-upstream-"));
chmodSync(WORK, 0o755);
const NIX_CONFIG = `${TEST_NIX_CONFIG}\nmax-jobs = 2\nexperimental-features = nix-command`;
const BASE_ENV = { PATH: env.PATH, HOME: env.HOME, NIX_CONFIG, NIX_USER_CONF_FILES: "" };
const UP_DIR = path.join(WORK, "upstream");
const UP_URL = `file://${UP_DIR}`;
const UP_KEY_NAME = `bench-upstream-${SALT}-1`;
const cleanup = [];

const log = (...a) => console.error("[bench]", ...a);
const fmt = (ms) => (ms / 1000).toFixed(2);
const sh = (cmd, args, e = BASE_ENV, opts = {}) => {
  const r = spawnSync(cmd, args, { env: e, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 1_800_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 6).join(" ").slice(0, 300)} … failed (${r.status ?? r.error}): ${r.stderr?.slice(-2000)}`);
  return r.stdout;
};
const drv = (name, body, extra = "") => `(${trivialDrv(name, SALT, body, `PATH = "/usr/bin:/bin"; ${extra}`)})`;
/** The upstream's top path: it refers to every upstream path, so a path that refers to it has all of them in its closure. */
const rootExpr = () => {
  const deps = Array.from({ length: UP.paths }, (_, i) => drv(`nra-up-${i}`, `head -c ${UP.kb * 1000} /dev/urandom > $out`));
  return drv("nra-up-root", "echo $deps > $out", `deps = [ ${deps.join(" ")} ];`);
};

/**
 * NAR bytes of `paths` (a list ≤ 2.18, an object keyed by path after). 2.34 wants --json-format 1,
 * which older versions and Lix refuse: asked that way first, then without, as the action does.
 */
function narBytes(paths) {
  let out;
  try {
    out = sh("nix", ["path-info", "--json", "--json-format", "1", ...paths]);
  } catch {
    out = sh("nix", ["path-info", "--json", ...paths]);
  }
  const data = JSON.parse(out);
  const entries = Array.isArray(data) ? data : Object.values(data);
  return entries.reduce((s, e) => s + Number(e.narSize), 0);
}

/** The upstream cache: its paths built, signed by its key, copied there, and deleted here (the jobs substitute them). */
function makeUpstream(upKey) {
  log(`building the upstream's ${UP.paths} paths of ${UP.kb} KB…`);
  const file = path.join(WORK, "upstream.nix");
  writeFileSync(file, `${rootExpr()}\n`);
  const root = sh("nix-build", ["--no-out-link", file]).trim();
  const closure = sh("nix-store", ["-qR", root]).trim().split("\n");
  const bytes = narBytes(closure);
  sh("nix", ["store", "sign", "--key-file", upKey.secretFile, "-r", root]);
  sh("nix", ["copy", "--to", `${UP_URL}?compression=zstd`, root]);
  const drvs = sh("nix-store", ["--query", "--deriver", ...closure]).split("\n").filter((d) => d.endsWith(".drv"));
  spawnSync("nix-store", ["--delete", ...closure, ...drvs], { env: BASE_ENV });
  log(`upstream: ${closure.length} paths, ${(bytes / 1e6).toFixed(0)} MB NAR, in ${UP_URL}`);
  return { closure, bytes };
}

/**
 * Files with the job's own outputs for one run, one per build, each referring to the upstream's root (so the closure is
 * the upstream's plus these) and taking a few seconds (a sleep after writing): files, as the expressions are too long for
 * a command line.
 */
function ownFiles(tag) {
  return Array.from({ length: OWN.paths }, (_, i) => {
    const own = drv(`nra-own-${tag}-${i}`, `head -c ${OWN.kb * 1000} /dev/urandom > $out; echo $root >> $out; sleep ${OWN.sleep}`, "root = root;");
    const file = path.join(WORK, `own-${tag}-${i}.nix`);
    writeFileSync(file, `let root = ${rootExpr()}; in ${own}\n`);
    return file;
  });
}

/** The job's own builds, one after another as a job's steps would run them. */
const buildOwn = (tag, e, opts = {}) => ownFiles(tag).map((f) => sh("nix-build", ["--no-out-link", f], e, opts).trim().split("\n").pop());

/** One job (main, its own builds in a later step, post) pushing to a fresh throttled cache. */
async function jobRun(variant, tag, key, upstream) {
  const cache = await startThrottledCache({ dir: path.join(WORK, `cache-${tag}`), bytesPerSecond: RATE, maxSeconds: 1800 });
  cleanup.push(() => cache.stop());
  try {
    const j = newJob({ NIX_CONFIG: `${NIX_CONFIG}\nsubstituters = ${UP_URL}\ntrusted-public-keys = ${upstream.pub}\ndownload-attempts = 1`, NIX_USER_CONF_FILES: "" }, undefined, { parent: WORK });
    j.timeoutMs = 1_800_000;
    // a path of its own on the cache: Nix's narinfo cache (in HOME, shared by the runs) keys on the URL, and a port an
    // earlier run's cache had would make Nix take that cache's paths as present in this one
    const url = `${cache.url}/${tag}`;
    const dir = path.join(cache.dir, tag);
    const inputs = { "push-to": url, "signing-key": key.secret, "push-during-build": String(variant === "skip-during") };
    if (variant !== "whole") inputs["skip-upstream"] = `${UP_KEY_NAME}=${UP_URL}`;
    const main = await runStep(j, "main", inputs);
    if (main.code !== 0) throw new Error(`main: ${main.log.slice(-3000)}`);
    const e = laterStepEnv(j);
    const own = buildOwn(tag, e, { cwd: e.RUNNER_TEMP });
    spawnSync("sync");
    const post = await runStep(j, "post", inputs);
    if (post.code !== 0 || /::(warning|error)::/.test(post.log)) throw new Error(`post: ${post.log.slice(-3000)}`);
    if (env.BENCH_UPSTREAM_LOGS) writeFileSync(path.join(env.BENCH_UPSTREAM_LOGS, `${tag}.log`), post.log);
    const held = cachedPaths(dir, upstream.closure).length;
    if (cachedPaths(dir, own).length !== own.length) throw new Error(`${variant}: the cache lacks the job's own paths`);
    if (held !== (variant === "whole" ? upstream.closure.length : 0)) throw new Error(`${variant}: the cache holds ${held} upstream path(s)`);
    sh("nix", ["store", "verify", "--store", url, "--trusted-public-keys", key.pub, ...own]);
    const uploaded = cache.puts.reduce((s, p) => s + p.bytes, 0);
    return { postMs: post.ms, uploaded, ownBytes: narBytes(own), own };
  } finally {
    await cache.stop();
  }
}

/** Raw `nix copy` of the same kind of closure to a cache that already holds the upstream's paths. */
async function rawRun(tag, key, seeded, upPub) {
  const cache = await startThrottledCache({ dir: seeded, bytesPerSecond: RATE, maxSeconds: 1800 });
  cleanup.push(() => cache.stop());
  try {
    const e = { ...BASE_ENV, NIX_CONFIG: `${NIX_CONFIG}\nsubstituters = ${UP_URL}\ntrusted-public-keys = ${upPub}` };
    const own = buildOwn(tag, e);
    spawnSync("sync");
    const url = `${cache.url}?compression=zstd&parallel-compression=true&secret-key=${key.secretFile}`;
    const t = timed(() => sh("nix", ["copy", "--to", url, ...own], e));
    // the cache's "PUT" lines reach this process once its event loop runs again (spawnSync held it)
    await new Promise((r) => setTimeout(r, 300));
    if (cachedPaths(seeded, own).length !== own.length) throw new Error("raw: the cache lacks the paths copied");
    return { ms: t.ms, uploaded: cache.puts.reduce((s, p) => s + p.bytes, 0), ownBytes: narBytes(own) };
  } finally {
    await cache.stop();
  }
}

async function measure(key, upKey, upstream) {
  // the raw runs' cache: the upstream's files already there, as a team cache that had pushed them before
  const seeded = path.join(WORK, "seeded");
  cpSync(UP_DIR, seeded, { recursive: true });
  const runs = { skip: [], "skip-during": [], raw: [], whole: [] };
  const upstreamInfo = { ...upstream, pub: upKey.pub };
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? ["raw", "skip", "skip-during"] : ["skip-during", "skip", "raw"];
    for (const v of order) {
      const tag = `${v}-${rep}`;
      const r = v === "raw" ? await rawRun(tag, key, seeded, upKey.pub) : await jobRun(v, tag, key, upstreamInfo);
      runs[v].push(r);
      log(`rep ${rep + 1} ${v}: ${fmt(r.ms ?? r.postMs)} s, ${(r.uploaded / 1e6).toFixed(2)} MB uploaded${r.ownBytes ? ` (own NAR ${(r.ownBytes / 1e6).toFixed(2)} MB)` : ""}`);
    }
  }
  for (let rep = 0; rep < WHOLE_REPS; rep++) {
    const r = await jobRun("whole", `whole-${rep}`, key, upstreamInfo);
    runs.whole.push(r);
    log(`whole ${rep + 1}: ${fmt(r.postMs)} s, ${(r.uploaded / 1e6).toFixed(1)} MB uploaded`);
  }
  return runs;
}

function report(runs, upstream) {
  const m = (v, f) => median(runs[v].map(f));
  const raw = m("raw", (r) => r.ms);
  const skip = m("skip", (r) => r.postMs);
  const during = m("skip-during", (r) => r.postMs);
  const bytesRatio = (v) => median(runs[v].map((r) => r.uploaded / r.ownBytes));
  const row = (name, v, f) => `| ${name} | ${fmt(m(v, f))} | ${spread(runs[v].map(f), fmt)} | ${runs[v].map((r) => fmt(f(r))).join(", ")} | ${(m(v, (r) => r.uploaded) / 1e6).toFixed(2)} |`;
  const lines = [
    `Measured by \`node bench/upstream.mjs\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`,
    `A stand-in upstream (a \`file://\` cache) serves ${upstream.closure.length} paths, ${(upstream.bytes / 1e6).toFixed(0)} MB of NAR, signed by its own key; each job substitutes`,
    `them and builds ${OWN.paths} paths of its own, one after another (${OWN.kb} KB of random bytes each, referring to the upstream's top path, then`,
    `\`sleep ${OWN.sleep}\`: a build of a few seconds, so a push during the build has something to overlap), then pushes over HTTP to`,
    `\`scripts/lib/throttled-cache.mjs\` on 127.0.0.1 limited to ${RATE / 1e6} MB/s of uploads. Same run, ${REPS} reps (order turned each rep), fresh own paths`,
    "and a fresh cache per run; every pushed cache is checked (the job's paths there and verified with `nix store verify`, the upstream's",
    "absent with the skip and present without). Raw is `nix copy` of the same kind of closure with the same URL settings to a cache that",
    "already holds the upstream's paths. Steps are the built bundles run as a runner runs them.",
    "",
    "| | median s | spread s | all runs s | MB uploaded (median) |",
    "|---|---|---|---|---|",
    row("raw `nix copy`, upstream already in the cache", "raw", (r) => r.ms),
    row("post step, `skip-upstream` (post only)", "skip", (r) => r.postMs),
    row("post step, `skip-upstream` with push during the build", "skip-during", (r) => r.postMs),
    row("post step, whole closure (`skip-upstream` off)", "whole", (r) => r.postMs),
    "",
    `1. **Bytes uploaded / the job's own NAR bytes: ${bytesRatio("skip").toFixed(3)}×** post only, ${bytesRatio("skip-during").toFixed(3)}× with push during the build (target ≤ 1.05×; the rest is narinfos and zstd's frame on random bytes).`,
    `2. **Post step / raw \`nix copy\`: ${(skip / raw).toFixed(2)}×** post only (target ≤ 1.15×), ${(during / raw).toFixed(2)}× with push during the build (the pusher sent the earlier paths while the later ones built; post waits for the last path's upload, ${((OWN.kb * 1000) / RATE).toFixed(1)} s at the cache's rate, and the pusher's drain).`,
    `3. The whole closure instead: ${(m("whole", (r) => r.uploaded) / 1e6).toFixed(0)} MB uploaded in ${fmt(m("whole", (r) => r.postMs))} s: what the skip saves on this link.`,
    "",
  ];
  const section = lines.join("\n");
  writeSection(`Skip what an upstream serves, Nix ${NIX_VERSION}`, section);
  console.log(section);
  return { bytes: bytesRatio("skip"), bytesDuring: bytesRatio("skip-during"), post: skip / raw, postDuring: during / raw };
}

async function main() {
  ensureBuilt();
  const t0 = Date.now();
  const key = generateKey(`bench-team-${SALT}`, mkdtempSync(path.join(WORK, "key-")));
  const upKey = generateKey(UP_KEY_NAME, mkdtempSync(path.join(WORK, "upkey-")));
  const upstream = makeUpstream(upKey);
  const runs = await measure(key, upKey, upstream);
  writeResult("upstream", { version: NIX_VERSION, ...report(runs, upstream) });
  log(`done in ${fmt(Date.now() - t0)} s`);
}

try {
  await main();
} finally {
  for (const f of cleanup.reverse()) {
    try {
      await f();
    } catch {
      /* best effort */
    }
  }
  rmSync(WORK, { recursive: true, force: true });
}
