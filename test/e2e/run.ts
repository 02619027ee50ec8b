// One runner invocation for a row: the runner's command line (scripts/lib/runners.mjs) in a clean,
// explicit environment, in a private network namespace holding only loopback (netns-run.mjs: with
// Podman's Docker API service in it for a container row, and the files a row serves), in a
// process group of its own that the run's ledger records, bounded by E2E_RUN_TIMEOUT and
// E2E_DEADLINE. After it: nothing of its group may be left, nor, for a container row, its Podman
// service or a container.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { alive, runGroup } from "../../scripts/lib/process.mjs";
import { runnerArgv } from "../../scripts/lib/runners.mjs";
import { context, hostConfState, JOB_NIX_CONFIG, own, ROOT } from "./context.js";
import { PODMAN, type Setup } from "./environments.js";
import { type Row, rowId } from "./rows.js";

const NETNS_RUN = path.join(ROOT, "scripts/lib/netns-run.mjs");
const WITNESS = path.join(ROOT, "scripts/e2e/node-witness.cjs");

export interface RunOptions {
  workflow: string;
  /** What the workflow's checks expect as the platform output. */
  platform: string;
  vars?: Record<string, string>;
  /** Files served on 127.0.0.1 in the runner's namespace: URL path → file (netns-run.mjs --serve). */
  serve?: Record<string, string>;
  /** The folder under the row's for this run (a kind may run more than one workflow). */
  name?: string;
}

export interface Run {
  /** The runner's exit status (124: timed out or not run for the deadline). */
  rc: number;
  dir: string;
  log: string;
  /** Read a file of the run's folder; "" when it is missing. */
  read: (file: string) => string;
  /** Processes of its group left after the runner exited (killed then). */
  leftRunning: boolean;
  /** A container row: what was left after the runner (stopped or removed then). */
  after?: { podmanPid?: string; serviceStopped: boolean; containers: string[]; confSame: boolean };
  /** A GitLab row (gitlab.ts): what was seen while its job ran. */
  gitlab?: GitlabSeen;
}

export interface GitlabSeen {
  /** Processes started after setup that held the signing key (argv or environment). */
  exposures: string[];
  /** How many background pushers the job started. */
  pushers: number;
  /** The job's project folder (CI_PROJECT_DIR on the shell executor). */
  project: string;
  /** Containers of the run still running after gitlab-ci-local exited (removed then). */
  running: string[];
  /** The cancel kind: whether the job's process group was sent SIGTERM. */
  cancelled?: boolean;
}

/** The job's environment: nothing of a surrounding CI job (GITEA_ACTIONS, GITHUB_*, RUNNER_*, NIX_USER_CONF_FILES …) may leak in. */
function jobEnv(dir: string, pathPrefix: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: [...pathPrefix, process.env.PATH].join(":"),
    HOME: path.join(dir, "home"),
    XDG_CACHE_HOME: path.join(dir, "xdg"),
    USER: os.userInfo().username,
    LANG: "C.UTF-8",
    TERM: "dumb",
    TMPDIR: dir,
    NIX_CONFIG: JOB_NIX_CONFIG,
    NODE_OPTIONS: `--require ${WITNESS}`,
    E2E_NODE_WITNESS: path.join(dir, "node-witness"),
    // marks every process of the run that keeps its environment, for the check that none outlives it
    E2E_RUN: context().work,
  };
  if (process.env.NIX_SSL_CERT_FILE) env.NIX_SSL_CERT_FILE = process.env.NIX_SSL_CERT_FILE;
  return env;
}

/**
 * The docker options of a row's job container (runners.mjs adds no pull, the namespace's network
 * and no docker socket): the row's folder at the same path (the workflows' absolute cache and
 * results paths hold inside), the node witness, and the environment's own mounts.
 */
function containerOptions(dir: string, s: Setup): string {
  const opts = [`-v ${dir}:${dir}`, `-v ${WITNESS}:/opt/nra/node-witness.cjs:ro`, "-e NODE_OPTIONS=--require=/opt/nra/node-witness.cjs", `-e E2E_NODE_WITNESS=${dir}/node-witness`];
  if (s.container?.opts) opts.push(s.container.opts);
  return opts.join(" ");
}

