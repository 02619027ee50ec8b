// Benchmark: the main step where Nix is already there (image mode), against a bare `nix --version`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt, machine, median, ROOT, timeMs, writeSection } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 31);
ensureBuilt();

function mainStep() {
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
    "INPUT_SUBSTITUTERS": "http://127.0.0.1:18009",
    "INPUT_TRUSTED-PUBLIC-KEYS": "lan-1:" + Buffer.alloc(32, 1).toString("base64"),
    ...files,
  };
  const ms = timeMs(process.execPath, [path.join(ROOT, "dist/main/index.js")], { env });
  rmSync(temp, { recursive: true, force: true });
  return ms;
}

const samples = { main: [], nix: [], node: [] };
for (let i = 0; i < 3; i++) mainStep(); // warm the page cache
for (let i = 0; i < RUNS; i++) {
  // interleaved, so drift on a shared machine hits all three alike
  samples.main.push(mainStep());
  samples.nix.push(timeMs("nix", ["--version"]));
  samples.node.push(timeMs(process.execPath, ["-e", "0"]));
}
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const ratio = m.main / m.nix;
const body = `
What: the whole main step (\`dist/main/index.js\` run as a runner runs it: detect, read the config in
effect, write the job's nix.conf, export it, set outputs) with Nix already present (image mode), one
substituter and one key, against a bare \`nix --version\` in the same run; ${RUNS} interleaved runs, medians.

| command | median ms | ratio to \`nix --version\` |
|---|---:|---:|
| \`nix --version\` | ${m.nix.toFixed(1)} | 1.00 |
| \`node -e 0\` (just starting node) | ${m.node.toFixed(1)} | ${(m.node / m.nix).toFixed(2)} |
| main step | ${m.main.toFixed(1)} | ${ratio.toFixed(2)} |

Target: within 3× of \`nix --version\`. ${ratio <= 3 ? "Met." : `Not met: starting node alone costs ${(m.node / m.nix).toFixed(1)}× here; the step's own work beyond node's start is ${(m.main - m.node).toFixed(0)} ms.`}
Machine: ${machine()}.
`;
writeSection("Main step", body);
console.log(body);
