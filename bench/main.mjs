// Benchmark: the main step where Nix is already there (image mode), against a bare `nix --version`,
// under the host's node and under Node 24 (what GitHub runs `node24` actions with). The Nix is the first
// on PATH (bench/run.mjs puts a provisioned version's BINDIR first); the section is titled by its version.
// Env: BENCH_RUNS (default 31).

import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { HOST_NIX_CONFIG } from "../scripts/lib/nix.mjs";
import { newJob, runStep } from "../scripts/lib/runner.mjs";
import { node24 } from "../scripts/lib/node24.mjs";
import { ensureBuilt, machine, median, nixOnPath, nixVersion, ROOT, timed, timeMs, writeResult, writeSection } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 31);
ensureBuilt();

/**
 * The floor for any JavaScript action that must ask nix its version: start node, run `nix --version`,
 * write one output. No library, no checks.
 */
const FLOOR = `import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
const c = spawn("nix", ["--version"], { stdio: ["ignore", "pipe", "ignore"] });
let v = ""; c.stdout.on("data", (d) => (v += d));
c.on("close", () => appendFileSync(process.env.GITHUB_OUTPUT, "nix-version=" + v.trim() + "\\n"));
`;
const scratch = mkdtempSync(path.join(os.tmpdir(), "nra-bench-main-"));
const floorFile = path.join(scratch, "floor.mjs");
writeFileSync(floorFile, FLOOR);

/**
 * Nix as a Nix-built job image, the official installers and NixOS have it: the binary inside a store
 * path named nix-<version>, reached through a profile's bin/. Here that binary is a byte-for-byte
 * copy of the nix on PATH (Debian's) added to the store, so both layouts run the very same program.
 */
function storeNix() {
  const pkg = path.join(scratch, "nix-" + NIX_VERSION);
  mkdirSync(path.join(pkg, "bin"), { recursive: true });
  copyFileSync(NIX_BIN, path.join(pkg, "bin", "nix"));
  const stored = execFileSync("nix-store", ["--add", pkg], { env: { ...process.env, NIX_CONFIG: HOST_NIX_CONFIG } }).toString().trim();
  const profileBin = path.join(scratch, "profile", "bin");
  mkdirSync(profileBin, { recursive: true });
  symlinkSync(path.join(stored, "bin", "nix"), path.join(profileBin, "nix"));
  return { stored, pathVar: `${profileBin}:${process.env.PATH}` };
}

/** Debian's nix: /usr/bin/nix (the system's), or a newer nix-bin that scripts/provision-nix.mjs unpacked. */
const NIX_BIN = nixOnPath();
const NIX_VERSION = nixVersion();
const NIX_LABEL = NIX_BIN === "/usr/bin/nix" ? "Debian's /usr/bin/nix" : `Debian's nix-bin ${NIX_VERSION} (${path.relative(ROOT, NIX_BIN)})`;

const baseEnv = (pathVar) => ({ PATH: pathVar, HOME: process.env.HOME });

/**
 * The bundle run with a bad input and no nix on PATH: node's start, loading the bundle, reading
 * inputs, and no more (with nix on PATH the entry would start `nix --version` first).
 */
function loadOnly(node) {
  const noNix = path.join(scratch, "no-nix");
  mkdirSync(noNix, { recursive: true });
  const env = { ...baseEnv(noNix), INPUT_MODE: "bench-stops-here", GITHUB_OUTPUT: "/dev/null" };
  const { ms, out: r } = timed(() => spawnSync(node, [path.join(ROOT, "dist/main/index.js")], { env, stdio: "ignore" }));
  if (r.status !== 1) throw new Error(`expected the bad input to fail the step, got exit ${r.status}`);
  return ms;
}

/** The whole main step as a runner runs it, with one substituter and one key; checks what it reported. */
async function mainStep(node, pathVar) {
  const job = newJob({ PATH: pathVar, NIX_CONFIG: HOST_NIX_CONFIG }, undefined, { parent: scratch });
  const inputs = { substituters: "http://127.0.0.1:18009", "trusted-public-keys": "lan-1:" + Buffer.alloc(32, 1).toString("base64") };
  const r = await runStep(job, "main", inputs, {}, node);
  if (r.code !== 0) throw new Error(`the main step failed (${r.code}):\n${r.log}`);
  if (r.outputs["nix-version"] !== NIX_VERSION) throw new Error(`the main step did not report nix ${NIX_VERSION}:\n${JSON.stringify(r.outputs)}`);
  rmSync(job.temp, { recursive: true, force: true });
  return r.ms;
}

