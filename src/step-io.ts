import { appendFileSync } from "node:fs";
import { EOL } from "node:os";
import path from "node:path";

/*
 * The step's side of the runner protocol: inputs, outputs, env, PATH, state and log commands, written
 * the way @actions/core writes them (file commands with a random heredoc delimiter, `::command::`
 * lines with the same escaping). Main and post use this rather than @actions/core because importing
 * @actions/core loads undici for its OIDC client: about 50 ms of a main step that should cost little
 * more than one `nix` run. test/step-io.test.ts checks that @actions/core reads back what this writes
 * and that both produce the same files and log lines. The push's job summary is written the way
 * @actions/core's summary writes it (src/push/report.ts, summaryHtml), checked against it too.
 */

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

/** The input as the runner passed it (INPUT_<NAME>, spaces as underscores), trimmed; "" when unset. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

export function setOutput(name: string, value: string): void {
  if (fileCommand("OUTPUT", keyValue(name, value))) return;
  process.stdout.write(EOL);
  command("set-output", value, { name });
}

/** For later steps (the env file) and for this process and its children. */
export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  if (!fileCommand("ENV", keyValue(name, value))) command("set-env", value, { name });
}

/** Puts `dir` first on PATH, for later steps and for this process. */
export function addPath(dir: string): void {
  if (!fileCommand("PATH", dir)) command("add-path", dir);
  process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
}

/** For the post step of this same action (it reads it back as STATE_<name>). */
export function saveState(name: string, value: string): void {
  if (!fileCommand("STATE", keyValue(name, value))) command("save-state", value, { name });
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? "";
}

/** Asks the runner to print *** wherever `secret` would appear in the log. */
export function setSecret(secret: string): void {
  command("add-mask", secret);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function warning(message: string): void {
  command("warning", message);
}

export function error(message: string): void {
  command("error", message);
}

/** Marks the step failed and says why; the process still ends normally. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Appends Markdown to the job summary (GITHUB_STEP_SUMMARY); false when the runner gave no such file. */
export function appendSummary(markdown: string): boolean {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith(EOL) ? markdown : markdown + EOL, "utf8");
  return true;
}

/** Runs `fn` inside a collapsible log group, closed even when `fn` throws. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  command("group", name);
  try {
    return await fn();
  } finally {
    command("endgroup", "");
  }
}
