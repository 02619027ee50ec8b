// A real Gitea server for the forge suite: one per run, on 127.0.0.1 only, SQLite in a temp folder,
// Actions and the package registry on, started and stopped by its PID. Built from the Go module
// proxy by scripts/install-gitea.mjs. Admin user and token through Gitea's own CLI; everything else
// (users, repositories, labels, runner tokens, runs, logs, packages) through its API.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../scripts/lib/http-server.mjs";
import { alive, stopPids } from "../../scripts/lib/process.mjs";
import { tempDir } from "../../scripts/lib/runner.mjs";
import { giteaStaticRoot, installGitea } from "../../scripts/install-gitea.mjs";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface GiteaOptions {
  /**
   * [actions] DEFAULT_ACTIONS_URL: "self" resolves `uses: owner/repo@ref` on this instance;
   * "github" (Gitea's default, which air-gapped users keep) sends it to github.com, so they write
   * full URLs (`uses: http://host/owner/repo@ref`).
   */
  defaultActionsUrl: "self" | "github";
}

export interface Gitea {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string;
  /** 127.0.0.1:PORT, the container registry's host */
  host: string;
  port: number;
  dir: string;
  admin: { name: string; password: string; token: string };
  /** Calls the API (`/api/v1` + path) as the admin; throws on an unexpected status. */
  api: <T = unknown>(method: string, apiPath: string, body?: unknown, ok?: number[]) => Promise<T>;
  /** The raw text of an API GET (job logs). */
  apiText: (apiPath: string) => Promise<string>;
  /** Environment for git commands that talk to this instance as the admin (the token in a header, never in argv). */
  gitEnv: NodeJS.ProcessEnv;
  log: () => string;
  pid: number;
  stop: () => Promise<void>;
}

