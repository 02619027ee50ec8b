// What a test harness started, stopped on any exit: its own end, an exception, Ctrl-C, a CI
// timeout's TERM, even a KILL of the test process. The harness keeps a ledger in its work folder
// (WORK/ledger, one JSON object a line) of each thing as it starts it:
//   {"group": PGID}               a process group (a runner and all it started), TERM then KILL
//   {"pidDir": DIR, "stop": ARGV} a service started detached that keeps its PID in DIR/pid, and the
//                                 command that stops it by that PID (Podman's service, a host daemon)
//   {"podman": true}              containers and volumes in the storage of scripts/containers/podman.sh
// `reap(WORK)` stops them all, newest first, and removes WORK: the harness calls it when done, and
// a watcher process calls it when the harness dies without doing so:
//   node scripts/lib/reaper.mjs watch WORK PID...   (started detached by watch())
// polls the PIDs twice a second; when any is gone before WORK/ledger says "done", it stops the
// others (the test process may outlive a killed parent), reaps WORK and exits.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { alive, groupAlive, stopPids } from "./process.mjs";

const SELF = fileURLToPath(import.meta.url);
const PODMAN = path.join(path.dirname(SELF), "../containers/podman.sh");

/** @typedef {{ group?: number, pidDir?: string, stop?: string[], podman?: boolean, done?: boolean }} Entry */

/** Adds an entry to WORK's ledger. @param {string} work @param {Entry} entry */
export function record(work, entry) {
  appendFileSync(path.join(work, "ledger"), `${JSON.stringify(entry)}\n`);
}

/** @param {string} work @returns {Entry[]} */
function ledger(work) {
  const file = path.join(work, "ledger");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

/** Podman through podman.sh's configuration. @param {string[]} args */
function podman(args) {
  return spawnSync("bash", [PODMAN, ...args], { encoding: "utf8", timeout: 120_000 });
}

/**
 * Stops everything WORK's ledger names, newest first, and removes WORK (kept when `keep`). Returns
 * what it had to stop, one line each (empty when all had ended by themselves).
 * @param {string} work @param {{ keep?: boolean }} [o]
 */
export async function reap(work, o = {}) {
  /** @type {string[]} */
  const stopped = [];
  const entries = ledger(work).reverse();
  const groups = entries.flatMap((e) => (e.group && groupAlive(e.group) ? [-e.group] : []));
  if (groups.length) stopped.push(`process groups ${groups.map((g) => -g).join(", ")}`);
  await stopPids(groups, 2000);
  for (const e of entries) {
    if (!e.pidDir || !e.stop || !existsSync(path.join(e.pidDir, "pid"))) continue;
    stopped.push(`pid ${readFileSync(path.join(e.pidDir, "pid"), "utf8").trim()} (${e.pidDir})`);
    spawnSync(e.stop[0], e.stop.slice(1), { stdio: "ignore", timeout: 60_000 });
  }
  if (entries.some((e) => e.podman)) {
    const names = (podman(["ps", "-a", "--format", "{{.Names}}"]).stdout ?? "").split("\n").filter(Boolean);
    if (names.length) {
      stopped.push(`containers ${names.join(", ")}`);
      podman(["rm", "-f", "-t", "0", ...names]);
    }
    const volumes = (podman(["volume", "ls", "-q"]).stdout ?? "").split("\n").filter(Boolean);
    if (volumes.length) podman(["volume", "rm", "-f", ...volumes]);
  }
  if (!o.keep) rmSync(work, { recursive: true, force: true });
  return stopped;
}

/**
 * Starts the watcher of WORK for PIDs (detached, so a signal to this process's group does not reach
 * it). Returns the function that tells it all went well: it then exits without touching anything.
 * @param {string} work @param {number[]} pids
 */
export function watch(work, pids) {
  const child = spawn(process.execPath, [SELF, "watch", work, ...pids.map(String)], { detached: true, stdio: "ignore" });
  child.unref();
  return () => record(work, { done: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const [what, work, ...rest] = process.argv.slice(2);
  const pids = rest.map(Number);
  if (what !== "watch" || !work || pids.length === 0 || !pids.every(Number.isInteger)) {
    console.error("usage: reaper.mjs watch WORK PID...");
    process.exit(2);
  }
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    if (!existsSync(work) || ledger(work).some((e) => e.done)) process.exit(0);
    if (pids.every((p) => alive(p))) continue;
    await stopPids(pids.filter((p) => alive(p)), 2000);
    await reap(work, { keep: process.env.E2E_KEEP === "1" });
    process.exit(0);
  }
}
