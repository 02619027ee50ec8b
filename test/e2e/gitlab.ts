// The GitLab rows' kinds: a .gitlab-ci.yml job run by gitlab-ci-local (gitlab-ci-local.ts), setup in
// before_script, push in after_script, with the CLI as a team installs it (`npm pack` of the
// snapshot, installed offline). A host row runs on gitlab-ci-local's shell executor, on this machine
// with the row's Nix first on PATH; a container row in its docker mode on Podman, in the image of the
// row's environment (environments.ts) with the same mounts as the runners' rows. The job's results
// (its outputs, its build's store path) go to the row's folder, mounted at the same path in a
// container, and its cache is a file:// folder there: the shared checks (checks.ts) read them as
// they read a runner's.
//
// What the real runner does that gitlab-ci-local does not, and these kinds reproduce: GitLab's
// docker executor kills what `script` left running before after_script (gl-killed-pusher, on the
// shell executor, kills the pusher between the two), and a cancel is SIGTERM to the job's process
// group (gl-cancel sends it). gitlab-ci-local's own docker mode happens to end the pusher with
// `script` too (gl-job in a container checks that push then finds it gone).
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { keyExposure, type Proc, processes } from "../helpers/key-scan.js";
import { filesUnder } from "../helpers/push.js";
import { builtAndPushed, check, type Check, containerOutputs, hasLine, keyMasked, type KindSpec, lines, nixVersionOf, runnerFailed, runnerPassed, said, tail } from "./checks.js";
import { context, JOB_NIX_CONFIG, own, ready, ROOT, step } from "./context.js";
import { debianImage, DETERMINATE, type Setup } from "./environments.js";
import { runGitlabJob, type Variable } from "./gitlab-ci-local.js";
import type { GitlabSeen, Run } from "./run.js";
import { type Kind, type Row, rowId } from "./rows.js";

type GitlabKind = Extract<Kind, `gl-${string}`>;

/** Where the CLI's package is installed (npm pack, then npm install --offline): made once per run. */
let cliPrefix = "";
function installCli(): Promise<void> {
  return ready("gitlab-cli", (log) => {
    const ctx = context();
    const packs = path.join(ctx.work, "gitlab-pack");
    cliPrefix = path.join(ctx.work, "gitlab-cli");
    mkdirSync(packs, { recursive: true });
    step(log, "npm", ["pack", "--pack-destination", packs], { cwd: ctx.repo });
    const tarball = path.join(packs, readdirSync(packs).find((f) => f.endsWith(".tgz"))!);
    step(log, "npm", ["install", "--offline", "--no-audit", "--no-fund", "--prefix", cliPrefix, tarball]);
    if (!existsSync(path.join(cliPrefix, "node_modules/.bin/nix-runner-action"))) throw new Error("npm install of the packed CLI made no nix-runner-action bin");
  });
}
const IN_CONTAINER = "/opt/nix-runner-action";
const CONTAINER_CLI = `node ${IN_CONTAINER}/node_modules/nix-runner-action/dist/cli/index.js`;

interface JobOptions {
  /** The job's script lines (before_script runs setup, after_script push). */
  script: string[];
  /** More CI/CD variables; NIX_RUNNER_SIGNING_KEY as a File variable with `fileKey`. */
  variables?: Record<string, Variable>;
  fileKey?: boolean;
  /** More volumes for a container row. */
  volumes?: string[];
  /** Sends SIGTERM to the job's process group once this holds for its processes (a cancel). */
  cancelWhen?: (group: Proc[]) => boolean;
}

