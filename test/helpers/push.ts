import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type Daemon, narinfos, startDaemon, TEST_NIX_CONFIG, trivialDrv } from "../../scripts/lib/nix.mjs";
import { type Job, removeTempDirs } from "../../scripts/lib/runner.mjs";

/** Runs a command the way a later step of `job` would (its env, its user, its wrapper). Throws on failure. */
export function inStep(job: Job, env: NodeJS.ProcessEnv, cmd: string, args: string[]): string {
  const argv = [...(job.wrap ?? []), cmd, ...args];
  const r = spawnSync(argv[0], argv.slice(1), {
    env,
    ...(job.wrap ? {} : { uid: job.uid, gid: job.gid }),
    cwd: job.temp,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** nix-build of an expression in a later step; returns the output path. */
export function buildInStep(job: Job, env: NodeJS.ProcessEnv, expr: string): string {
  return inStep(job, env, "nix-build", ["--no-out-link", "-E", expr]).trim().split("\n").pop()!;
}

/** Env for test-side nix commands (no job config): the test machine's build settings. */
export function testNixEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, NIX_CONFIG: TEST_NIX_CONFIG, NIX_USER_CONF_FILES: "", ...extra };
}

export function nix(args: string[], env: NodeJS.ProcessEnv = testNixEnv()): { code: number; out: string; err: string } {
  const r = spawnSync("nix", args, { env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? 1, out: r.stdout, err: r.stderr };
}

/** Narinfos in a file cache whose NAR is missing or of the wrong size: a cache that would break consumers. */
export function brokenNarinfos(cacheDir: string): string[] {
  const broken: string[] = [];
  for (const f of narinfos(cacheDir)) {
    const text = readFileSync(path.join(cacheDir, f), "utf8");
    const url = text.match(/^URL: (.+)$/m)?.[1];
    const size = Number(text.match(/^FileSize: (\d+)$/m)?.[1]);
    const nar = url ? path.join(cacheDir, url) : "";
    if (!url || !existsSync(nar) || statSync(nar).size !== size) broken.push(f);
  }
  return broken;
}

export function narinfoCount(cacheDir: string): number {
  return narinfos(cacheDir).length;
}

/** Every regular file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Files under the job's temp dir whose content holds `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  return filesUnder(dir).filter((f) => {
    try {
      return readFileSync(f).includes(needle);
    } catch {
      return false;
    }
  });
}

export const salt = (): string => `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** The job's own Nix settings in push tests: the machine's, and no default substituter (offline). */
export const JOB_NIX_CONFIG = `${TEST_NIX_CONFIG}\nsubstituters =`;

/** Outputs named by the hook queue: out paths as they are, derivations resolved through the store. */
export function queuedOutputs(queueText: string): string[] {
  const words = queueText.split(/\s+/).filter(Boolean);
  const drvs = words.filter((w) => w.endsWith(".drv"));
  const outs = words.filter((w) => !w.endsWith(".drv"));
  if (drvs.length) outs.push(...execFileSync("nix-store", ["--query", "--outputs", ...drvs]).toString().split("\n").filter(Boolean));
  return outs;
}

/**
 * A flake in `dir` whose packages.<system>.hello is trivialDrv(name, salt), for `path:<dir>#hello`.
 * Flakes evaluate purely (no builtins.currentSystem), so the system is spelled out.
 */
export function helloFlake(dir: string, name: string, salt: string): string {
  mkdirSync(dir);
  const system = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`;
  const drv = trivialDrv(name, salt).replace("builtins.currentSystem", `"${system}"`);
  writeFileSync(path.join(dir, "flake.nix"), `{ outputs = { self }: { packages.${system}.hello = ${drv}; }; }\n`);
  return dir;
}

/**
 * A real nix-daemon on a private socket for the tests of the calling describe block (its nix.conf
 * TEST_NIX_CONFIG and `conf`): started before them, stopped after, with the temp folders of the jobs
 * pushed to `jobs` and of tempDir removed.
 */
export function daemonForTests(conf: string): { daemon: () => Daemon; jobs: Job[] } {
  let daemon: Daemon | undefined;
  const jobs: Job[] = [];
  beforeAll(async () => {
    daemon = await startDaemon(conf);
  });
  afterAll(async () => {
    await daemon?.stop();
    for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
    removeTempDirs();
  });
  return {
    daemon: () => {
      if (!daemon) throw new Error("the daemon is started before the tests run");
      return daemon;
    },
    jobs,
  };
}