/** Runs the row's runner on a workflow and waits for it. */
export async function runRunner(row: Row, s: Setup, o: RunOptions): Promise<Run> {
  const runner = row.runner;
  if (runner === "gitlab") throw new Error("a GitLab row's job runs through gitlab.ts, not a runner's command line");
  const ctx = context();
  const dir = path.join(ctx.work, rowId(row), o.name ?? "");
  for (const d of ["home", "xdg", "results", "cache"]) mkdirSync(path.join(dir, d), { recursive: true });
  const vars = {
    E2E_PLATFORM: o.platform,
    E2E_CACHE: path.join(dir, "cache"),
    E2E_PUBLIC_KEY: ctx.key.pub,
    E2E_SALT: `${ctx.salt}-${rowId(row)}${o.name ? `-${o.name}` : ""}`,
    E2E_RESULTS: path.join(dir, "results"),
    ...o.vars,
  };
  const env = jobEnv(dir, [row.node === 24 ? ctx.node24Dir : undefined, s.nixDir].filter((d): d is string => !!d));
  // the Podman service netns-run starts uses the same storage as the harness (podman.mjs)
  if (s.container && process.env.PODMAN_STORAGE) env.PODMAN_STORAGE = process.env.PODMAN_STORAGE;
  const common = { bin: ctx.runnerBin[runner], workflow: o.workflow, event: "workflow_dispatch", platforms: s.platforms, vars,
    containerOptions: s.container ? containerOptions(dir, s) : undefined };
  let argv: string[];
  if (runner === "act") {
    // act reads secrets from a KEY=VALUE file (0600, in the run's folder, removed with it)
    const secretFile = path.join(dir, "secrets");
    writeFileSync(secretFile, `E2E_SIGNING_KEY=${ctx.key.secret}\n`, { mode: 0o600 });
    argv = runnerArgv({ ...common, runner, secretFile });
  } else {
    // exec mode: `-s NAME` without a value reads the secret from the runner's environment, never a command line
    env.E2E_SIGNING_KEY = ctx.key.secret;
    argv = runnerArgv({ ...common, runner, artifacts: { port: 18431, path: path.join(dir, "artifacts") }, secrets: ["E2E_SIGNING_KEY"] });
  }
  const wrap = ["-n", process.execPath, NETNS_RUN];
  if (s.container) wrap.push("--podman", path.join(dir, "podman"));
  if (o.serve) wrap.push("--serve", path.join(dir, "server"), Object.entries(o.serve).map(([url, file]) => `${url}=${file}`).join(","));
  wrap.push(dir, "", "--", ...argv);
  if (s.container) own({ pidDir: path.join(dir, "podman"), stop: [process.execPath, path.join(ROOT, "scripts/containers/podman-service.mjs"), "stop", path.join(dir, "podman")] });
  if (s.container) own({ podman: true });
  const { rc, log, leftRunning } = await spawnBounded(dir, env, wrap);
  const read = (f: string) => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), "utf8") : "");
  return { rc, dir, log, read, leftRunning, after: s.container ? containersAfter(dir, log) : undefined };
}

const RUN_TIMEOUT_S = Number(process.env.E2E_RUN_TIMEOUT ?? 300);

/** `unshare WRAP…` in a process group of its own (recorded in the ledger), bounded; its log in DIR/log. */
async function spawnBounded(dir: string, env: NodeJS.ProcessEnv, wrap: string[]): Promise<{ rc: number; log: string; leftRunning: boolean }> {
  const limitMs = Math.min(RUN_TIMEOUT_S * 1000, context().deadline - Date.now());
  const logFile = path.join(dir, "log");
  if (limitMs <= 0) {
    writeFileSync(logFile, "not run: E2E_DEADLINE reached\n");
    return { rc: 124, log: "not run: E2E_DEADLINE reached\n", leftRunning: false };
  }
  const r = await runGroup("unshare", wrap, { cwd: context().repo, env, timeoutMs: limitMs, onStart: (group) => own({ group }) });
  writeFileSync(logFile, r.log);
  return { rc: r.code, log: r.log, leftRunning: r.leftRunning };
}

/**
 * After a container row's runner: the Podman service it ran on was stopped by its PID, and no
 * container is left in podman.sh's storage (any left is removed). act's and Gitea's runners keep a
 * volume (act-toolcache) across jobs on purpose: removed, so every row starts from nothing.
 */
function containersAfter(dir: string, log: string): NonNullable<Run["after"]> {
  const podmanPid = /^netns-run: podman service pid (\d+),/m.exec(log)?.[1];
  const serviceStopped = !!podmanPid && !alive(Number(podmanPid)) && !existsSync(path.join(dir, "podman/pid"));
  const podman = (args: string[]) => spawnSync(PODMAN[0], [...PODMAN.slice(1), ...args], { encoding: "utf8", timeout: 120_000 }).stdout ?? "";
  const containers = podman(["ps", "-a", "--format", "{{.Names}}"]).split("\n").filter(Boolean);
  if (containers.length) podman(["rm", "-f", ...containers]);
  const volumes = podman(["volume", "ls", "-q"]).split("\n").filter(Boolean);
  if (volumes.length) podman(["volume", "rm", "-f", ...volumes]);
  return { podmanPid, serviceStopped, containers, confSame: hostConfState() === context().hostConfBefore };
}
