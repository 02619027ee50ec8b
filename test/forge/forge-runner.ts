// Gitea's runner (act_runner) registered to the suite's Gitea in daemon mode, as users run it: its
// config is workflows-templates/runners/gitea-act-runner.yaml with the few settings that cannot hold
// offline on 127.0.0.1 overridden (RUNNER_OVERRIDES, listed in docs/testing.md), and its labels
// are the template's own, the job image's registry host swapped for this Gitea's registry. Docker
// mode goes through Podman's Docker API (scripts/containers/podman-service.mjs) with this Gitea's
// registry marked insecure (plain HTTP on 127.0.0.1).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { podmanEnv } from "../../scripts/containers/podman.mjs";
import { startPodmanService, stopPodmanService } from "../../scripts/containers/podman-service.mjs";
import { installRunners, runnerLine } from "../../scripts/install-runners.mjs";
import { stopPids } from "../../scripts/lib/process.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";
import type { Gitea } from "./gitea.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const RUNNER_BIN = path.join(ROOT, ".tools/gitea/bin/runner");
export const RUNNER_TEMPLATE = path.join(ROOT, "workflows-templates/runners/gitea-act-runner.yaml");
/** The registry the templates name; the suite's stand-in is this Gitea's own registry under its admin. */
export const TEMPLATE_REGISTRY = "registry.example.com/ci/";

/**
 * Where the suite's runner config differs from the template, and why. Everything else (labels,
 * capacity, timeouts, force_pull, privileged, the runner file) is the template's.
 */
export const RUNNER_OVERRIDES: { key: string; value: (o: OverrideContext) => unknown; why: string }[] = [
  {
    key: "runner.fetch_interval",
    value: () => "1s",
    why: "a job starts within a second of being queued (the template polls every 2 s); only the suite's duration changes",
  },
  {
    key: "cache.enabled",
    value: () => false,
    why: "the runner's cache server listens on all interfaces, and the suite's servers listen on 127.0.0.1 only; no shipped workflow uses actions/cache",
  },
  {
    key: "container.network",
    value: () => "host",
    why: "the template's default (a bridge network per job) leaves the job container no way to reach a Gitea on the host's 127.0.0.1; users' jobs reach their Gitea by its public address",
  },
  {
    key: "container.options",
    value: (o) => o.volumes.map((v) => `-v ${v}:${v}`).join(" "),
    why: "the file:// binary cache the suite verifies is a host folder, mounted into the job container at the same path (users push to an HTTP or S3 cache)",
  },
  {
    key: "container.valid_volumes",
    value: (o) => o.volumes,
    why: "the runner mounts only volumes listed here (the cache folder above)",
  },
  {
    key: "host.workdir_parent",
    value: (o) => o.workdirParent,
    why: "host-mode jobs work in this run's temp folder, removed afterwards, not in /var/lib/act_runner/work",
  },
];

interface OverrideContext {
  volumes: string[];
  workdirParent: string;
}

/** Sets a dotted key in a parsed YAML document. */
function setKey(doc: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let at = doc;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]] = value;
}

/** The template's labels, the job image moved from the template's registry to this Gitea's. */
export function labelsFor(template: string, gitea: Pick<Gitea, "host">, owner: string): string[] {
  const labels = (parse(readFileSync(template, "utf8")) as { runner?: { labels?: string[] } }).runner?.labels ?? [];
  return labels.map((l) => l.replace(`docker://${TEMPLATE_REGISTRY}`, `docker://${gitea.host}/${owner}/`));
}

export interface ForgeRunner {
  name: string;
  dir: string;
  labels: string[];
  log: () => string;
  stop: () => Promise<void>;
}

export interface RunnerOptions {
  gitea: Gitea;
  /** Registry owner the label images live under on this Gitea. */
  owner: string;
  /** Environment of the daemon: host-mode jobs inherit it (PATH, NIX_CONFIG); DOCKER_HOST for docker mode. */
  env: NodeJS.ProcessEnv;
  /** Host folders docker-mode jobs get mounted at the same path. */
  volumes: string[];
  /** The template to take the config and labels from (a test may give a broken copy). */
  template?: string;
}

