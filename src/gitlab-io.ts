import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { INPUT_NAMES, SECRET_INPUTS } from "./inputs.js";
import { jobFiles } from "./job-dir.js";
import type { StepIo, SummaryRows } from "./step-io.js";

/*
 * The GitLab flavour of the step's I/O (src/step-io.ts), for the CLI. GitLab has no protocol for a
 * step to talk back to the runner, so:
 * - inputs are CI/CD variables, NIX_RUNNER_<INPUT> (inputVariable), taken out of the environment when
 *   the CLI starts, so that no command it runs inherits them (the signing key least of all);
 * - what later lines of the job need (exported variables, PATH, the outputs) is printed by `setup`
 *   as shell lines the job evaluates (shellLines), with `unset` of the secret variables;
 * - outputs also go to a dotenv file (`artifacts:reports:dotenv`), the push summary to a Markdown file;
 * - setup's state, and what it exported, go to a file in the job's folder for `push`, which runs in
 *   after_script's new shell without the exports;
 * - log lines go to stderr (stdout is setup's shell lines), groups are GitLab's collapsible sections,
 *   and no `::command::` is ever written. GitLab masks masked variables itself; secrets the CLI is
 *   told of besides (setSecret) are replaced in its own lines too.
 */

/** The variable that holds input `name`: NIX_RUNNER_ and the name in capitals, `-` as `_` (push-to → NIX_RUNNER_PUSH_TO). */
export function inputVariable(name: string): string {
  return `NIX_RUNNER_${name.toUpperCase().replace(/-/g, "_")}`;
}

