// Running programs from the scripts that replaced bash ones (build-images.mjs, the determinate/
// scripts): a program run to its end without a shell, its stdout returned and its stderr passed on,
// a failure thrown with the command and what it said; a program found on PATH as `command -v` finds
// it; a scratch folder removed however the script ends.
import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * @typedef {object} RunOptions
 * @property {NodeJS.ProcessEnv} [env]
 * @property {string} [cwd]
 * @property {string} [input] written to its stdin (else stdin is /dev/null)
 * @property {"pipe" | "ignore" | "inherit" | number} [stdout] "pipe" (default): returned
 * @property {"pipe" | "ignore" | "inherit" | number} [stderr] "inherit" (default); "pipe": kept for the error only
 */

/**
 * Runs `cmd` with `args` (no shell) to its end and returns its stdout ("" unless piped). A non-zero
 * exit throws an Error naming the command, its status and, when stderr was piped, its last lines.
 * @param {string} cmd @param {string[]} args @param {RunOptions} [o]
 */
export function run(cmd, args, o = {}) {
  const r = spawnSync(cmd, args, {
    env: o.env ?? process.env,
    cwd: o.cwd,
    input: o.input,
    stdio: [o.input === undefined ? "ignore" : "pipe", o.stdout ?? "pipe", o.stderr ?? "inherit"],
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${cmd} could not be run: ${r.error.message}`);
  if (r.status !== 0) {
    const said = typeof r.stderr === "string" && r.stderr.trim() ? `:\n${r.stderr.trim().split("\n").slice(-20).join("\n")}` : "";
    const how = r.signal ? `was killed by ${r.signal}` : `exited ${r.status}`;
    throw new Error(`${[cmd, ...args].join(" ").slice(0, 300)} ${how}${said}`);
  }
  return typeof r.stdout === "string" ? r.stdout : "";
}

/** `run`'s stdout split into its non-empty lines. @param {string} cmd @param {string[]} args @param {RunOptions} [o] */
export const runLines = (cmd, args, o) => run(cmd, args, o).split("\n").filter(Boolean);

/**
 * The first executable `name` in PATH's folders (as `command -v` finds it), or undefined.
 * @param {string} name @param {string} [PATH]
 */
export function which(name, PATH = process.env.PATH ?? "") {
  for (const dir of PATH.split(":")) {
    const file = path.join(dir || ".", name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return path.resolve(file);
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * A new folder in the OS's temp dir (`prefix` + random), removed when this process exits, also on
 * SIGINT, SIGTERM and SIGHUP (after the program it is waiting for has ended, as bash's EXIT trap).
 * @param {string} prefix
 */
export function scratchDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  for (const [signal, code] of /** @type {const} */ ([["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]])) {
    if (process.listenerCount(signal) === 0) process.on(signal, () => process.exit(code));
  }
  return dir;
}

/**
 * Runs a script's main function: an Error's message (prefixed by `name`) on stderr and exit status 1
 * when it throws.
 * @param {string} name @param {() => void} main
 */
export function runMain(name, main) {
  try {
    main();
  } catch (e) {
    console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