/** Shell lines of a job: write setup's outputs, build the salted derivation as JOB and record its path. */
const OUTPUTS = [
  'printf "%s\\n" "platform=$NIX_RUNNER_OUTPUT_PLATFORM" "nix-version=$NIX_RUNNER_OUTPUT_NIX_VERSION" "environment=$NIX_RUNNER_OUTPUT_ENVIRONMENT" "container=$NIX_RUNNER_OUTPUT_CONTAINER" "installed=$NIX_RUNNER_OUTPUT_INSTALLED" "node=$(node --version)" "key-variable=$([ -n \"${NIX_RUNNER_SIGNING_KEY+x}\" ] && echo set || echo unset)" "key-in-env=$(env | grep -c ^NIX_RUNNER_SIGNING_KEY= || true)" > "$E2E_RESULTS/gl.outputs"',
  'cp nix-runner.env "$E2E_RESULTS/gl.dotenv"',
];
// a `result-JOB` link in the project, as a user's build leaves: through a host daemon (the diff
// method) only what the job's GC roots hold is pushed
const build = (job: string) => `P=$(nix-build -o result-${job} salted.nix --argstr salt "$E2E_SALT" --argstr job ${job}); echo "$P" > "$E2E_RESULTS/${job}.path"; echo "built $P"`;
/** The job folder the CLI makes when GitLab gives no RUNNER_TEMP_PROJECT_DIR (gitlab-ci-local gives none). */
const JOB_DIR = 'D="$CI_BUILDS_DIR/nix-runner-action-$CI_JOB_ID"';

function ciYml(cli: string, image: string | undefined, script: string[]): string {
  const list = (l: string[]) => l.map((x) => `    - ${JSON.stringify(x)}`).join("\n");
  return [
    "build:",
    ...(image ? [`  image: ${image}`] : []),
    "  before_script:",
    list([`NIX_RUNNER_SETUP=$(${cli} setup); eval "$NIX_RUNNER_SETUP"`]),
    "  script:",
    list(script),
    "  after_script:",
    list([`${cli} push`]),
    "",
  ].join("\n");
}

/** The environment of gitlab-ci-local, which its shell executor's jobs inherit: nothing of this process's but PATH. */
function toolEnv(row: Row, s: Setup, dir: string): NodeJS.ProcessEnv {
  const ctx = context();
  const first = s.container ? [] : [path.join(cliPrefix, "node_modules/.bin"), row.node === 24 ? ctx.node24Dir : undefined, s.nixDir];
  return {
    PATH: [...first.filter((d): d is string => !!d), process.env.PATH].join(":"),
    HOME: path.join(dir, "home"),
    XDG_CACHE_HOME: path.join(dir, "xdg"),
    USER: process.env.USER ?? "root",
    LANG: "C.UTF-8",
    TERM: "dumb",
    TMPDIR: dir,
    NIX_CONFIG: JOB_NIX_CONFIG,
    E2E_RUN: ctx.work,
    ...(process.env.PODMAN_STORAGE ? { PODMAN_STORAGE: process.env.PODMAN_STORAGE } : {}),
  };
}

