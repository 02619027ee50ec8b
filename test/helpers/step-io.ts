import { readFileSync } from "node:fs";
import { type Job, parseEnvFile, type StepResult, stepEnv } from "../../scripts/lib/runner.mjs";

/*
 * The step-io fixture: a step's run function from src/steps/, called in this process the way
 * runStep (scripts/lib/runner.mjs) runs its bundle, so a unit test exercises the sources and a
 * changed message fails it without a rebuild (as actions/typescript-action's core fixture does for
 * @actions/core). For the call, process.env is exactly the step's environment (INPUT_*, the job's
 * GITHUB_* files, STATE_* for post, what earlier steps exported), the working directory is the
 * workspace, and stdout/stderr are captured; afterwards environment, directory, exit code, stream
 * writers and the signal handlers the step set are restored. The result has runStep's shape.
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
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

function replaceEnv(next: Record<string, string>): void {
  for (const k of Object.keys(process.env)) if (!(k in next)) delete process.env[k];
  Object.assign(process.env, next);
}

/** Runs step `which` from src/ in this process, as runStep runs its bundle; returns what the step wrote. */
export async function runInProcess(job: Job, which: StepName, inputs: Record<string, string> = {}, extraEnv: NodeJS.ProcessEnv = {}): Promise<StepResult> {
  if (job.uid !== undefined || job.wrap) throw new Error("runInProcess: a step as another user or under a wrapper needs runStep (a process of its own)");
  const run = await stepFunction(which);
  const outputBefore = read(job.files.output);
  const saved = { env: { ...process.env }, cwd: process.cwd(), exitCode: process.exitCode, out: process.stdout.write, err: process.stderr.write };
  const handlers = Object.fromEntries(SIGNALS.map((s) => [s, process.listeners(s)]));
  // vitest's own variables stay: its worker reads them while the step awaits
  const own = Object.fromEntries(Object.entries(saved.env).filter((e): e is [string, string] => e[0].startsWith("VITEST") && e[1] !== undefined));
  let raw = "";
  const capture = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    raw += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;

  replaceEnv({ ...own, ...stepEnv(job, which, inputs, extraEnv) });
  process.chdir(job.env.GITHUB_WORKSPACE ?? job.temp);
  process.exitCode = undefined;
  process.stdout.write = capture;
  process.stderr.write = capture;
  const started = process.hrtime.bigint();
  let code: number;
  try {
    await run();
    code = Number(process.exitCode ?? 0);
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = saved.exitCode;
    process.chdir(saved.cwd);
    replaceEnv(Object.fromEntries(Object.entries(saved.env).filter((e): e is [string, string] => e[1] !== undefined)));
    for (const s of SIGNALS) for (const l of process.listeners(s)) if (!handlers[s].includes(l)) process.removeListener(s, l);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
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