/** The variable that holds output `name` in the dotenv file and in the job's shell: NIX_RUNNER_OUTPUT_<NAME>. */
export function outputVariable(name: string): string {
  return `NIX_RUNNER_OUTPUT_${name.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * GitLab's job folder, named by the job's id: in RUNNER_TEMP_PROJECT_DIR (the runner's temp folder
 * for the project, where it writes File variables too), else in CI_BUILDS_DIR, which every job of the
 * runner shares (gitlab-ci-local sets no RUNNER_TEMP_PROJECT_DIR), else in the system's temp dir. The
 * id keeps two jobs of a project apart where they share the folder. `push` removes it at the end of
 * the job, as an Actions runner empties its temp dir.
 */
export function gitlabJobDir(env: NodeJS.ProcessEnv): string {
  const name = `nix-runner-action-${env.CI_JOB_ID || "job"}`;
  return path.join(env.RUNNER_TEMP_PROJECT_DIR || env.CI_BUILDS_DIR || os.tmpdir(), name);
}

/** Removes every input variable from `env` (the CLI's process.env) and returns them. */
export function takeInputs(env: NodeJS.ProcessEnv): Record<string, string> {
  const taken: Record<string, string> = {};
  for (const name of INPUT_NAMES) {
    const v = inputVariable(name);
    if (env[v] !== undefined) taken[v] = env[v];
    delete env[v];
  }
  return taken;
}

/** Single-quoted for sh and bash: safe for any text, newlines included. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What setup hands push through the job's folder. */
interface CliState {
  state: Record<string, string>;
  env: Record<string, string>;
  path: string[];
}

export interface GitlabIoOptions {
  /** The input variables, as takeInputs took them. */
  inputs: Record<string, string>;
  /** The job's folder (gitlabJobDir). */
  jobDir: string;
  /** Where outputs go as KEY=value lines; undefined: nowhere (push sets none). */
  dotenvFile?: string;
  summaryFile: string;
  /** The log: stderr. */
  write: (text: string) => void;
}

export class GitlabIo implements StepIo {
  private readonly exports = new Map<string, string>();
  private readonly paths: string[] = [];
  private readonly outputs = new Map<string, string>();
  private readonly secrets = new Set<string>();
  private readonly sections: string[] = [];
  private sectionCount = 0;
  private saved: CliState = { state: {}, env: {}, path: [] };
  private warnedFileKey = false;

  constructor(private readonly o: GitlabIoOptions) {}

  getInput(name: string): string {
    const variable = inputVariable(name);
    const value = (this.o.inputs[variable] ?? "").trim();
    if (!(SECRET_INPUTS as readonly string[]).includes(name)) return value;
    return this.fromFileVariable(name, variable, value);
  }

  /**
   * A File-type variable holds the path of a file that GitLab wrote the value to: a secret given so is
   * read from there. The signing key then is on disk, readable by the whole job: said once.
   */
  private fromFileVariable(name: string, variable: string, value: string): string {
    if (!value.startsWith("/") || value.includes("\n")) return value;
    let text: string;
    try {
      if (!statSync(value).isFile()) return value;
      text = readFileSync(value, "utf8").trim();
    } catch {
      return value;
    }
    if (name === "signing-key" && !this.warnedFileKey) {
      this.warnedFileKey = true;
      this.warning(
        `${variable} is a File-type variable: GitLab wrote the signing key to ${value}, readable by every process of the job for as long as it runs, ` +
          `and the key is read from there. Make ${variable} a masked variable of type "Variable" instead (Settings → CI/CD → Variables), ` +
          `so that the key is never on disk: setup hands it to the background pusher through a pipe and unsets it for the job's later lines.`,
      );
    }
    return text;
  }

  inputName(name: string): string {
    return inputVariable(name);
  }

  stepName(step: "main" | "post"): string {
    return step === "main" ? "nix-runner-action setup" : "nix-runner-action push";
  }

  setOutput(name: string, value: string): void {
    this.outputs.set(outputVariable(name), value.replace(/\r?\n/g, " "));
    if (this.o.dotenvFile === undefined) return;
    const lines = [...this.outputs].map(([k, v]) => `${k}=${v}\n`).join("");
    mkdirSync(path.dirname(this.o.dotenvFile), { recursive: true });
    writeFileSync(this.o.dotenvFile, lines);
  }

  exportVariable(name: string, value: string): void {
    if (!NAME.test(name)) throw new Error(`cannot export "${name}": not a shell variable name`);
    process.env[name] = value;
    this.exports.set(name, value);
    this.saved.env[name] = value;
    this.persist();
  }

  addPath(dir: string): void {
    process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
    this.paths.push(dir);
    this.saved.path.push(dir);
    this.persist();
  }

  saveState(name: string, value: string): void {
    this.saved.state[name] = value;
    this.persist();
  }

  getState(name: string): string {
    return this.saved.state[name] ?? "";
  }

  setSecret(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret);
  }

  info(message: string): void {
    this.log(`${message}\n`);
  }

  warning(message: string): void {
    this.log(`WARNING: ${message}\n`);
  }

  error(message: string): void {
    this.log(`ERROR: ${message}\n`);
  }

  raw(text: string): void {
    this.log(text);
  }

  /** GitLab's collapsible log section (its own escape sequence, not an Actions command). */
  startGroup(name: string): void {
    const id = `nix_runner_${++this.sectionCount}_${name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;
    this.sections.push(id);
    this.log(`\x1b[0Ksection_start:${unixNow()}:${id}[collapsed=true]\r\x1b[0K${name}\n`);
  }

  endGroup(): void {
    const id = this.sections.pop();
    // on a line of its own, as GitLab's docs echo it: what follows on the same line is not shown
    if (id) this.log(`\x1b[0Ksection_end:${unixNow()}:${id}\r\x1b[0K\n`);
  }

  appendSummary(markdown: string): boolean {
    mkdirSync(path.dirname(this.o.summaryFile), { recursive: true });
    appendFileSync(this.o.summaryFile, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
    return true;
  }

  appendSummaryTable(title: string, rows: SummaryRows): boolean {
    return this.appendSummary(markdownTable(title, rows));
  }

  jobDir(env: NodeJS.ProcessEnv): string {
    return gitlabJobDir(env);
  }

  /**
   * What `setup` prints for the job to evaluate: an export of each variable it set, PATH with the
   * folders it added, the outputs, and the unset of every secret input's variable, so that no
   * process the job starts later inherits them.
   */
  shellLines(): string {
    const lines = [...this.exports, ...this.outputs].map(([k, v]) => `export ${k}=${shellQuote(v)}`);
    for (const dir of this.paths) lines.push(`export PATH=${shellQuote(dir)}:"$PATH"`);
    lines.push(`unset ${SECRET_INPUTS.map(inputVariable).join(" ")}`);
    return lines.map((l) => `${l}\n`).join("");
  }

  /**
   * For `push`: reads what setup saved, and gives this process the variables and PATH setup exported
   * (after_script's shell has lost them). False when setup saved nothing (it never ran, or failed early).
   */
  loadSaved(): boolean {
    let text: string;
    try {
      text = readFileSync(jobFiles(this.o.jobDir).cliState, "utf8");
    } catch {
      return false;
    }
    try {
      const s = JSON.parse(text) as Partial<CliState>;
      this.saved = { state: s.state ?? {}, env: s.env ?? {}, path: s.path ?? [] };
    } catch {
      return false;
    }
    for (const [k, v] of Object.entries(this.saved.env)) process.env[k] = v;
    for (const dir of this.saved.path) process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
    return true;
  }

  private persist(): void {
    mkdirSync(this.o.jobDir, { recursive: true, mode: 0o700 });
    writeFileSync(jobFiles(this.o.jobDir).cliState, JSON.stringify(this.saved), { mode: 0o600 });
  }

  private log(text: string): void {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join("[MASKED]");
    this.o.write(out);
  }
}

const unixNow = () => Math.floor(Date.now() / 1000);

/** A Markdown heading and table; `|` and line breaks in cells escaped. */
export function markdownTable(title: string, rows: SummaryRows): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const [head, ...body] = rows;
  if (!head) return `### ${title}\n`;
  const line = (r: { data: string }[]) => `| ${r.map((c) => cell(c.data)).join(" | ")} |`;
  return [`### ${title}`, "", line(head), `|${head.map(() => "---").join("|")}|`, ...body.map(line), ""].join("\n");
}
