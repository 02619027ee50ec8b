// GitLab CI jobs run for real by gitlab-ci-local (test/gitlab/gitlab-ci-local.ts) in shell mode, with
// the CLI as users get it: `npm pack` of this repository installed offline (no dependency to fetch)
// and its bin on the job's PATH. Each row is one job: setup in before_script, push in after_script,
// real Nix (the machine's) and a file:// cache, as GitLab's shell executor runs them.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedPaths, generateKey, TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";
import { keyExposure, type Proc, processes } from "../helpers/key-scan.js";
import { filesUnder, nix, salt, testNixEnv } from "../helpers/push.js";
import { parse } from "yaml";
import { COMPONENT, COMPONENT_FILE, HIDDEN_JOB } from "../../scripts/gitlab-component.mjs";
import { type GitlabJob, type GitlabRun, previewGitlabCi, runGitlabJob } from "./gitlab-ci-local.js";

const key = generateKey(`nra-gitlab-${salt()}`, tempDir("nra-gitlab-key-"));
const b64 = key.secret.split(":")[1];
let bin = "";
/** Where `npm install` put the package (mounted into docker-mode jobs). */
let prefix = "";
const salted = readFileSync(path.join(ROOT, "test/fixtures/e2e/salted.nix"), "utf8");

/** The package as a team serves it from its registry: npm pack, then npm install --offline of the tarball. */
beforeAll(() => {
  if (!existsSync(path.join(ROOT, "dist/cli/index.js"))) throw new Error("dist/cli is not built: npm run build");
  const packs = tempDir("nra-gitlab-pack-");
  const pack = spawnSync("npm", ["pack", "--pack-destination", packs], { cwd: ROOT, encoding: "utf8" });
  expect(pack.status, pack.stderr).toBe(0);
  const tarball = path.join(packs, readdirSync(packs).find((f) => f.endsWith(".tgz"))!);
  prefix = tempDir("nra-gitlab-cli-");
  const install = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--prefix", prefix, tarball], { encoding: "utf8" });
  expect(install.status, install.stderr).toBe(0);
  bin = path.join(prefix, "node_modules/.bin");
  expect(existsSync(path.join(bin, "nix-runner-action"))).toBe(true);
});

/** The machine's environment for the runner (a host runner's): the CLI on PATH and the host's Nix settings. */
const runnerEnv = (): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${bin}:${process.env.PATH}`, NIX_CONFIG: TEST_NIX_CONFIG });

/** The job's project folder is CI_BUILDS_DIR under gitlab-ci-local's shell executor: the job folder is in it. */
const JOB_DIR = 'D="$CI_BUILDS_DIR/nix-runner-action-$CI_JOB_ID"';
const SETUP = 'NIX_RUNNER_SETUP=$(nix-runner-action setup); eval "$NIX_RUNNER_SETUP"';
/** Leaves `result` in the project folder, as a user's build does: through a host daemon (the diff method) only what the job's GC roots hold is pushed. */
const build = (job: string, s: string) => `nix-build -o result salted.nix --argstr salt ${s} --argstr job ${job}`;

function ciYml(script: string[], extra = ""): string {
  const lines = (l: string[]) => l.map((x) => `    - ${JSON.stringify(x)}`).join("\n");
  return `build:\n  before_script:\n${lines([SETUP])}\n  script:\n${lines(script)}\n  after_script:\n${lines(["nix-runner-action push"])}\n${extra}`;
}

/**
 * Runs a job while watching, every 100 ms, the processes of its process group for the key in their
 * argv or environment. Allowed to hold it: the job's shells (GitLab starts them with the job's
 * variables; a shell's own initial environment cannot be changed) and the CLI's own processes, which
 * GitLab starts with them too; not the pusher, nor anything the job runs after setup.
 */
async function runWatched(job: GitlabJob): Promise<GitlabRun & { exposures: string[]; pushers: Proc[]; seen: Proc[] }> {
  let pgid = 0;
  let on = true;
  const exposures = new Set<string>();
  const pushers = new Map<number, Proc>();
  const seen = new Map<number, Proc>();
  const watch = (async () => {
    for (let i = 0; on && i < 6000; i++) {
      if (pgid) {
        const group = processes().filter((p) => p.pgid === pgid && p.pid !== pgid);
        for (const p of group) {
          seen.set(p.pid, p);
          if (p.cmd.includes("/dist/pusher/index.js")) pushers.set(p.pid, p);
        }
        const shells = new Set(group.filter((p) => p.ppid === pgid).map((p) => p.pid));
        const theCli = (p: Proc) => /\bnix-runner-action (setup|push)\b/.test(p.cmd) || (shells.has(p.ppid) && /^(bash|sh) /.test(p.cmd) && !p.cmd.includes("pusher"));
        const suspects = group.filter((p) => !shells.has(p.pid) && !theCli(p));
        for (const e of keyExposure(b64, suspects, [])) exposures.add(e);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    const run = await runGitlabJob({ ...job, onStart: (g) => (pgid = g) });
    // a child the pusher forks shows the pusher's command line until it execs (an upload's shell)
    const started = [...pushers.values()].filter((p) => !pushers.has(p.ppid));
    return { ...run, exposures: [...exposures], pushers: started, seen: [...seen.values()] };
  } finally {
    on = false;
    await watch;
  }
}

/** The store path a job's nix-build printed for `job` (gitlab-ci-local prefixes job lines with "<job> > "). */
function builtPath(log: string, job: string): string {
  const m = log.match(new RegExp(`> (/nix/store/[a-z0-9]{32}-nix-runner-action-e2e-${job})$`, "m"));
  if (!m) throw new Error(`no ${job} path in the log:\n${log}`);
  return m[1];
}

function verifySigned(cacheDir: string, paths: string[]): { code: number; err: string } {
  const r = nix(["store", "verify", "--store", `file://${cacheDir}`, "--trusted-public-keys", key.pub, "-r", ...paths], testNixEnv());
  return { code: r.code, err: r.err };
}

