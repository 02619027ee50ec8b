// Shared pieces of the workflow tests: act in host mode (offline), a throwaway fixture repo, Debian's
// docker-registry with htpasswd auth, and git helpers. Every server listens on 127.0.0.1 in 18300–18399.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../helpers/runner.js";
import { stopChild } from "../helpers/process.js";
import { freePort } from "./ports.js";

export { freePort, ROOT };

export const ACT = path.join(ROOT, ".tools/act/bin/act");
export const GITEA_RUNNER = path.join(ROOT, ".tools/gitea/bin/runner");

/**
 * act (and Gitea's runner) live in .tools/, which is not committed: a fresh clone installs them with
 * scripts/install-runners.sh (`go install` through the Go module proxy) the first time a test needs them.
 */
export function ensureAct(): void {
  if (existsSync(ACT) && existsSync(GITEA_RUNNER)) return;
  const r = spawnSync("bash", [path.join(ROOT, "scripts/install-runners.sh")], { cwd: ROOT, encoding: "utf8", timeout: 880_000 });
  if (!existsSync(ACT)) throw new Error(`act is not installed and scripts/install-runners.sh could not install it:\n${r.stdout}${r.stderr}`);
}

/** nix.conf for every Nix these tests start (Debian's nix-bin as root: no build users, no sandbox). */
// No substituters: offline, the default (cache.nixos.org) could only be a failed lookup.
export const NIX_CONF = "build-users-group =\nsandbox = false\nsubstituters =\nexperimental-features = nix-command flakes";

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `nra-wf-${prefix}-`));
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

/** The action as a consumer gets it (action.yml + the committed bundles), for act's --local-repository. */
export function actionCopy(dir: string): string {
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(ROOT, "action.yml"), path.join(dir, "action.yml"));
  cpSync(path.join(ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
  return dir;
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

export interface ActRun {
  code: number;
  log: string;
}

export interface ActOptions {
  event?: string;
  workflow: string;
  secrets?: Record<string, string>;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  vars?: Record<string, string>;
  /** The action, served offline in place of org/nix-runner-action@v1. */
  action: string;
  timeoutMs?: number;
}

/**
 * Runs act in host mode, offline: no image pulls (host platform), no remote actions (the action is a
 * local folder), no cache server. Secrets go through a 0600 file, not argv.
 */
export async function runAct(repo: string, o: ActOptions): Promise<ActRun> {
  const work = tempDir("act");
  const secretFile = path.join(work, "secrets");
  writeFileSync(secretFile, Object.entries(o.secrets ?? {}).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
  const args = [
    o.event ?? "push",
    "-W", o.workflow,
    "-P", "ubuntu-latest=-self-hosted",
    "-P", "native-nix=-self-hosted",
    "-P", "nix=-self-hosted",
    // No cache server (act would bind a random port); the artifact server starts only with a path, which
    // is not given, but its address and port stay inside 127.0.0.1:18300-18399 all the same.
    "--no-cache-server",
    "--artifact-server-addr", "127.0.0.1",
    "--artifact-server-port", String(await freePort()),
    "--action-offline-mode",
    "--local-repository", `org/nix-runner-action@v1=${o.action}`,
    "--secret-file", secretFile,
    "--env", `NIX_CONFIG=${NIX_CONF}`,
  ];
  for (const [k, v] of Object.entries(o.env ?? {})) args.push("--env", `${k}=${v}`);
  for (const [k, v] of Object.entries(o.vars ?? {})) args.push("--var", `${k}=${v}`);
  for (const [k, v] of Object.entries(o.inputs ?? {})) args.push("--input", `${k}=${v}`);
  const child: ChildProcess = spawn(ACT, args, {
    cwd: repo,
    // act's own cache (action copies, host workdirs) stays in this test's temp dir.
    env: { ...process.env, XDG_CACHE_HOME: path.join(work, "cache"), HOME: process.env.HOME },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 240_000);
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  clearTimeout(timer);
  // Keep act's temp dir (host workdirs, caches) only when asked, for debugging.
  if (process.env.NRA_KEEP_ACT) writeFileSync(path.join(work, "act.log"), log);
  else rmSync(work, { recursive: true, force: true });
  return { code, log };
}

export interface Registry {
  host: string;
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
