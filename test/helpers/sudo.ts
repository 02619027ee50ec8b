import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A `sudo` for this machine, which has none: it records its argv and runs the rest as the caller
 * (root, in these tests). Only used to take the "not root, sudo works" branch, and named so.
 */
export function sudoStandIn(): { dir: string; log: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-sudo-"));
  const log = path.join(dir, "calls");
  mkdirSync(path.join(dir, "bin"));
  mkdirSync(log);
  writeFileSync(
    path.join(dir, "bin", "sudo"),
    `#!/bin/sh\nn=$(ls "${log}" | wc -l)\nprintf '%s\\0' "$@" > "${log}/$n"\n[ "$1" = "-n" ] && shift\nexec "$@"\n`,
    { mode: 0o755 },
  );
  return { dir: path.join(dir, "bin"), log };
}

/** The argv of each sudo call, in order. */
export function sudoCalls(log: string): string[][] {
  if (!existsSync(log)) return [];
  return readdirSync(log)
    .map(Number)
    .sort((a, b) => a - b)
    .map((n) => readFileSync(path.join(log, String(n))).toString().split("\0").slice(0, -1));
}
