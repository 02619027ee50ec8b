// Shared pieces of the workflow tests: the runners a Gitea or Forgejo user may run the reusable
// workflows with (act, Gitea's runner, and the Forgejo stand-in: Gitea's runner with Forgejo's
// variables, scripts/lib/runners.mjs), each in host mode and offline, a throwaway
// fixture repo, Debian's docker-registry with htpasswd auth, and git helpers. Every server listens on
// 127.0.0.1 in 18300–18399, or inside a network namespace the harness made.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ROOT, tempDir as tempDirIn } from "../../scripts/lib/runner.mjs";
import { runGroup, stopChild } from "../../scripts/lib/process.mjs";
import { TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { HOST, runnerArgv } from "../../scripts/lib/runners.mjs";
import { installRunners, runnerLine } from "../../scripts/install-runners.mjs";
import { startGitHttpServer } from "./git-http-server.js";
import { freePort } from "../../scripts/lib/http-server.mjs";

export { freePort, ROOT };

/** The runners every workflow test runs under, each case once per runner. */
export const RUNNERS = ["act", "gitea", "forgejo"] as const;
export type Runner = (typeof RUNNERS)[number];

export const RUNNER_BIN: Record<Runner, string> = {
  act: path.join(ROOT, ".tools/act/bin/act"),
  gitea: path.join(ROOT, ".tools/gitea/bin/runner"),
  // the stand-in: Forgejo's runner is in no registry this project installs from (runners.mjs)
  forgejo: path.join(ROOT, ".tools/gitea/bin/runner"),
};
export const ACT = RUNNER_BIN.act;
export const GITEA_RUNNER = RUNNER_BIN.gitea;

const RUNNER_NAME: Record<Runner, string> = { act: "act", gitea: "Gitea's runner", forgejo: "the Forgejo stand-in (Gitea's runner, FORGEJO_ACTIONS=true)" };

/**
 * The runners live in .tools/, which is not committed: a fresh clone installs them with
 * scripts/install-runners.mjs the first time a test needs them. A runner still missing after that is
 * an error, never a skip: these tests exist to prove the workflows under each of them.
 */
export function ensureRunners(which: readonly Runner[] = RUNNERS): void {
  const missing = () => which.filter((r) => !existsSync(RUNNER_BIN[r]));
  if (missing().length === 0) return;
  const said = installRunners().map(runnerLine).join("\n");
  const still = missing();
  if (still.length === 0) return;
  throw new Error(
    `these tests run under ${which.map((w) => RUNNER_NAME[w]).join(", ")}; still missing after scripts/install-runners.mjs: ` +
      `${still.map((w) => `${RUNNER_NAME[w]} (${path.relative(ROOT, RUNNER_BIN[w])})`).join(", ")}\n${said}`,
  );
}

/** nix.conf for every Nix these tests start: the tests' own settings, and flakes (the bump workflow's flake.lock). */
export const NIX_CONF = `${TEST_NIX_CONFIG}\nextra-experimental-features = flakes`;

export function tempDir(prefix: string): string {
  return tempDirIn(`nra-wf-${prefix}-`);
}

export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync("git", args, {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "fixture", GIT_AUTHOR_EMAIL: "fixture@example.invalid", GIT_COMMITTER_NAME: "fixture", GIT_COMMITTER_EMAIL: "fixture@example.invalid", ...env },
    encoding: "utf8",
  }).trim();
}

/** Commits everything in `dir` with author and committer date `iso` (so a flake input's lastModified is known). */
export function commitAt(dir: string, message: string, iso: string): string {
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", message], { GIT_AUTHOR_DATE: iso, GIT_COMMITTER_DATE: iso });
  return git(dir, ["rev-parse", "HEAD"]);
}

/** A local git repository standing in for nixpkgs: one commit dated `iso`. */
export function fakeNixpkgs(dir: string, iso: string): string {
  mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q", "-b", "main"]);
  writeFileSync(path.join(dir, "default.nix"), "{ }\n");
  commitAt(dir, "nixpkgs fixture", iso);
  return dir;
}

export interface ActionCopy {
  /** The action's folder: action.yml, the sub-actions' folders and the committed bundles (act's --local-repository). */
  dir: string;
  /**
   * The folder that holds `dir` as org/nix-runner-action, a git repository whose tag v1 is the copy:
   * Gitea's and Forgejo's runners clone `uses: org/nix-runner-action@v1` from it over HTTP.
   */
  gitRoot: string;
}

/** Folders beside the root action.yml that hold a sub-action (org/nix-runner-action/<folder>@v1). */
export function subActions(): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules" && existsSync(path.join(ROOT, e.name, "action.yml")))
    .map((e) => e.name)
    .sort();
}

