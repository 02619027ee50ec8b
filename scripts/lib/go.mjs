// Go as this machine has it, for the scripts that build tools from the Go module proxy
// (scripts/install-runners.mjs, scripts/install-gitea.mjs).
import { spawnSync } from "node:child_process";

const LOCAL = "/usr/local/go/bin";

/**
 * `go`, and the environment to run it in: Go installed in /usr/local/go is not on a non-login
 * shell's PATH, so that folder is put first on PATH, for go and for what it starts.
 * @param {string} what what needs Go, for the error when there is none
 * @returns {{ go: string, env: NodeJS.ProcessEnv }}
 */
export function findGo(what) {
  if (spawnSync("go", ["version"], { stdio: "ignore" }).status === 0) return { go: "go", env: process.env };
  if (spawnSync(`${LOCAL}/go`, ["version"], { stdio: "ignore" }).status === 0) {
    return { go: `${LOCAL}/go`, env: { ...process.env, PATH: `${LOCAL}:${process.env.PATH ?? ""}` } };
  }
  throw new Error(`go is not installed: ${what} (install Go 1.24 or newer)`);
}
