import { readFileSync } from "node:fs";
import { type Job, parseEnvFile, type StepResult, stepEnv } from "../../scripts/lib/runner.mjs";
import { actionsIo, useFlavour } from "../../src/step-io.js";

/*
 * The step-io fixture: a step's run function from src/steps/, called in this process the way
 * runStep (scripts/lib/runner.mjs) runs its bundle, so a unit test exercises the sources and a
 * changed message fails it without a rebuild (as actions/typescript-action's core fixture does for
 * @actions/core). For the call, process.env is exactly the step's environment (INPUT_*, the job's
 * GITHUB_* files, STATE_* for post, what earlier steps exported), the working directory is the
 * workspace, and stdout/stderr are captured; afterwards environment, directory, exit code, stream
 * writers, the I/O flavour and the signal handlers the step set are restored. The result has
 * runStep's shape. The GitLab CLI runs the same way (runCliInProcess), with a job's variables.
 */

export type StepName = "main" | "post" | "bump" | "publish-image" | "check-image";

/** The run function each entry (src/<entry>.ts) calls, loaded from src/steps/. */
async function stepFunction(which: StepName): Promise<() => Promise<void>> {
  switch (which) {
    case "main":
      return (await import("../../src/steps/main-step.js")).runMain;
    case "post":
      return (await import("../../src/steps/post-step.js")).runPost;
    case "bump":
      return (await import("../../src/steps/bump-step.js")).runBump;
    case "publish-image":
      return (await import("../../src/steps/publish-step.js")).runPublish;
    case "check-image":
      return (await import("../../src/steps/check-image-step.js")).runCheckImage;
  }
}

const read = (f: string) => readFileSync(f, "utf8");
/** What a step may install handlers for; the fixture removes those it added. */
const EVENTS = ["SIGINT", "SIGTERM", "unhandledRejection"] as const;

function replaceEnv(next: Record<string, string>): void {
  for (const k of Object.keys(process.env)) if (!(k in next)) delete process.env[k];
  Object.assign(process.env, next);
}

/** What a function run in process wrote, and how it ended. */
interface Captured {
  code: number;
  ms: number;
  /** stdout and stderr interleaved as written, and each alone. */
  raw: string;
  stdout: string;
  stderr: string;
}

/**
 * Runs `fn` in this process with exactly `env` as process.env (vitest's own variables kept) and `cwd`
 * as working directory, capturing what it writes; afterwards environment, directory, exit code,
 * stream writers, the step I/O flavour and the signal and rejection handlers it set are restored.
 */
async function inProcess(env: Record<string, string>, cwd: string, fn: () => Promise<void>): Promise<Captured> {
  const saved = { env: { ...process.env }, cwd: process.cwd(), exitCode: process.exitCode, out: process.stdout.write, err: process.stderr.write };
  const handlers = Object.fromEntries(EVENTS.map((s) => [s, process.listeners(s as NodeJS.Signals)]));
  // vitest's own variables stay: its worker reads them while the step awaits
  const own = Object.fromEntries(Object.entries(saved.env).filter((e): e is [string, string] => e[0].startsWith("VITEST") && e[1] !== undefined));
  let raw = "";
  const streams = { stdout: "", stderr: "" };
  const capture = (which: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
      raw += text;
      streams[which] += text;
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;

  replaceEnv({ ...own, ...env });
  process.chdir(cwd);
  process.exitCode = undefined;
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  const started = process.hrtime.bigint();
  let code: number;
  try {
    await fn();
    code = Number(process.exitCode ?? 0);
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = saved.exitCode;
    process.chdir(saved.cwd);
    replaceEnv(Object.fromEntries(Object.entries(saved.env).filter((e): e is [string, string] => e[1] !== undefined)));
    for (const s of EVENTS) for (const l of process.listeners(s as NodeJS.Signals)) if (!handlers[s].includes(l)) process.removeListener(s, l);
    useFlavour(actionsIo);
  }
  return { code, ms: Number(process.hrtime.bigint() - started) / 1e6, raw, ...streams };
}

/** Runs step `which` from src/ in this process, as runStep runs its bundle; returns what the step wrote. */
export async function runInProcess(job: Job, which: StepName, inputs: Record<string, string> = {}, extraEnv: NodeJS.ProcessEnv = {}): Promise<StepResult> {
  if (job.uid !== undefined || job.wrap) throw new Error("runInProcess: a step as another user or under a wrapper needs runStep (a process of its own)");
  const run = await stepFunction(which);
  const outputBefore = read(job.files.output);
  const { code, ms, raw } = await inProcess(stepEnv(job, which, inputs, extraEnv), job.env.GITHUB_WORKSPACE ?? job.temp, run);
  return {
    code,
    ms,
    raw,
    // a runner consumes ::add-mask:: and never logs it
    log: raw
      .split("\n")
      .filter((l) => !l.startsWith("::add-mask::"))
      .join("\n"),
    outputs: parseEnvFile(read(job.files.output).slice(outputBefore.length)),
    exportedEnv: parseEnvFile(read(job.files.env)),
    state: parseEnvFile(read(job.files.state)),
    path: read(job.files.path).split("\n").filter(Boolean),
  };
}

/** What the CLI wrote: stdout (setup's shell lines) and stderr (its log) apart. */
export type CliResult = Captured;

/**
 * Runs the GitLab CLI (src/steps/cli-step.ts's runCli, as src/cli.ts calls it) in this process with
 * `env` as the job's variables, in `cwd` (the project folder, CI_PROJECT_DIR).
 */
export async function runCliInProcess(argv: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  const { runCli } = await import("../../src/steps/cli-step.js");
  return inProcess(env, cwd, () => runCli(argv));
}