/** The action as a consumer gets it (action.yml, the sub-actions' action.yml, the committed bundles), tagged v1. */
export function actionCopy(parent: string): ActionCopy {
  const gitRoot = path.join(parent, "actions");
  const dir = path.join(gitRoot, "org/nix-runner-action");
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(ROOT, "action.yml"), path.join(dir, "action.yml"));
  for (const sub of subActions()) cpSync(path.join(ROOT, sub, "action.yml"), path.join(dir, sub, "action.yml"));
  cpSync(path.join(ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
  git(dir, ["init", "-q", "-b", "main"]);
  commitAt(dir, "nix-runner-action as committed", "2026-01-01T00:00:00Z");
  git(dir, ["tag", "v1"]);
  return { dir, gitRoot };
}

/** Copies the reusable workflows of this repo into a fixture repo, as a caller's local workflows. */
export function copyReusableWorkflows(repo: string): void {
  const dest = path.join(repo, ".gitea/workflows");
  mkdirSync(dest, { recursive: true });
  for (const f of ["build-runner-image.yml", "bump-nixpkgs.yml"]) {
    cpSync(path.join(ROOT, ".gitea/workflows", f), path.join(dest, f));
  }
}

export function nixEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, NIX_CONFIG: NIX_CONF, ...extra };
}

export interface WorkflowRun {
  code: number;
  /** The runner's stdout and stderr. */
  log: string;
}

export interface RunOptions {
  event?: string;
  workflow: string;
  secrets?: Record<string, string>;
  env?: Record<string, string>;
  vars?: Record<string, string>;
  /** The action, served offline in place of org/nix-runner-action@v1. */
  action: ActionCopy;
  /** Ports on 127.0.0.1 the jobs must reach (a registry, a forge API). */
  reach?: number[];
  timeoutMs?: number;
}

const NETNS_RUN = path.join(ROOT, "scripts/lib/netns-run.mjs");

/**
 * Runs a workflow under one runner in host mode, offline, and waits for it. The runner starts in a
 * clean environment with a HOME of its own (its action clones and caches stay in this run's temp
 * dir). Secrets never appear on a command line.
 *
 * - act: no image pulls (host platform), the action as a local repository, no cache server; it runs
 *   in this network namespace and reaches the servers directly.
 * - Gitea's and Forgejo's runners (`exec`): in a network namespace of their own (netns-run.mjs),
 *   since their exec mode always opens a cache server on all interfaces; `reach` ports are bridged
 *   into it. They clone the action from a git server on 127.0.0.1 (--default-actions-url, as a
 *   registered runner clones from its instance); their exec mode has no secret file, so a secret
 *   goes by name on the command line (`-s NAME`) and by value in the runner's environment. In host
 *   mode they copy that environment into every job: a caller's secret names must not be names a
 *   step reads (a secret that failed to pass through `secrets:` would be found there all the same).
 */
/**
 * The ::error:: lines the steps wrote, as the runner would log them (the run's secret values masked),
 * for a check that the step said something: what the runner's log may have lost.
 */
function stepErrors(file: string, secrets: string[]): string {
  if (!existsSync(file)) return "";
  let text = readFileSync(file, "utf8");
  for (const secret of secrets.filter((v) => v.length > 0).sort((a, b) => b.length - a.length)) text = text.split(secret).join("***");
  return `\n[harness] ::error:: lines the steps wrote (node witness):\n${text}`;
}

export async function runWorkflow(runner: Runner, repo: string, o: RunOptions): Promise<WorkflowRun> {
  const work = tempDir(runner);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: path.join(work, "home"),
    XDG_CACHE_HOME: path.join(work, "cache"),
    USER: os.userInfo().username,
    LANG: "C.UTF-8",
  };
  // The host stands in for the job image, which sets both (workflows-templates/runner-image).
  const caBundle = process.env.NIX_SSL_CERT_FILE ?? process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt";
  if (existsSync(caBundle)) Object.assign(env, { NIX_SSL_CERT_FILE: caBundle, SSL_CERT_FILE: caBundle });
  mkdirSync(path.join(work, "home"));
  // act and Forgejo's runner may drop a failing step's last lines (its ::error::) from their log: the
  // e2e's node witness keeps a copy of every ::error:: line a node step writes (see node-witness.cjs)
  const witness = path.join(work, "node-witness");
  Object.assign(env, { NODE_OPTIONS: `--require ${path.join(ROOT, "scripts/e2e/node-witness.cjs")}`, E2E_NODE_WITNESS: witness });
  // host mode: every label the workflows run on is this machine
  const common = {
    bin: RUNNER_BIN[runner],
    workflow: o.workflow,
    event: o.event ?? "push",
    platforms: { "ubuntu-latest": HOST, "native-nix": HOST, nix: HOST },
    env: { NIX_CONFIG: NIX_CONF, ...o.env },
    vars: o.vars,
  };
  const cleanup: (() => Promise<void>)[] = [];
  let cmd: string;
  let args: string[];
  if (runner === "act") {
    const secretFile = path.join(work, "secrets");
    writeFileSync(secretFile, Object.entries(o.secrets ?? {}).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
    // No cache server (act would bind a random port); the artifact server starts only with a path,
    // which is not given, but its address and port stay inside 127.0.0.1:18300-18399 all the same.
    [cmd, ...args] = runnerArgv({
      ...common,
      runner,
      artifacts: { port: await freePort() },
      secretFile,
      extra: ["--local-repository", `org/nix-runner-action@v1=${o.action.dir}`],
    });
  } else {
    const actions = await startGitHttpServer(o.action.gitRoot);
    cleanup.push(actions.stop);
    const ports = [actions.port, ...(o.reach ?? [])];
    const sockets = path.join(work, "sockets");
    cleanup.push(await bridgeIntoNamespace(sockets, ports));
    const exec = runnerArgv({
      ...common,
      runner,
      // Gitea's exec always starts an artifact server: inside the namespace, on its loopback only.
      artifacts: { path: path.join(work, "artifacts") },
      secrets: Object.keys(o.secrets ?? {}),
      extra: ["--default-actions-url", actions.url],
    });
    Object.assign(env, o.secrets);
    cmd = "unshare";
    args = ["-n", process.execPath, NETNS_RUN, sockets, ports.join(","), "--", ...exec];
  }
  // Its own process group, so that a timeout stops the runner and everything it started, and
  // nothing of it outlives it (scripts/lib/process.mjs, as for the e2e).
  const timeoutMs = o.timeoutMs ?? 240_000;
  const run = await runGroup(cmd, args, { cwd: repo, env, timeoutMs, graceMs: 5000 });
  let log = run.log;
  const code = run.timedOut ? 1 : run.code;
  for (const stop of cleanup.reverse()) await stop();
  log += stepErrors(`${witness}.errors`, Object.values(o.secrets ?? {}));
  // Keep the runner's temp dir (home, caches) only when asked, for debugging.
  if (process.env.NRA_KEEP_ACT) writeFileSync(path.join(work, "runner.log"), log);
  else rmSync(work, { recursive: true, force: true });
  return { code, log };
}

