import { appendFileSync } from "node:fs";
import os, { EOL } from "node:os";
import path from "node:path";

/*
 * The step's side of the runner protocol: inputs, outputs, env, PATH, state and log lines. Every step
 * speaks through the functions below, which hand each call to the flavour in use: the Actions
 * runners' by default, GitLab's when the CLI runs (src/gitlab-io.ts, chosen once by its entry with
 * `useFlavour`). A flavour is one object, so no step asks which CI it runs under.
 *
 * The Actions flavour writes what @actions/core writes (file commands with a random heredoc
 * delimiter, `::command::` lines with the same escaping). Main and post use it rather than
 * @actions/core because importing @actions/core loads undici for its OIDC client: about 50 ms of a
 * main step that should cost little more than one `nix` run. test/step-io.test.ts checks that
 * @actions/core reads back what this writes and that both produce the same files and log lines; the
 * push's job summary (`summaryHtml`) is checked against @actions/core's summary too.
 */

/** A table for the job summary: rows of cells, the first row usually headers. */
export type SummaryRows = { data: string; header?: boolean }[][];

/** Everything a step says to, or asks of, the CI system that runs it. */
export interface StepIo {
  /** The input's value, trimmed; "" when unset. */
  getInput(name: string): string;
  /** How messages name input `name` to the user (the action: the input; GitLab: its variable). */
  inputName(name: string): string;
  /** How messages name a step to the user (the action: "the main step", "post"; GitLab's CLI: "nix-runner-action setup", "… push"). */
  stepName(step: "main" | "post"): string;
  setOutput(name: string, value: string): void;
  /** For later steps, and for this process and its children. */
  exportVariable(name: string, value: string): void;
  /** Puts `dir` first on PATH, for later steps and for this process. */
  addPath(dir: string): void;
  /** For the post step of this same action. */
  saveState(name: string, value: string): void;
  getState(name: string): string;
  /** Asks the CI system to hide `secret` wherever it would appear in the log. */
  setSecret(secret: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** A command's own output, logged as it comes (no newline added). */
  raw(text: string): void;
  startGroup(name: string): void;
  endGroup(): void;
  /** Appends Markdown to the job summary; false when there is nowhere to write it. */
  appendSummary(markdown: string): boolean;
  /** Appends a titled table to the job summary, in the form the CI system shows. */
  appendSummaryTable(title: string, rows: SummaryRows): boolean;
  /** The folder for this job's files (src/job-dir.ts names what is in it). */
  jobDir(env: NodeJS.ProcessEnv): string;
}

type FileCommand = "OUTPUT" | "ENV" | "STATE" | "PATH";

const escapeData = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** A `::name key=value::message` line on stdout, the runner's log-command syntax. */
function command(name: string, message: string, props: Record<string, string> = {}): void {
  const list = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(",");
  process.stdout.write(`::${name}${list ? " " + list : ""}::${escapeData(message)}${EOL}`);
}

/** Appends to the runner's GITHUB_<kind> file; false when the runner gave none (very old runners). */
function fileCommand(kind: FileCommand, text: string): boolean {
  const file = process.env[`GITHUB_${kind}`];
  if (!file) return false;
  appendFileSync(file, text + EOL, "utf8");
  return true;
}

/**
 * `name<<delimiter` / value / `delimiter`: the multi-line form every runner parses. What keeps a value
 * from ending the block early and adding lines of its own is that the delimiter is not in it, which
 * is checked, so the random part need not come from node:crypto (whose loading costs more than the
 * rest of this module's work in a main step).
 */
function keyValue(name: string, value: string): string {
  let delimiter: string;
  do {
    delimiter = `ghadelimiter_${randomHex(32)}`;
  } while (name.includes(delimiter) || value.includes(delimiter));
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`;
}

function randomHex(digits: number): string {
  let out = "";
  while (out.length < digits) out += Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, "0");
  return out.slice(0, digits);
}

/**
 * The summary's block, byte for byte as @actions/core's `summary.addHeading(title, 3).addTable(rows)`
 * writes it (checked against it in the unit tests), without loading that library and the undici it
 * brings (tens of ms of the post step).
 */
export function summaryHtml(title: string, rows: SummaryRows): string {
  const wrap = (tag: string, content: string) => (content ? `<${tag}>${content}</${tag}>` : `<${tag}>`);
  const table = wrap("table", rows.map((r) => wrap("tr", r.map((c) => wrap(c.header ? "th" : "td", c.data)).join(""))).join(""));
  return `${wrap("h3", title)}${EOL}${table}${EOL}`;
}

/** The runners that speak the Actions protocol: GitHub's, act, Gitea's and Forgejo's. */
export const actionsIo: StepIo = {
  /** INPUT_<NAME>, spaces as underscores, as the runner passes it. */
  getInput: (name) => (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim(),
  inputName: (name) => name,
  stepName: (step) => (step === "main" ? "the main step" : "post"),
  setOutput(name, value) {
    if (fileCommand("OUTPUT", keyValue(name, value))) return;
    process.stdout.write(EOL);
    command("set-output", value, { name });
  },
  exportVariable(name, value) {
    process.env[name] = value;
    if (!fileCommand("ENV", keyValue(name, value))) command("set-env", value, { name });
  },
  addPath(dir) {
    if (!fileCommand("PATH", dir)) command("add-path", dir);
    process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
  },
  saveState(name, value) {
    if (!fileCommand("STATE", keyValue(name, value))) command("save-state", value, { name });
  },
  getState: (name) => process.env[`STATE_${name}`] ?? "",
  setSecret: (secret) => command("add-mask", secret),
  info: (message) => void process.stdout.write(message + EOL),
  warning: (message) => command("warning", message),
  error: (message) => command("error", message),
  raw: (text) => void process.stdout.write(text),
  startGroup: (name) => command("group", name),
  endGroup: () => command("endgroup", ""),
  appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) return false;
    appendFileSync(file, markdown.endsWith(EOL) ? markdown : markdown + EOL, "utf8");
    return true;
  },
  appendSummaryTable(title, rows) {
    return this.appendSummary(summaryHtml(title, rows));
  },
  /** In the runner's temp dir, which the runner empties after the job. */
  jobDir: (env) => path.join(env.RUNNER_TEMP || os.tmpdir(), "nix-runner-action"),
};

let flavour: StepIo = actionsIo;

/** Makes `next` the flavour every step speaks through; returns the one it replaces. */
export function useFlavour(next: StepIo): StepIo {
  const before = flavour;
  flavour = next;
  return before;
}

export const getInput = (name: string): string => flavour.getInput(name);
export const inputName = (name: string): string => flavour.inputName(name);
export const stepName = (step: "main" | "post"): string => flavour.stepName(step);
export const setOutput = (name: string, value: string): void => flavour.setOutput(name, value);
export const exportVariable = (name: string, value: string): void => flavour.exportVariable(name, value);
export const addPath = (dir: string): void => flavour.addPath(dir);
export const saveState = (name: string, value: string): void => flavour.saveState(name, value);
export const getState = (name: string): string => flavour.getState(name);
export const setSecret = (secret: string): void => flavour.setSecret(secret);
export const info = (message: string): void => flavour.info(message);
export const warning = (message: string): void => flavour.warning(message);
export const error = (message: string): void => flavour.error(message);
export const raw = (text: string): void => flavour.raw(text);
export const appendSummary = (markdown: string): boolean => flavour.appendSummary(markdown);
export const jobDir = (env: NodeJS.ProcessEnv): string => flavour.jobDir(env);
export const appendSummaryTable = (title: string, rows: SummaryRows): boolean => flavour.appendSummaryTable(title, rows);

/** Marks the step failed and says why; the process still ends normally. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  flavour.error(message);
}

/** Runs `fn` inside a collapsible log group, closed even when `fn` throws. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  flavour.startGroup(name);
  try {
    return await fn();
  } finally {
    flavour.endGroup();
  }
}
