import { readFile } from "node:fs/promises";
import path from "node:path";

interface LockNode {
  inputs?: Record<string, string | string[]>;
  locked?: { lastModified?: number };
}
interface Lock {
  nodes?: Record<string, LockNode>;
  root?: string;
}

/** Follows an input reference: a node name, or a follows path starting at the root node. */
function resolve(lock: Lock, ref: string | string[], depth = 0): LockNode | undefined {
  const nodes = lock.nodes ?? {};
  if (typeof ref === "string") return nodes[ref];
  if (depth > 32) return undefined; // a cyclic follows chain: give up rather than loop
  let node: LockNode | undefined = nodes[lock.root ?? "root"];
  for (const name of ref) {
    const next = node?.inputs?.[name];
    if (next === undefined) return undefined;
    node = resolve(lock, next, depth + 1);
  }
  return node;
}

/** YYYYMMDD (UTC) of root → inputs.<input> → locked.lastModified, or "" when there is none. */
export function nixpkgsDate(lockText: string, input = "nixpkgs"): string {
  let lock: Lock;
  try {
    lock = JSON.parse(lockText) as Lock;
  } catch {
    return "";
  }
  const root = lock.nodes?.[lock.root ?? "root"];
  const ref = root?.inputs?.[input];
  if (ref === undefined) return "";
  const seconds = resolve(lock, ref)?.locked?.lastModified;
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return "";
  return new Date(seconds * 1000).toISOString().slice(0, 10).replaceAll("-", "");
}

/** nixpkgsDate of `workspace`/flake.lock; "" when there is no such file. */
export async function readNixpkgsDate(workspace: string, input = "nixpkgs"): Promise<string> {
  try {
    return nixpkgsDate(await readFile(path.join(workspace, "flake.lock"), "utf8"), input);
  } catch {
    return "";
  }
}
