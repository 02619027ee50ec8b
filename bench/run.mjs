// npm run bench: every benchmark, each writing its own section of BENCHMARKS.md.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./lib.mjs";

const only = process.argv[2];
let failed = false;
for (const name of ["main", "push"]) {
  if (only && only !== name) continue;
  const file = path.join(ROOT, "bench", `${name}.mjs`);
  if (!existsSync(file)) continue;
  console.log(`== bench: ${name}`);
  const r = spawnSync(process.execPath, [file], { stdio: "inherit", cwd: ROOT });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