const store = storeNix();
const nodes = [["host node " + process.version, process.execPath]];
const n24 = node24();
if (n24) nodes.push([`node ${spawnSync(n24, ["--version"]).stdout.toString().trim()}`, n24]);

const samples = { nix: [], storeNix: [] };
for (const [name, bin] of nodes) {
  for (const k of ["start", "load", "floor", "store", "debian"]) samples[`${k}:${name}`] = [];
  for (let i = 0; i < 3; i++) await mainStep(bin, store.pathVar); // warm the page cache
}
const plain = baseEnv(process.env.PATH);
for (let i = 0; i < RUNS; i++) {
  // interleaved, so drift on a shared machine hits every command alike
  samples.nix.push(timeMs(NIX_BIN, ["--version"], { env: plain }));
  samples.storeNix.push(timeMs(path.join(store.stored, "bin/nix"), ["--version"], { env: plain }));
  for (const [name, bin] of nodes) {
    samples[`store:${name}`].push(await mainStep(bin, store.pathVar));
    samples[`debian:${name}`].push(await mainStep(bin, process.env.PATH));
    samples[`start:${name}`].push(timeMs(bin, ["-e", "0"], { env: plain }));
    samples[`load:${name}`].push(loadOnly(bin));
    samples[`floor:${name}`].push(timeMs(bin, [floorFile], { env: { ...plain, GITHUB_OUTPUT: "/dev/null" } }));
  }
}
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const ratio = (ms) => (ms / m.nix).toFixed(2);
const row = (label, ms) => `| ${label} | ${ms.toFixed(1)} | ${ratio(ms)} |`;
const rows = [row(`\`nix --version\` (${NIX_LABEL})`, m.nix), row("`nix --version` (the same binary in the store)", m.storeNix)];
for (const [name] of nodes) {
  rows.push(row(`${name}: \`node -e 0\` (only starting node)`, m[`start:${name}`]));
  rows.push(row(`${name}: the bundle stopped at input validation (start + loading the code)`, m[`load:${name}`]));
  rows.push(row(`${name}: a 5-line script that runs \`nix --version\` and writes the output, no library`, m[`floor:${name}`]));
  rows.push(row(`${name}: **main step, Nix in the store** (job image, installer, NixOS): no nix process`, m[`store:${name}`]));
  rows.push(row(`${name}: **main step, ${NIX_LABEL}**: one \`nix --version\``, m[`debian:${name}`]));
}
const best = (k) => Math.min(...nodes.map(([name]) => m[`${k}:${name}`] / m.nix));
const verdict = (x) => (x <= 3 ? `met (${x.toFixed(2)}×)` : `not met (${x.toFixed(2)}×)`);
const body = `
What: the whole main step (\`dist/main/index.js\` run as a runner runs it: detect, read the config in
effect, write the job's nix.conf, export it, set outputs) with Nix already present (image mode), one
substituter and one key, against a bare \`nix --version\` in the same run; ${RUNS} interleaved runs, medians.
Two layouts of the same Nix binary: inside a store path named nix-<version> (how Nix-built job images,
the official installers and NixOS have it; here a copy of Debian's binary added to the store), and
${NIX_LABEL} on PATH.

| command | median ms | ratio to \`nix --version\` |
|---|---:|---:|
${rows.join("\n")}

Target: within 3× of \`nix --version\`.
- Nix in the store: ${verdict(best("store"))}. The version comes from the store path's name and the
  settings in effect from the nix.conf files Nix reads, so no nix process starts.
- ${NIX_LABEL}: ${verdict(best("debian"))}. Its version can only be learnt by running it, and
  starting node and one nix already costs ${best("floor").toFixed(2)}× (the 5-line script); the step starts
  \`nix --version\` before loading the rest of its code, so what it adds is mostly the work that needs
  the answer.

What made the difference: the step no longer loads @actions/core (whose import brings undici, about
50 ms here) but writes the runner's files itself (\`src/runner.ts\`, checked byte for byte against
@actions/core), loads semver, node's crypto, net and child_process only when they are used, no
longer runs \`nix show-config\` (\`src/nix/conf-files.ts\`, checked against it over a table of real
setups, falls back to it when unsure), and starts \`nix --version\`, where it is needed, before the
rest of its code loads.
Machine: ${machine()}.
`;
spawnSync("nix-store", ["--delete", store.stored], { env: { ...process.env, NIX_CONFIG: HOST_NIX_CONFIG }, stdio: "ignore" });
rmSync(scratch, { recursive: true, force: true });
writeSection(`Main step, Nix ${NIX_VERSION}`, body);
writeResult("main", { version: NIX_VERSION, runs: RUNS, store: best("store"), path: best("debian"), floor: best("floor") });
console.log(body);