/** The PID namespace of a process, or undefined when it is gone. */
function pidNamespace(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/**
 * The processes to watch for the key while a job runs: on the shell executor those of the job's
 * process group, in docker mode those in the PID namespace of a process running the CLI from its
 * mount. Allowed to hold the key: the job's shells (GitLab starts them with the job's variables; a
 * shell's initial environment cannot be changed) and the CLI itself, which GitLab starts with them
 * too; never the pusher nor anything the job runs after setup. gitlab-ci-local hands the variables to
 * podman on its command line, which GitLab's runner (the Docker API) does not: those podman
 * processes are outside the container and not watched.
 */
function jobProcesses(pgid: number, docker: boolean): { watched: Proc[]; allowed: (p: Proc) => boolean } {
  const all = processes();
  const { watched, allowed } = docker ? inContainer(all) : inGroup(all, pgid);
  // a fork of an allowed process that has not exec'd yet (a command substitution's subshell) shows
  // the same initial environment: allowed as its parent is
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const forkOf = (p: Proc): boolean => {
    const parent = byPid.get(p.ppid);
    return !!parent && parent.cmd === p.cmd && (allowed(parent) || forkOf(parent));
  };
  return { watched, allowed: (p) => allowed(p) || forkOf(p) };
}

function inContainer(all: Proc[]): { watched: Proc[]; allowed: (p: Proc) => boolean } {
  const spaces = new Set(all.filter((p) => p.cmd.includes(`${IN_CONTAINER}/`)).map((p) => pidNamespace(p.pid)));
  const inside = all.filter((p) => spaces.has(pidNamespace(p.pid)));
  const allowed = (p: Proc) => p.cmd.includes("/dist/cli/index.js") || (/^(\/\S*\/)?(ba)?sh( |$)/.test(p.cmd) && !p.cmd.startsWith("sh -c cat <&3"));
  return { watched: inside, allowed };
}

function inGroup(all: Proc[], pgid: number): { watched: Proc[]; allowed: (p: Proc) => boolean } {
  const group = all.filter((p) => p.pgid === pgid && p.pid !== pgid);
  const shells = new Set(group.filter((p) => p.ppid === pgid).map((p) => p.pid));
  const allowed = (p: Proc) =>
    shells.has(p.pid) || /\bnix-runner-action (setup|push)\b/.test(p.cmd) || (shells.has(p.ppid) && /^(bash|sh) /.test(p.cmd) && !p.cmd.includes("pusher"));
  return { watched: group, allowed };
}

/** Watches a running job every 100 ms (bounded: 10 minutes) until `stop`. */
function watchJob(docker: boolean, secret: string, cancelWhen?: JobOptions["cancelWhen"]) {
  let pgid = 0;
  let on = true;
  let cancelled = false;
  const exposures = new Set<string>();
  const pushers = new Set<string>();
  const loop = (async () => {
    for (let i = 0; on && i < 6000; i++) {
      if (pgid) {
        const { watched, allowed } = jobProcesses(pgid, docker);
        // a child the pusher forks shows the pusher's command line until it execs: counted once
        for (const p of watched) {
          if (p.cmd.includes("/dist/pusher/index.js") && !watched.some((q) => q.pid === p.ppid && q.cmd === p.cmd)) pushers.add(`${pidNamespace(p.pid)}:${p.pid}`);
        }
        for (const e of keyExposure(secret, watched.filter((p) => !allowed(p)), [])) exposures.add(e);
        if (cancelWhen && !cancelled && cancelWhen(processes().filter((p) => p.pgid === pgid))) {
          process.kill(-pgid, "SIGTERM");
          cancelled = true;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    started: (group: number) => (pgid = group),
    stop: async () => {
      on = false;
      await loop;
      return { exposures: [...exposures], pushers: pushers.size, cancelled };
    },
  };
}

/** Processes of the job's group still alive, after up to `waitMs` for them to end; any left are killed. */
async function leftAfter(pgid: number, waitMs: number): Promise<boolean> {
  const left = () => processes().filter((p) => p.pgid === pgid);
  for (let i = 0; i < waitMs / 100 && left().length; i++) await new Promise((r) => setTimeout(r, 100));
  const still = left();
  for (const p of still) process.kill(p.pid, "SIGKILL");
  return still.length > 0;
}

/** Runs the row's job under gitlab-ci-local and waits for it; its log in the row's folder. */
async function runGitlab(row: Row, s: Setup, o: JobOptions): Promise<Run> {
  await installCli();
  const ctx = context();
  const dir = path.join(ctx.work, rowId(row));
  for (const d of ["home", "xdg", "results", "cache"]) mkdirSync(path.join(dir, d), { recursive: true });
  const docker = !!s.container;
  const variables: Record<string, Variable> = {
    NIX_RUNNER_PUSH_TO: `file://${path.join(dir, "cache")}`,
    NIX_RUNNER_SIGNING_KEY: o.fileKey ? { file: ctx.key.secret } : ctx.key.secret,
    NIX_RUNNER_TRUSTED_PUBLIC_KEYS: ctx.key.pub,
    E2E_RESULTS: path.join(dir, "results"),
    E2E_SALT: `${ctx.salt}-${rowId(row)}`,
    ...o.variables,
  };
  const volumes = docker ? [`${cliPrefix}:${IN_CONTAINER}:ro`, `${dir}:${dir}`, ...(s.container?.opts.match(/(?<=-v )\S+/g) ?? []), ...(o.volumes ?? [])] : [];
  const helperImage = docker ? await debianImage() : undefined;
  const watch = watchJob(docker, ctx.key.secret.split(":")[1], o.cancelWhen);
  let pgid = 0;
  const run = await runGitlabJob({
    ciYml: ciYml(docker ? CONTAINER_CLI : "nix-runner-action", s.container?.image, o.script),
    jobs: ["build"],
    files: { "salted.nix": readFileSync(path.join(ROOT, "test/fixtures/e2e/salted.nix"), "utf8") },
    variables,
    env: toolEnv(row, s, dir),
    ...(docker ? { mode: "docker" as const, docker: { helperImage, network: "none", volumes } } : {}),
    timeoutMs: Math.min(900_000, ctx.deadline - Date.now()),
    onStart: (group) => {
      pgid = group;
      own({ group });
      if (docker) own({ podman: true });
      watch.started(group);
    },
  });
  const seen = await watch.stop();
  // a cancelled job's pusher ends in its SIGTERM handler: bounded wait for that, none otherwise
  const leftRunning = await leftAfter(pgid, seen.cancelled ? 10_000 : 0);
  writeFileSync(path.join(dir, "log"), run.log);
  const read = (f: string) => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), "utf8") : "");
  const gitlab: GitlabSeen = { ...seen, project: run.project, running: run.running };
  return { rc: run.timedOut ? 124 : run.code, dir, log: run.log, read, leftRunning, gitlab };
}

// -- checks --------------------------------------------------------------------------------------
const seen = (r: Run): GitlabSeen => {
  if (!r.gitlab) throw new Error("not a GitLab row's run");
  return r.gitlab;
};
const OUT = "results/gl.outputs";
const secretHalf = () => context().key.secret.split(":")[1];

/** What setup handed the job's later lines, and what it took away from them. */
function setupOutputs(row: Row): Check[] {
  return [
    check("a later line read platform=gitlab", (r) => hasLine(r, OUT, "platform=gitlab")),
    check(`a later line read nix-version of Nix ${row.nix}`, (r) => nixVersionOf(lines(r.read(OUT)).find((l) => l.startsWith("nix-version="))?.slice(12), row.nix)),
    check("the outputs are in the dotenv file (artifacts:reports:dotenv)", (r) => expect(r.read("results/gl.dotenv")).toMatch(/^NIX_RUNNER_OUTPUT_NIX_VERSION=\d+\.\d+\.\d+$/m)),
    check(`the CLI ran under node ${row.node}`, (r) => expect(lines(r.read(OUT)).find((l) => l.startsWith("node="))).toMatch(new RegExp(`^node=v${row.node}\\.`))),
    check("the signing key's variable is unset for the lines after setup, and in no process's environment there", (r) => {
      hasLine(r, OUT, "key-variable=unset");
      hasLine(r, OUT, "key-in-env=0");
    }),
  ];
}

/** The key in no log, no process started after setup, no file of the project or the row. */
const keyNowhere: Check[] = [
  keyMasked,
  check("no process started after setup held the key (argv, environment; every 100 ms)", (r) => expect(seen(r).exposures).toEqual([])),
  check("no file of the project or the job's results holds the key", (r) => {
    const files = [...filesUnder(seen(r).project), ...filesUnder(path.join(r.dir, "results"))].filter((f) => !f.includes(`${path.sep}.git${path.sep}`));
    expect(files.filter((f) => readFileSync(f).includes(secretHalf()))).toEqual([]);
  }),
];

const pusherStarted = check("setup started one background pusher", (r) => {
  expect(r.log).toMatch(/push: background pusher started \(pid \d+/);
  expect(seen(r).pushers).toBe(1);
});
const pusherGoneBeforePush = check("push found the pusher gone and pushed what it had not sent", (r) =>
  expect(r.log).toContain("push: the background pusher was not running any more when nix-runner-action push started; nix-runner-action push pushes what it did not send"));
const noContainerRunning = check("no container of the run still running after gitlab-ci-local exited", (r) => expect(seen(r).running).toEqual([]));

/** gl-job's checks in each environment: the shell executor, the Nix job image, the shared store, all on the row's Nix. */
function jobChecks(row: Row): Check[] {
  const common = [runnerPassed, ...setupOutputs(row), ...builtAndPushed("gl"), ...keyNowhere];
  if (row.env === "host") {
    return [
      ...common,
      pusherStarted,
      check("the pusher's deadline falls back on GitLab's default timeout where CI_JOB_TIMEOUT is missing", (r) =>
        expect(r.log).toContain("GitLab's default timeout of 3600 s (no readable CI_JOB_TIMEOUT)")),
      check("the pusher uploaded during the job", (r) => expect(r.log).toMatch(/push: the background pusher uploaded \d+ path\(s\)/)),
      check("push removed the job's folder", (r) => expect(readdirSync(seen(r).project).filter((f) => f.startsWith("nix-runner-action-"))).toEqual([])),
    ];
  }
  const container = [...common, ...containerOutputs(row, OUT, "gl"), noContainerRunning];
  if (row.env === "nix-image") return [...container, pusherStarted, pusherGoneBeforePush];
  return [...container, check("push used the diff method", (r) => expect(r.log).toMatch(/push: paths will be found by the diff method/)), ...said(row)];
}

export const GITLAB_KINDS: Record<GitlabKind, KindSpec> = {
  // setup, a build, push: the outputs, the signed push, the key nowhere, nothing left
  "gl-job": {
    title: (row) => `.gitlab-ci.yml job, ${row.env === "host" ? "shell executor" : `docker mode on Podman (${row.env})`}, Nix ${row.nix}, node ${row.node}`,
    run: (row, s) => runGitlab(row, s, { script: [...OUTPUTS, build("gl")] }),
    checks: jobChecks,
  },

  // NIX_RUNNER_MODE=imgae: before_script fails naming the variable; push in after_script pushes nothing
  "gl-bad": {
    title: (row) => `.gitlab-ci.yml job with NIX_RUNNER_MODE=imgae (expect failure naming the variable; ${row.env})`,
    run: (row, s) => runGitlab(row, s, { script: ["echo E2E-REACHED-42"], variables: { NIX_RUNNER_MODE: "imgae" } }),
    checks: (row) => [
      runnerFailed,
      check('setup failed naming the variable: NIX_RUNNER_MODE must be one of … (got "imgae")', (r) =>
        expect(r.log).toContain('build > ERROR: NIX_RUNNER_MODE must be one of auto, image, native, install (got "imgae")')),
      check("the script did not run", (r) => expect(r.log).not.toContain("build > E2E-REACHED-42")),
      check("push in after_script said it skips invalid inputs", (r) =>
        expect(r.log).toMatch(/push skipped: the inputs are invalid \(nix-runner-action setup reported this\): NIX_RUNNER_MODE must be one of/)),
      check("no Actions command (::…) reached the log", (r) => expect(r.log).not.toMatch(/^\S+ > ::/m)),
      ...(row.env === "host" ? [] : [noContainerRunning]),
    ],
  },

  // GitLab's docker executor kills the pusher when `script` ends: here it is frozen once it sent the
  // first build, the second is built, and it is killed before after_script
  "gl-killed-pusher": {
    title: () => ".gitlab-ci.yml job whose pusher is killed between script and after_script (as GitLab's docker executor does)",
    run: (row, s) =>
      runGitlab(row, s, {
        script: [
          JOB_DIR,
          build("first"),
          'for i in $(seq 1 300); do grep -q "sent [0-9]* path" "$D/pusher.log" 2>/dev/null && break; sleep 0.1; done',
          'kill -STOP "$(cat "$D/pusher.pid")"',
          build("second"),
          'kill -KILL "$(cat "$D/pusher.pid")"',
        ],
      }),
    checks: () => [
      runnerPassed,
      pusherGoneBeforePush,
      check("the pusher had sent part of the builds, push the rest", (r) =>
        expect(r.log).toMatch(/push: the background pusher uploaded \d+ path\(s\) .*; [1-3] of 4 selected path\(s\) left for nix-runner-action push/)),
      ...builtAndPushed("first"),
      ...builtAndPushed("second"),
      ...keyNowhere,
    ],
  },

  // a cancel: SIGTERM to the job's process group while the pusher runs and the job sleeps
  "gl-cancel": {
    title: () => ".gitlab-ci.yml job cancelled (SIGTERM to its process group, as GitLab sends it) while its pusher runs",
    run: (row, s) =>
      runGitlab(row, s, {
        script: [JOB_DIR, build("gl"), 'echo "$D" > "$E2E_RESULTS/job-dir"', "sleep 90"],
        cancelWhen: (group) => group.some((p) => p.cmd.includes("/dist/pusher/index.js")) && group.some((p) => p.cmd.trim() === "sleep 90"),
      }),
    checks: () => [
      check("the job's process group was sent SIGTERM while the pusher ran", (r) => expect(seen(r).cancelled, tail(r)).toBe(true)),
      check("the pusher stopped on the SIGTERM and said so in its status file", (r) => {
        const status = JSON.parse(readFileSync(path.join(r.read("results/job-dir").trim(), "pusher-status.json"), "utf8")) as { state: string };
        expect(status.state).toBe("stopped by SIGTERM");
      }),
    ],
  },

  // the key as a File variable: GitLab writes it to a file for the whole job; it works, with a warning
  "gl-file-key": {
    title: () => ".gitlab-ci.yml job given the key as a File variable (expect a warning, and the push)",
    run: (row, s) => runGitlab(row, s, { script: [build("gl")], fileKey: true }),
    checks: () => [
      runnerPassed,
      check("setup warned that a File variable leaves the key readable by every process of the job", (r) =>
        expect(r.log).toMatch(/WARNING: NIX_RUNNER_SIGNING_KEY is a File-type variable: GitLab wrote the signing key to \/\S+, readable by every process of the job/)),
      ...builtAndPushed("gl"),
      keyMasked,
    ],
  },

  // plain Debian without Nix: setup installs it with DeterminateSystems' installer (mounted, pinned;
  // the Nix tarball it downloads mounted beside it), push in after_script finds it again
  "gl-install": {
    title: () => ".gitlab-ci.yml job in plain Debian: setup installs Nix (DeterminateSystems' installer), push finds it",
    run: (row, s) =>
      runGitlab(row, s, {
        script: [...OUTPUTS, build("gl")],
        variables: {
          NIX_RUNNER_INSTALLER: "determinate",
          NIX_RUNNER_INSTALLER_URL: "file:///opt/nix-installer",
          NIX_RUNNER_INSTALLER_SHA256: DETERMINATE.sha,
          NIX_RUNNER_INIT: "none",
          NIX_INSTALLER_NIX_PACKAGE_URL: "file:///opt/nix.tar.xz",
          NIX_CONFIG: "sandbox = false\nsubstituters =",
        },
        volumes: [`${DETERMINATE.bin}:/opt/nix-installer:ro`, `${DETERMINATE.tarball}:/opt/nix.tar.xz:ro`],
      }),
    checks: (row) => [
      runnerPassed,
      ...setupOutputs(row),
      ...containerOutputs(row, OUT, "gl"),
      check("a later line read installed=true", (r) => hasLine(r, OUT, "installed=true")),
      ...builtAndPushed("gl", " with the installed Nix"),
      ...keyNowhere,
      noContainerRunning,
    ],
  },
};