/** Registers a runner to `gitea` (the registration token from the API, given on stdin) and starts its daemon. */
export async function startRunner(o: RunnerOptions): Promise<ForgeRunner> {
  if (!existsSync(RUNNER_BIN)) {
    // installs every runner; only this one's binary matters here
    const said = installRunners().map(runnerLine).join("\n");
    if (!existsSync(RUNNER_BIN)) throw new Error(`scripts/install-runners.mjs did not install Gitea's runner (${RUNNER_BIN}):\n${said}`);
  }
  const template = o.template ?? RUNNER_TEMPLATE;
  const dir = tempDir("nra-forge-runner-");
  const workdirParent = path.join(dir, "work");
  mkdirSync(workdirParent);
  const doc = parse(readFileSync(template, "utf8")) as Record<string, unknown>;
  for (const ov of RUNNER_OVERRIDES) setKey(doc, ov.key, ov.value({ volumes: o.volumes, workdirParent }));
  const labels = labelsFor(template, o.gitea, o.owner);
  setKey(doc, "runner.labels", labels);
  const config = path.join(dir, "config.yaml");
  writeFileSync(config, stringify(doc));
  const name = `nra-forge-${path.basename(dir)}`;
  const env: NodeJS.ProcessEnv = { HOME: path.join(dir, "home"), LANG: "C.UTF-8", ...o.env };
  mkdirSync(path.join(dir, "home"));
  const { token } = await o.gitea.api<{ token: string }>("POST", "/admin/actions/runners/registration-token");
  // Interactive registration reads what the flags do not give from stdin: the token, which thus
  // never appears in a command line.
  const reg = execFileSync(RUNNER_BIN, ["register", "--instance", o.gitea.url, "--name", name, "--config", config], {
    cwd: dir,
    env,
    input: `${token}\n`,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
    timeout: 60_000,
  });
  void reg;
  const logFile = path.join(dir, "runner.log");
  const out = openSync(logFile, "a");
  const child: ChildProcess = spawn(RUNNER_BIN, ["daemon", "--config", config], { cwd: dir, env, detached: true, stdio: ["ignore", out, out] });
  const pid = child.pid ?? 0;
  const log = () => readFileSync(logFile, "utf8");
  const stop = async () => stopPids([-pid], 15_000);
  // Online once Gitea lists it as idle (it has declared its labels and polls).
  for (let i = 0; i < 120; i++) {
    const { runners } = await o.gitea.api<{ runners: { name: string; status: string; labels: { name: string }[] }[] }>("GET", "/admin/actions/runners");
    const me = runners?.find((r) => r.name === name);
    if (me && me.status !== "offline") return { name, dir, labels, log, stop };
    if (child.exitCode !== null) break;
    await sleep(500);
  }
  await stop();
  throw new Error(`runner ${name} did not come online within 60 s:\n${log().slice(-4000)}`);
}

export interface Podman {
  dockerHost: string;
  registriesConf: string;
  env: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
}

/**
 * Podman's storage for the forge suite's jobs: a folder of its own, not podman.mjs's default
 * (.tools/podman), whose containers the e2e removes after each of its rows (and counts as left
 * over): the two must not see each other's containers when they run at the same time.
 */
export const FORGE_PODMAN_STORAGE = path.join(ROOT, ".tools/podman-forge");

/** CONTAINERS_CONF and CONTAINERS_STORAGE_CONF for a storage folder (default: podman.mjs's own). */
export { podmanEnv };

/** Podman's Docker API service for docker-mode jobs (FORGE_PODMAN_STORAGE), this Gitea's registry insecure (HTTP on 127.0.0.1). */
export async function startPodman(registryHosts: string[]): Promise<Podman> {
  // volumes a runner keeps across jobs (act-toolcache) from an earlier run: removed, so every run
  // starts from nothing (a volume made before .tools/ moved names a folder that is gone)
  execFileSync("podman", ["volume", "rm", "-f", "-a"], { env: { ...process.env, ...podmanEnv(FORGE_PODMAN_STORAGE) }, stdio: "ignore" });
  const dir = tempDir("nra-forge-podman-");
  const registriesConf = path.join(dir, "registries.conf");
  writeFileSync(
    registriesConf,
    ["unqualified-search-registries = []", ...registryHosts.flatMap((h) => ["", "[[registry]]", `location = "${h}"`, "insecure = true"]), ""].join("\n"),
  );
  const state = path.join(dir, "service");
  const { dockerHost } = await startPodmanService(state, { storage: FORGE_PODMAN_STORAGE, env: { CONTAINERS_REGISTRIES_CONF: registriesConf } });
  return {
    dockerHost,
    registriesConf,
    env: { ...podmanEnv(FORGE_PODMAN_STORAGE), CONTAINERS_REGISTRIES_CONF: registriesConf },
    stop: async () => {
      await stopPodmanService(state);
    },
  };
}

/** Names of the containers in the forge suite's Podman storage (none once a run's jobs are done). */
export function forgeContainers(): string[] {
  const out = execFileSync("podman", ["ps", "-a", "--format", "{{.Names}}"], { env: { ...process.env, ...podmanEnv(FORGE_PODMAN_STORAGE) }, encoding: "utf8" });
  return out.split("\n").filter(Boolean);
}