/** Processes of the run's group still alive after gitlab-ci-local ended. */
const leftInGroup = (pgid: number) => processes().filter((p) => p.pgid === pgid);

const cleanup: number[] = [];
afterAll(() => {
  // a failed assertion must not leave a pusher behind
  for (const g of cleanup) for (const p of leftInGroup(g)) process.kill(p.pid, "SIGKILL");
});

describe("GitLab shell executor (gitlab-ci-local): setup in before_script, push in after_script", () => {
  it("setup's outputs reach later lines and the dotenv file; the build is pushed signed; the key is nowhere; nothing is left running", async () => {
    const cache = tempDir("nra-gitlab-cache-");
    const s = salt();
    const run = await runWatched({
      ciYml: ciYml([
        'echo "outputs: environment=$NIX_RUNNER_OUTPUT_ENVIRONMENT platform=$NIX_RUNNER_OUTPUT_PLATFORM nix-version=$NIX_RUNNER_OUTPUT_NIX_VERSION installed=$NIX_RUNNER_OUTPUT_INSTALLED"',
        'echo "key variable: ${NIX_RUNNER_SIGNING_KEY-unset}; in env(1): $(env | grep -c ^NIX_RUNNER_SIGNING_KEY= || true)"',
        build("gl", s),
        "cat nix-runner.env",
      ]),
      jobs: ["build"],
      files: { "salted.nix": salted },
      variables: { NIX_RUNNER_PUSH_TO: `file://${cache}`, NIX_RUNNER_SIGNING_KEY: key.secret, NIX_RUNNER_TRUSTED_PUBLIC_KEYS: key.pub },
      env: runnerEnv(),
    });
    cleanup.push(run.pgid);
    expect(run.code, run.log).toBe(0);
    const version = spawnSync("nix", ["--version"], { encoding: "utf8" }).stdout.match(/(\d+\.\d+\.\d+)/)![1];
    expect(run.log).toContain(`build > outputs: environment=image platform=gitlab nix-version=${version} installed=false`);
    expect(run.log).toContain("build > key variable: unset; in env(1): 0");
    expect(run.log).toMatch(/^build > NIX_RUNNER_OUTPUT_NIX_VERSION=\d+\.\d+\.\d+$/m);
    // no CI_JOB_TIMEOUT under gitlab-ci-local: the pusher's deadline falls back on GitLab's default
    expect(run.log).toContain("GitLab's default timeout of 3600 s (no readable CI_JOB_TIMEOUT)");
    expect(run.log).toMatch(/push: the background pusher uploaded \d+ path\(s\)/);

    const out = builtPath(run.log, "gl");
    expect(cachedPaths(cache, [out])).toEqual([out]);
    expect(verifySigned(cache, [out])).toMatchObject({ code: 0 });

    expect(run.pushers.length, "the pusher ran in the job's process group").toBe(1);
    expect(run.exposures).toEqual([]);
    expect(run.log).not.toContain(b64);
    const files = [...filesUnder(run.project)].filter((f) => !f.includes(`${path.sep}.git${path.sep}`));
    expect(files.filter((f) => readFileSync(f).includes(b64))).toEqual([]);
    expect(leftInGroup(run.pgid)).toEqual([]);
    // gone (a zombie at most: this machine's PID 1 may not reap what it inherits)
    for (const p of run.pushers) expect(processes().some((q) => q.pid === p.pid)).toBe(false);
    // push removed the job's folder
    expect(readdirSync(run.project).filter((f) => f.startsWith("nix-runner-action-"))).toEqual([]);
  });

  it("a bad variable fails the job in before_script, naming the variable; the script does not run", async () => {
    const run = await runGitlabJob({
      ciYml: ciYml(["echo script ran"]),
      jobs: ["build"],
      variables: { NIX_RUNNER_MODE: "imgae", NIX_RUNNER_PUSH_TO: "file:///nonexistent/cache" },
      env: runnerEnv(),
    });
    cleanup.push(run.pgid);
    expect(run.code).not.toBe(0);
    expect(run.log).toContain('build > ERROR: NIX_RUNNER_MODE must be one of auto, image, native, install (got "imgae")');
    expect(run.log).not.toContain("build > script ran");
    // after_script still ran push, which pushes nothing for inputs setup refused
    expect(run.log).toMatch(/push skipped: the inputs are invalid \(the main step reported this\): NIX_RUNNER_MODE must be one of/);
    expect(run.log).not.toMatch(/^\S+ > ::/m);
  });

  it("the pusher killed when script ends (as GitLab's docker executor does): push sends what it had not, and skips what it had", async () => {
    const cache = tempDir("nra-gitlab-cache-");
    const s = salt();
    const run = await runWatched({
      ciYml: ciYml([
        JOB_DIR,
        build("first", s),
        // the pusher has sent the first build; then it is frozen, the second is built, and it is killed
        'for i in $(seq 1 300); do grep -q "sent [0-9]* path" "$D/pusher.log" 2>/dev/null && break; sleep 0.1; done',
        'kill -STOP "$(cat "$D/pusher.pid")"',
        build("second", s),
        'kill -KILL "$(cat "$D/pusher.pid")"',
      ]),
      jobs: ["build"],
      files: { "salted.nix": salted },
      variables: { NIX_RUNNER_PUSH_TO: `file://${cache}`, NIX_RUNNER_SIGNING_KEY: key.secret, NIX_RUNNER_TRUSTED_PUBLIC_KEYS: key.pub },
      env: runnerEnv(),
    });
    cleanup.push(run.pgid);
    expect(run.code, run.log).toBe(0);
    const [first, second] = [builtPath(run.log, "first"), builtPath(run.log, "second")];
    expect(run.log).toContain("push: the background pusher was not running any more when post started; post pushes what it did not send");
    expect(run.log).toMatch(/push: the background pusher uploaded \d+ path\(s\) .*; [1-3] of 4 selected path\(s\) left for post/);
    expect(cachedPaths(cache, [first, second])).toEqual([first, second]);
    expect(verifySigned(cache, [first, second])).toMatchObject({ code: 0 });
    expect(run.exposures).toEqual([]);
    expect(leftInGroup(run.pgid)).toEqual([]);
  });

  it("a cancel, SIGTERM to the job's process group as GitLab sends it, stops the pusher with the job", async () => {
    const cache = tempDir("nra-gitlab-cache-");
    const s = salt();
    let pgid = 0;
    let signalled = false;
    const cancel = (async () => {
      // bounded: 60 s; the job waits in `sleep` once its build is done and the pusher runs
      for (let i = 0; i < 600 && !signalled; i++) {
        const group = pgid ? processes().filter((p) => p.pgid === pgid) : [];
        if (group.some((p) => p.cmd.includes("/dist/pusher/index.js")) && group.some((p) => p.cmd.trim() === "sleep 90")) {
          process.kill(-pgid, "SIGTERM");
          signalled = true;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const run = await runGitlabJob({
      ciYml: ciYml([JOB_DIR, build("cancel", s), 'echo "job folder: $D"', "sleep 90"]),
      jobs: ["build"],
      files: { "salted.nix": salted },
      variables: { NIX_RUNNER_PUSH_TO: `file://${cache}`, NIX_RUNNER_SIGNING_KEY: key.secret, NIX_RUNNER_TRUSTED_PUBLIC_KEYS: key.pub },
      env: runnerEnv(),
      onStart: (g) => (pgid = g),
    });
    cleanup.push(run.pgid);
    await cancel;
    expect(signalled, run.log).toBe(true);
    // the pusher's SIGTERM handler stops its uploads, writes its status and exits: bounded wait for that
    for (let i = 0; i < 100 && leftInGroup(run.pgid).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(leftInGroup(run.pgid)).toEqual([]);
    const dir = run.log.match(/^build > job folder: (\S+)$/m)?.[1] ?? "";
    const status = JSON.parse(readFileSync(path.join(dir, "pusher-status.json"), "utf8")) as { state: string };
    expect(status.state).toBe("stopped by SIGTERM");
  });

  it("a key given as a File variable: pushed signed all the same, with a warning that says why not to", async () => {
    const cache = tempDir("nra-gitlab-cache-");
    const s = salt();
    const run = await runGitlabJob({
      ciYml: ciYml([build("file", s)]),
      jobs: ["build"],
      files: { "salted.nix": salted },
      variables: { NIX_RUNNER_PUSH_TO: `file://${cache}`, NIX_RUNNER_SIGNING_KEY: { file: key.secret }, NIX_RUNNER_TRUSTED_PUBLIC_KEYS: key.pub },
      env: runnerEnv(),
    });
    cleanup.push(run.pgid);
    expect(run.code, run.log).toBe(0);
    expect(run.log).toMatch(/WARNING: NIX_RUNNER_SIGNING_KEY is a File-type variable: GitLab wrote the signing key to \/\S+, readable by every process of the job/);
    const out = builtPath(run.log, "file");
    expect(verifySigned(cache, [out])).toMatchObject({ code: 0 });
    expect(run.log).not.toContain(b64);
    expect(leftInGroup(run.pgid)).toEqual([]);
  });
});

/** The project's component files (templates/), committed into a project whose origin is nra/project. */
function componentFiles(): Record<string, string> {
  return { [COMPONENT_FILE]: readFileSync(path.join(ROOT, COMPONENT_FILE), "utf8") };
}
const LOCAL_COMPONENT = (sha: string) => `$CI_SERVER_FQDN/nra/project/${COMPONENT}@${sha}`;

type PreviewJob = { variables?: Record<string, string>; before_script?: string[]; after_script?: string[]; script?: string[]; image?: string; artifacts?: unknown };

describe("the CI/CD component, expanded by gitlab-ci-local --preview (a component of the project itself, at HEAD's commit SHA)", () => {
  it("the inputs given become the CLI's variables, the others action.yml's defaults; setup and push run with the cli input", async () => {
    const r = await previewGitlabCi(componentFiles(), (sha) =>
      [
        "include:",
        `  - component: ${LOCAL_COMPONENT(sha)}`,
        "    inputs:",
        "      push-to: file:///srv/nix-cache",
        "      substituters: |",
        "        https://a.example.org",
        "        https://b.example.org",
        "      cli: node /opt/nix-runner-action/dist/cli/index.js",
        "build:",
        `  extends: ${HIDDEN_JOB}`,
        "  script: [nix build]",
        "",
      ].join("\n"),
    );
    expect(r.code, r.log).toBe(0);
    const build = (parse(r.yaml) as Record<string, PreviewJob>).build;
    expect(build.variables).toMatchObject({
      NIX_RUNNER_PUSH_TO: "file:///srv/nix-cache",
      NIX_RUNNER_SUBSTITUTERS: "https://a.example.org\nhttps://b.example.org\n",
      NIX_RUNNER_MODE: "auto",
      NIX_RUNNER_PUSH_DURING_BUILD: "true",
      NIX_RUNNER_NIX_VERSION: "",
    });
    expect(Object.keys(build.variables ?? {}).filter((k) => /SIGNING_KEY|NETRC|ACCESS_TOKENS/.test(k))).toEqual([]);
    expect(build.before_script).toEqual(['NIX_RUNNER_SETUP=$(node /opt/nix-runner-action/dist/cli/index.js setup); eval "$NIX_RUNNER_SETUP"']);
    expect(build.after_script).toEqual(["node /opt/nix-runner-action/dist/cli/index.js push"]);
    expect(build.script).toEqual(["nix build"]);
    expect(build.artifacts).toEqual({ reports: { dotenv: "nix-runner.env" } });
  });

  it.each(readdirSync(path.join(ROOT, "workflows-templates/gitlab")).filter((f) => f.endsWith(".gitlab-ci.yml")))(
    "workflows-templates/gitlab/%s expands, its jobs running setup and push",
    async (file) => {
      const text = readFileSync(path.join(ROOT, "workflows-templates/gitlab", file), "utf8");
      const r = await previewGitlabCi(componentFiles(), (sha) => text.replace(/component: \S+/, `component: ${LOCAL_COMPONENT(sha)}`));
      expect(r.code, r.log).toBe(0);
      const jobs = Object.entries(parse(r.yaml) as Record<string, PreviewJob>).filter(([, j]) => j && typeof j === "object" && "script" in j);
      expect(jobs.length).toBeGreaterThan(0);
      for (const [, j] of jobs) {
        expect(j.before_script?.[0]).toMatch(/^NIX_RUNNER_SETUP=\$\(npx --yes nix-runner-action@1 setup\); eval "\$NIX_RUNNER_SETUP"$/);
        expect(j.after_script).toEqual(["npx --yes nix-runner-action@1 push"]);
      }
    },
  );
});

/** An image made by scripts/containers/build-images.mjs, made when missing. */
function ensureImage(tag: string, which: string): void {
  const exists = () => spawnSync("bash", [path.join(ROOT, "scripts/containers/podman.sh"), "image", "exists", tag]).status === 0;
  if (exists()) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/containers/build-images.mjs"), which], { encoding: "utf8", timeout: 1_800_000 });
  if (r.status !== 0 || !exists()) throw new Error(`build-images.mjs ${which} did not make ${tag}: ${r.stderr}`);
}

/**
 * The processes of a docker-mode job's container that must not hold the key, seen from the host every
 * 100 ms: those in the PID namespace of a process running the CLI from its mount, but for the job's
 * shells (the container's environment has the job's variables, as GitLab gives them) and the CLI
 * itself. gitlab-ci-local hands the variables to the container CLI on its command line, which
 * GitLab's runner, using the Docker API, does not: those podman processes are outside the container
 * and not the action's.
 */
function watchContainer(mount: string): { stop: () => Promise<{ exposures: string[]; pushers: number }> } {
  const nsOf = (pid: number) => {
    try {
      return readlinkSync(`/proc/${pid}/ns/pid`);
    } catch {
      return undefined;
    }
  };
  let on = true;
  const exposures = new Set<string>();
  const pushers = new Set<number>();
  const allowed = (p: Proc) => p.cmd.includes("/dist/cli/index.js") || (/^(\/\S*\/)?(ba)?sh( |$)/.test(p.cmd) && !p.cmd.startsWith("sh -c cat <&3"));
  const loop = (async () => {
    for (let i = 0; on && i < 6000; i++) {
      const all = processes();
      const spaces = new Set(all.filter((p) => p.cmd.includes(mount)).map((p) => nsOf(p.pid)));
      const inside = all.filter((p) => spaces.has(nsOf(p.pid)));
      for (const p of inside) if (p.cmd.includes("/dist/pusher/index.js") && !inside.some((q) => q.pid === p.ppid && q.cmd === p.cmd)) pushers.add(p.pid);
      for (const e of keyExposure(b64, inside.filter((p) => !allowed(p)), [])) exposures.add(e);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      on = false;
      await loop;
      return { exposures: [...exposures], pushers: pushers.size };
    },
  };
}

describe("GitLab docker executor (gitlab-ci-local --container-executable podman): the images of scripts/containers/build-images.mjs", () => {
  const nixFull = spawnSync("nix", ["--version"], { encoding: "utf8" }).stdout.match(/(\d+\.\d+\.\d+)/)![1];
  const HELPER = "localhost/nra-debian:bookworm";
  const CLI = "node /opt/nix-runner-action/node_modules/nix-runner-action/dist/cli/index.js";
  const dockerCi = (image: string, script: string[]) => {
    const lines = (l: string[]) => l.map((x) => `    - ${JSON.stringify(x)}`).join("\n");
    return `build:\n  image: ${image}\n  before_script:\n${lines([`NIX_RUNNER_SETUP=$(${CLI} setup); eval "$NIX_RUNNER_SETUP"`])}\n  script:\n${lines(script)}\n  after_script:\n${lines([`${CLI} push`])}\n`;
  };
  const daemonsDir = tempDir("nra-gitlab-daemon-");

  beforeAll(() => {
    ensureImage(HELPER, "debian");
    ensureImage(`localhost/nra-nix-job:${nixFull}`, "nix");
    // always: its store paths are built into this machine's store, where another run may have made
    // the image on a store of its own
    const shared = spawnSync(process.execPath, [path.join(ROOT, "scripts/containers/build-images.mjs"), "shared"], { encoding: "utf8", timeout: 1_800_000 });
    if (shared.status !== 0) throw new Error(`build-images.mjs shared: ${shared.stderr}`);
  }, 1_900_000);
  afterAll(() => {
    for (const which of ["trusted", "untrusted"]) spawnSync(process.execPath, [path.join(ROOT, "scripts/containers/host-daemon.mjs"), "stop", path.join(daemonsDir, which)]);
  });

  it(
    "the Nix job image: the pusher dies with script, as on GitLab's docker executor, and push in after_script (the same container) sends the rest, signed",
    async () => {
      const cache = tempDir("nra-gitlab-cache-");
      const s = salt();
      const watch = watchContainer("/opt/nix-runner-action/");
      const run = await runGitlabJob({
        mode: "docker",
        ciYml: dockerCi(`localhost/nra-nix-job:${nixFull}`, [
          'echo "outputs: environment=$NIX_RUNNER_OUTPUT_ENVIRONMENT container=$NIX_RUNNER_OUTPUT_CONTAINER"',
          build("docker", s),
          'echo "key variable: ${NIX_RUNNER_SIGNING_KEY-unset}"',
        ]),
        jobs: ["build"],
        files: { "salted.nix": salted },
        variables: { NIX_RUNNER_PUSH_TO: "file:///cache", NIX_RUNNER_SIGNING_KEY: key.secret, NIX_RUNNER_TRUSTED_PUBLIC_KEYS: key.pub },
        docker: { helperImage: HELPER,
          network: "none", volumes: [`${prefix}:/opt/nix-runner-action:ro`, `${cache}:/cache`] },
        timeoutMs: 600_000,
      });
      const seen = await watch.stop();
      cleanup.push(run.pgid);
      expect(run.code, run.log).toBe(0);
      expect(run.log).toContain("build > outputs: environment=image container=true");
      expect(run.log).toContain("build > key variable: unset");
      expect(run.log).toMatch(/push: background pusher started \(pid \d+/);
      // the container's processes ended with script: push found the pusher gone and sent what it had not
      expect(run.log).toContain("push: the background pusher was not running any more when post started; post pushes what it did not send");
      const out = builtPath(run.log, "docker");
      expect(cachedPaths(cache, [out])).toEqual([out]);
      expect(verifySigned(cache, [out])).toMatchObject({ code: 0 });
      expect(seen.pushers).toBe(1);
      expect(seen.exposures).toEqual([]);
      expect(run.log).not.toContain(b64);
      expect(filesUnder(run.project).filter((f) => readFileSync(f).includes(b64))).toEqual([]);
    },
    660_000,
  );

  it.each([
    ["trusts", "trusted", "trusted-users = root"],
    ["does not trust", "untrusted", "trusted-users = nobody"],
  ])(
    "the shared-store image on a host daemon that %s the job (store and database read-only, the daemon's socket): native, the diff method, pushed signed",
    async (_verb, which, conf) => {
      const daemonDir = path.join(daemonsDir, which);
      const started = spawnSync(process.execPath, [path.join(ROOT, "scripts/containers/host-daemon.mjs"), "start", daemonDir, conf], { encoding: "utf8" });
      expect(started.status, started.stderr).toBe(0);
      const cache = tempDir("nra-gitlab-cache-");
      const s = salt();
      const run = await runGitlabJob({
        mode: "docker",
        ciYml: dockerCi(`localhost/nra-nix-job-shared:${nixFull}`, ['echo "outputs: environment=$NIX_RUNNER_OUTPUT_ENVIRONMENT"', build(`shared-${which}`, s)]),
        jobs: ["build"],
        files: { "salted.nix": salted },
        variables: { NIX_RUNNER_PUSH_TO: "file:///cache", NIX_RUNNER_SIGNING_KEY: key.secret, NIX_RUNNER_TRUSTED_PUBLIC_KEYS: key.pub },
        docker: {
          helperImage: HELPER,
          network: "none",
          volumes: [
            `${prefix}:/opt/nix-runner-action:ro`,
            `${cache}:/cache`,
            "/nix/store:/nix/store:ro",
            "/nix/var/nix/db:/nix/var/nix/db:ro",
            `${daemonDir}/socket:/nix/var/nix/daemon-socket`,
          ],
        },
        timeoutMs: 600_000,
      });
      cleanup.push(run.pgid);
      expect(run.code, run.log).toBe(0);
      expect(run.log).toContain("build > outputs: environment=native");
      expect(run.log).toMatch(/push: paths will be found by the diff method/);
      const out = builtPath(run.log, `shared-${which}`);
      expect(cachedPaths(cache, [out])).toEqual([out]);
      expect(verifySigned(cache, [out])).toMatchObject({ code: 0 });
      expect(run.log).not.toContain(b64);
    },
    660_000,
  );

  const determinate = path.join(ROOT, ".tools/determinate/nix-installer");
  const tarball = path.join(ROOT, ".tools/determinate/nix-2.34.8-x86_64-linux.tar.xz");
  // never a skip: scripts/test.sh runs this after the e2e, which builds the installer
  it(
    "plain Debian without Nix: setup installs it (DeterminateSystems' installer, built by scripts/determinate/build.mjs), push in after_script finds it again",
    async () => {
      if (!existsSync(determinate) || !existsSync(tarball)) {
        throw new Error("no DeterminateSystems installer in .tools/determinate: node scripts/determinate/build.mjs .tools/determinate (the e2e's debian rows build it too)");
      }
      const cache = tempDir("nra-gitlab-cache-");
      const s = salt();
      const sha = spawnSync("sha256sum", [determinate], { encoding: "utf8" }).stdout.split(" ")[0];
      const run = await runGitlabJob({
        mode: "docker",
        ciYml: dockerCi(HELPER, ['echo "outputs: environment=$NIX_RUNNER_OUTPUT_ENVIRONMENT installed=$NIX_RUNNER_OUTPUT_INSTALLED"', build("debian", s)]),
        jobs: ["build"],
        files: { "salted.nix": salted },
        variables: {
          NIX_RUNNER_PUSH_TO: "file:///cache",
          NIX_RUNNER_SIGNING_KEY: key.secret,
          NIX_RUNNER_TRUSTED_PUBLIC_KEYS: key.pub,
          NIX_RUNNER_INSTALLER: "determinate",
          NIX_RUNNER_INSTALLER_URL: "file:///opt/nix-installer",
          NIX_RUNNER_INSTALLER_SHA256: sha,
          NIX_RUNNER_INIT: "none",
          // the installer downloads Nix itself: here from the tarball mounted beside it
          NIX_INSTALLER_NIX_PACKAGE_URL: "file:///opt/nix.tar.xz",
          NIX_CONFIG: "sandbox = false\nsubstituters =",
        },
        docker: {
          helperImage: HELPER,
          network: "none",
          volumes: [`${prefix}:/opt/nix-runner-action:ro`, `${cache}:/cache`, `${determinate}:/opt/nix-installer:ro`, `${tarball}:/opt/nix.tar.xz:ro`],
        },
        timeoutMs: 900_000,
      });
      cleanup.push(run.pgid);
      expect(run.code, run.log).toBe(0);
      expect(run.log).toContain("build > outputs: environment=installed installed=true");
      const out = builtPath(run.log, "debian");
      expect(cachedPaths(cache, [out])).toEqual([out]);
      expect(verifySigned(cache, [out])).toMatchObject({ code: 0 });
      expect(run.log).not.toContain(b64);
    },
    960_000,
  );
});
