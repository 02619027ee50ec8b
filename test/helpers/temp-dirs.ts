import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const made: string[] = [];

/** A new folder in the OS's temp dir (named `prefix` + random), removed once the test file's tests are done (test/helpers/cleanup.ts). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the folders tempDir made so far. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      console.warn(`could not remove the test folder ${dir}: ${e instanceof Error ? e.message : e}`);
    }
  }
}