/**
 * Makes host ports reachable from a network namespace started by netns-run.mjs: listens on
 * DIR/PORT.sock (a Unix socket, which crosses network namespaces; DIR is 0700) and passes each
 * connection on to 127.0.0.1:PORT. Returns the function that closes it.
 */
async function bridgeIntoNamespace(dir: string, ports: number[]): Promise<() => Promise<void>> {
  mkdirSync(dir, { mode: 0o700 });
  const open = new Set<net.Socket>();
  const servers = await Promise.all(
    ports.map(
      (port) =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer((inner) => {
            const outer = net.connect(port, "127.0.0.1");
            for (const s of [inner, outer]) {
              open.add(s);
              s.on("close", () => open.delete(s));
            }
            inner.pipe(outer).pipe(inner);
            inner.on("error", () => outer.destroy());
            outer.on("error", () => inner.destroy());
          });
          server.once("error", reject);
          server.listen(path.join(dir, `${port}.sock`), () => resolve(server));
        }),
    ),
  );
  return async () => {
    for (const s of open) s.destroy();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  };
}

export interface Registry {
  /** 127.0.0.1:PORT */
  host: string;
  port: number;
  user: string;
  password: string;
  /** The registry's log (access log included). */
  log: () => string;
  /** A 0600 skopeo auth file for the test's own inspections. */
  authfile: string;
  stop: () => Promise<void>;
}

/** Debian's docker-registry on 127.0.0.1 with htpasswd (bcrypt) auth and storage in a temp dir. */
export async function startRegistry(): Promise<Registry> {
  const dir = tempDir("registry");
  const port = await freePort();
  const user = "ciuser";
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(path.join(dir, "htpasswd"), execFileSync("htpasswd", ["-Bbn", user, password]));
  const config = path.join(dir, "config.yml");
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: info",
      "  accesslog: { disabled: false }",
      "storage:",
      `  filesystem: { rootdirectory: ${dir}/data }`,
      "http:",
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${Math.random().toString(36).slice(2)}`,
      "auth:",
      `  htpasswd: { realm: test, path: ${dir}/htpasswd }`,
      "",
    ].join("\n"),
  );
  const logFile = path.join(dir, "registry.log");
  writeFileSync(logFile, "");
  const out = openSync(logFile, "a");
  const child = spawn("docker-registry", ["serve", config], { stdio: ["ignore", out, out] });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (readFileSync(logFile, "utf8").includes(`listening on ${host}`)) break;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!readFileSync(logFile, "utf8").includes(`listening on ${host}`)) {
    child.kill("SIGKILL");
    throw new Error(`docker-registry did not start:\n${readFileSync(logFile, "utf8")}`);
  }
  const authfile = path.join(dir, "auth.json");
  const auth = Buffer.from(`${user}:${password}`).toString("base64");
  writeFileSync(authfile, JSON.stringify({ auths: { [host]: { auth } } }), { mode: 0o600 });
  return {
    host,
    port,
    user,
    password,
    authfile,
    log: () => readFileSync(logFile, "utf8"),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Completed blob uploads the registry logged: the digest of each `PUT …/blobs/uploads/…?digest=…` answered 201. */
export function blobUploads(registryLog: string): string[] {
  const out: string[] = [];
  for (const line of registryLog.split("\n")) {
    const m = line.match(/"PUT (\/v2\/[^ ]*\/blobs\/uploads\/[^ ]*) HTTP\/[\d.]+" 201 /);
    if (!m) continue;
    const digest = new URL(m[1], "http://x").searchParams.get("digest");
    if (digest) out.push(digest);
  }
  return out;
}
