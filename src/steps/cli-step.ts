import * as io from "../step-io.js";
import { rmSync } from "node:fs";
import path from "node:path";
import { GitlabIo, gitlabJobDir, takeInputs } from "../gitlab-io.js";
import { isTrue } from "../platform.js";
import { withinAfterScript } from "../push/limits.js";
import { reportUnhandledRejections } from "../unhandled.js";
import { runMain } from "./main-step.js";
import { runPost } from "./post-step.js";

export const USAGE = `usage: nix-runner-action setup [--dotenv FILE] [--summary FILE]
       nix-runner-action push [--summary FILE]

In a GitLab CI job: setup in before_script, push in after_script.

  before_script:
    - NIX_RUNNER_SETUP=$(nix-runner-action setup); eval "$NIX_RUNNER_SETUP"
  after_script:
    - nix-runner-action push

setup detects, installs and configures Nix for the job, as the action's main step does, and prints
shell lines for the job to evaluate (the variables and PATH it sets, its outputs, and the unset of
the secret variables); its log goes to stderr. In X=$(...); eval "$X" a failing setup fails the job,
which eval "$(...)" would hide. push sends what the job built, as the action's post step does.

Inputs are CI/CD variables: NIX_RUNNER_ and the action's input name in capitals, - as _
(push-to: NIX_RUNNER_PUSH_TO). Secrets (NIX_RUNNER_SIGNING_KEY, NIX_RUNNER_ACCESS_TOKENS,
NIX_RUNNER_NETRC) belong in masked CI/CD variables.

  --dotenv FILE   setup's outputs as NIX_RUNNER_OUTPUT_<NAME>=value lines, for artifacts:reports:dotenv
                  (default: nix-runner.env in CI_PROJECT_DIR)
  --summary FILE  push's summary, in Markdown (default: nix-runner-summary.md in CI_PROJECT_DIR)
`;

export interface CliArgs {
  command: "setup" | "push" | "help";
  dotenv: string;
  summary: string;
}

/** The command line, with the files' defaults in `projectDir`; a string is what is wrong with it. */
export function parseArgs(argv: string[], projectDir: string): CliArgs | string {
  const [command, ...rest] = argv;
  if (command === "help" || command === "--help" || command === "-h") return { command: "help", dotenv: "", summary: "" };
  if (command !== "setup" && command !== "push") return command === undefined ? "no command given" : `unknown command "${command}"`;
  const args: CliArgs = { command, dotenv: path.join(projectDir, "nix-runner.env"), summary: path.join(projectDir, "nix-runner-summary.md") };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    const known = flag === "--summary" || (flag === "--dotenv" && command === "setup");
    if (!known) return `${command}: unknown option "${flag}"`;
    if (value === undefined || value === "") return `${command}: ${flag} needs a file name`;
    args[flag === "--dotenv" ? "dotenv" : "summary"] = path.resolve(projectDir, value);
    i++;
  }
  return args;
}

/** The entry's one call: the CLI, with its handler for rejections nobody awaited. */
export async function cliMain(argv: string[]): Promise<void> {
  reportUnhandledRejections(`nix-runner-action ${argv[0] ?? ""}`.trim(), argv[0] === "push" ? "warn" : "fail");
  await runCli(argv);
}

/**
 * The CLI: `setup` or `push` for a GitLab job. It makes the GitLab flavour the step's I/O for the
 * rest of the process (a test that runs it in process puts the previous one back).
 */
export async function runCli(argv: string[]): Promise<void> {
  const projectDir = process.env.CI_PROJECT_DIR || process.cwd();
  const args = parseArgs(argv, projectDir);
  if (typeof args === "string") {
    process.stderr.write(`nix-runner-action: ${args}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.command === "help") {
    process.stdout.write(USAGE);
    return;
  }
  const gitlab = new GitlabIo({
    // out of the environment before anything runs: no command this process starts inherits them
    inputs: takeInputs(process.env),
    jobDir: gitlabJobDir(process.env),
    dotenvFile: args.command === "setup" ? args.dotenv : undefined,
    summaryFile: args.summary,
    write: (text) => void process.stderr.write(text),
  });
  io.useFlavour(gitlab);
  takeForGitlab(process.env);
  if (args.command === "setup") {
    await runMain();
    // the shell lines are the only thing on stdout, printed even after a failure: the unset at least
    process.stdout.write(gitlab.shellLines());
  } else {
    await push(gitlab);
  }
}

/**
 * The CLI runs GitLab jobs. Where GITLAB_CI is not "true" (gitlab-ci-local sets "false"), it says so
 * and goes on as in GitLab: the platform output and the pusher's lifetime follow GITLAB_CI.
 */
function takeForGitlab(env: NodeJS.ProcessEnv): void {
  if (isTrue(env.GITLAB_CI)) return;
  io.info(`GITLAB_CI is ${env.GITLAB_CI === undefined ? "not set" : `"${env.GITLAB_CI}"`}: taken for a GitLab job all the same (GITLAB_CI=true from here on)`);
  env.GITLAB_CI = "true";
}

/**
 * after_script: push with what setup saved (its state, and the variables and PATH it exported), in
 * after_script's time, then remove the job's folder, which no runner empties for us.
 */
async function push(gitlab: GitlabIo): Promise<void> {
  const dir = gitlabJobDir(process.env);
  if (!gitlab.loadSaved()) io.info("push: setup left nothing in this job's folder (it did not run, or ended early)");
  if (process.env.CI_JOB_STATUS) io.info(`push: the job's status is ${process.env.CI_JOB_STATUS}`);
  await runPost((limits) => withinAfterScript(limits, process.env));
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
  } catch (e) {
    io.warning(`push: could not remove the job's folder ${dir}: ${String(e)}`);
  }
}