/** Runs the gitea CLI against this instance's config (admin commands), returns stdout. */
function giteaCli(bin: string, ini: string, dir: string, env: NodeJS.ProcessEnv, args: string[]): string {
  return execFileSync(bin, [...args, "--config", ini, "--work-path", dir], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export async function startGitea(o: GiteaOptions): Promise<Gitea> {
  const bin = installGitea();
  const dir = tempDir("nra-forge-gitea-");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ini = path.join(dir, "app.ini");
  for (const d of ["data", "repos", "log", "home", "custom"]) mkdirSync(path.join(dir, d));
  // Secrets of a throwaway instance, in a 0600 file of its own temp folder (Gitea reads them there).
  const secret = () => randomBytes(24).toString("hex");
  writeFileSync(
    ini,
    [
      "APP_NAME = nra-forge",
      "RUN_MODE = prod",
      "RUN_USER = root",
      `WORK_PATH = ${dir}`,
      "[server]",
      "PROTOCOL = http",
      "HTTP_ADDR = 127.0.0.1",
      `HTTP_PORT = ${port}`,
      "DOMAIN = 127.0.0.1",
      `ROOT_URL = ${url}/`,
      `STATIC_ROOT_PATH = ${giteaStaticRoot}`,
      `APP_DATA_PATH = ${dir}/data`,
      "DISABLE_SSH = true",
      "START_SSH_SERVER = false",
      "OFFLINE_MODE = true",
      "LFS_START_SERVER = false",
      "[database]",
      "DB_TYPE = sqlite3",
      `PATH = ${dir}/data/gitea.db`,
      "SQLITE_JOURNAL_MODE = WAL",
      "[security]",
      "INSTALL_LOCK = true",
      `SECRET_KEY = ${secret()}`,
      `INTERNAL_TOKEN = ${secret()}`,
      "[oauth2]",
      `JWT_SECRET = ${randomBytes(32).toString("base64url")}`,
      "[service]",
      "DISABLE_REGISTRATION = true",
      "REQUIRE_SIGNIN_VIEW = false",
      "DEFAULT_ALLOW_CREATE_ORGANIZATION = true",
      "[repository]",
      `ROOT = ${dir}/repos`,
      "DEFAULT_BRANCH = main",
      "[log]",
      "MODE = file",
      "LEVEL = Info",
      `ROOT_PATH = ${dir}/log`,
      "[mailer]",
      "ENABLED = false",
      "[indexer]",
      "ISSUE_INDEXER_TYPE = db",
      "[actions]",
      "ENABLED = true",
      `DEFAULT_ACTIONS_URL = ${o.defaultActionsUrl}`,
      "[packages]",
      "ENABLED = true",
      "[cron.update_checker]",
      "ENABLED = false",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  // Gitea refuses to run as root unless told; this suite runs as root (Nix, Podman and the host
  // runner need it), and the server's files live in a temp folder of this run only, so the
  // documented override is used rather than a second user that would need every folder chowned.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: path.join(dir, "home"),
    LANG: "C.UTF-8",
    GITEA_I_AM_BEING_UNSAFE_RUNNING_AS_ROOT: "true",
    GITEA_WORK_DIR: dir,
    GITEA_CUSTOM: path.join(dir, "custom"),
  };
  const logFile = path.join(dir, "gitea.out");
  const out = openSync(logFile, "a");
  // Its own process group, stopped by PID.
  const child: ChildProcess = spawn(bin, ["web", "--config", ini, "--work-path", dir], { cwd: dir, env, detached: true, stdio: ["ignore", out, out] });
  const pid = child.pid ?? 0;
  const log = () => {
    let text = readFileSync(logFile, "utf8");
    try {
      text += readFileSync(path.join(dir, "log", "gitea.log"), "utf8");
    } catch {
      /* no log file yet */
    }
    return text;
  };
  const stop = async () => {
    await stopPids([-pid], 10_000);
  };
  try {
    let up = false;
    for (let i = 0; i < 240 && !up; i++) {
      if (!alive(pid)) throw new Error(`gitea exited while starting:\n${log().slice(-4000)}`);
      try {
        up = (await fetch(`${url}/api/healthz`)).ok;
      } catch {
        /* not listening yet */
      }
      if (!up) await sleep(250);
    }
    if (!up) throw new Error(`gitea did not answer ${url}/api/healthz within 60 s:\n${log().slice(-4000)}`);
    const name = "nra";
    const created = giteaCli(bin, ini, dir, env, ["admin", "user", "create", "--username", name, "--email", "nra@example.invalid", "--admin", "--random-password", "--must-change-password=false"]);
    const password = /generated random password is '([^']+)'/.exec(created)?.[1];
    if (!password) throw new Error(`gitea admin user create printed no password: ${created}`);
    const token = giteaCli(bin, ini, dir, env, ["admin", "user", "generate-access-token", "--username", name, "--token-name", "forge-suite", "--scopes", "all", "--raw"]).trim();
    const headers = { Authorization: `token ${token}` };
    const api = async <T>(method: string, apiPath: string, body?: unknown, ok: number[] = [200, 201, 204]): Promise<T> => {
      const r = await fetch(`${url}/api/v1${apiPath}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      if (!ok.includes(r.status)) throw new Error(`${method} ${apiPath}: ${r.status} ${text.slice(0, 2000)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };
    const apiText = async (apiPath: string) => {
      const r = await fetch(`${url}/api/v1${apiPath}`, { headers });
      const text = await r.text();
      if (!r.ok) throw new Error(`GET ${apiPath}: ${r.status} ${text.slice(0, 2000)}`);
      return text;
    };
    const gitEnv: NodeJS.ProcessEnv = {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `http.${url}/.extraHeader`,
      GIT_CONFIG_VALUE_0: `Authorization: token ${token}`,
      GIT_TERMINAL_PROMPT: "0",
    };
    return { url, host: `127.0.0.1:${port}`, port, dir, admin: { name, password, token }, api, apiText, gitEnv, log, pid, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
