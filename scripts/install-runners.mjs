#!/usr/bin/env node
// Installs the runners into .tools/<name>/bin (gitignored), reusing binaries that are already there:
// act and Gitea's runner with `go install` from the Go module proxy. Forgejo's runner is in no
// registry this project installs from (the proxy refuses every code.forgejo.org module): the tests'
// Forgejo cases run Gitea's runner as its stand-in (scripts/lib/runners.mjs).
//   node scripts/install-runners.mjs [--tools DIR]    DIR instead of .tools
// Prints one line per runner: name and path, or name and "unavailable: why". Exits 1 if any is
// missing. installRunners() does the same for code that imports it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findGo } from "./lib/go.mjs";

const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SCRIPT), "..");
/** The longest one go command may take (a cold build of act takes about 5 minutes on 2 cores). */
const GO_TIMEOUT_MS = 20 * 60_000;

/** Each runner: the module `go install` builds, and the binary it makes. */
export const RUNNER_MODULES = Object.freeze({
  act: { spec: "github.com/nektos/act@v0.2.87", binary: "act" },
  gitea: { spec: "gitea.com/gitea/runner@v1.0.8", binary: "runner" },
});

/** @typedef {{ name: string, bin: string } | { name: string, why: string }} RunnerInstall */

/**
 * Runs go, appending what it prints to `log`: whether it exited 0, and its stdout.
 * @param {{ go: string, env: NodeJS.ProcessEnv }} go @param {string[]} args
 * @param {{ cwd: string, log: string, env?: NodeJS.ProcessEnv, stdout?: boolean }} o `stdout`: kept out of the log and returned
 */
function goRun(go, args, o) {
  const r = spawnSync(go.go, args, { cwd: o.cwd, env: { ...go.env, ...o.env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: GO_TIMEOUT_MS });
  fs.appendFileSync(o.log, `${o.stdout ? "" : (r.stdout ?? "")}${r.stderr ?? ""}${r.error ? `go ${args[0]}: ${r.error.message}\n` : ""}`);
  return { ok: r.status === 0, stdout: r.stdout ?? "" };
}

/**
 * One runner into `tools`/NAME/bin, its build's output in `tools`/NAME.log; Go is looked for only
 * when the runner is not there yet.
 * @param {() => { go: string, env: NodeJS.ProcessEnv }} needGo @param {string} tools @param {keyof typeof RUNNER_MODULES} name
 * @returns {RunnerInstall}
 */
function installOne(needGo, tools, name) {
  const { spec, binary } = RUNNER_MODULES[name];
  const binDir = path.join(tools, name, "bin");
  const bin = path.join(binDir, binary);
  const executable = () => {
    try {
      fs.accessSync(bin, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (executable()) return { name, bin };
  const go = needGo();
  fs.mkdirSync(binDir, { recursive: true });
  const log = path.join(tools, `${name}.log`);
  fs.writeFileSync(log, "");
  const env = { GOBIN: binDir };
  if (goRun(go, ["install", spec], { cwd: tools, log, env }).ok && executable()) return { name, bin };
  // The proxy may serve the module but not its version list, which `go install` asks for; build it
  // from the downloaded module instead.
  const downloaded = goRun(go, ["mod", "download", "-json", spec], { cwd: tools, log, stdout: true });
  let dir = "";
  try {
    dir = downloaded.ok ? String(JSON.parse(downloaded.stdout).Dir ?? "") : "";
  } catch {
    fs.appendFileSync(log, `go mod download -json ${spec} printed no JSON: ${downloaded.stdout.slice(0, 240)}\n`);
  }
  if (dir && goRun(go, ["install", "."], { cwd: dir, log, env: { ...env, GOFLAGS: "-mod=mod" } }).ok && executable()) return { name, bin };
  // Why, on one line (e.g. the proxy's "403 Forbidden"), so a harness can show it as is.
  const last = fs.readFileSync(log, "utf8").split("\n").filter((l) => l.trim() !== "").pop() ?? `no ${binary} in ${binDir}`;
  return { name, why: `${last.slice(0, 240)} (full log: ${log})` };
}

/** The line the program prints for a runner: "NAME PATH", or "NAME unavailable: WHY". @param {RunnerInstall} r */
export const runnerLine = (r) => ("bin" in r ? `${r.name} ${r.bin}` : `${r.name} unavailable: ${r.why}`);

/**
 * Installs every runner of RUNNER_MODULES under `tools` (default: .tools), reusing those there;
 * `onEach` hears of each runner as soon as it is done. Throws only when one is missing and there is
 * no Go to build it with; a runner that cannot be built comes back with why.
 * @param {{ tools?: string, onEach?: (r: RunnerInstall) => void }} [o] @returns {RunnerInstall[]}
 */
export function installRunners(o = {}) {
  const tools = o.tools ?? path.join(ROOT, ".tools");
  /** @type {{ go: string, env: NodeJS.ProcessEnv } | undefined} */
  let go;
  const goOnce = () => (go ??= findGo("the runners are built from Go sources"));
  fs.mkdirSync(tools, { recursive: true });
  return /** @type {(keyof typeof RUNNER_MODULES)[]} */ (Object.keys(RUNNER_MODULES)).map((name) => {
    const r = installOne(goOnce, tools, name);
    o.onEach?.(r);
    return r;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === SCRIPT) {
  const args = process.argv.slice(2);
  const tools = args.length === 2 && args[0] === "--tools" && args[1] ? path.resolve(args[1]) : undefined;
  if (args.length > 0 && !tools) {
    console.error("usage: install-runners.mjs [--tools DIR]");
    process.exit(2);
  }
  try {
    const installed = installRunners({ tools, onEach: (r) => console.log(runnerLine(r)) });
    if (installed.some((r) => !("bin" in r))) process.exitCode = 1;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
