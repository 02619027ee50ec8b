// Renders the GitLab CI/CD component (templates/nix-runner/template.yml) from action.yml: one spec
// input per input that is not a secret (action.yml says "Masked" of those: GitLab writes component
// inputs into the job's YAML as clear text, so secrets come from masked CI/CD variables instead), each
// passed to the CLI as NIX_RUNNER_<INPUT> (src/gitlab-io.ts, inputVariable), and a hidden job
// `.nix-runner` to `extends:`. `--write` writes the file; without it, prints it.
// test/gitlab/component.test.ts checks that the file is what this renders.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const COMPONENT = "nix-runner";
export const COMPONENT_FILE = `templates/${COMPONENT}/template.yml`;
/** The hidden job a user's job extends. */
export const HIDDEN_JOB = ".nix-runner";
/** The CLI's command when the component's `cli` input is not given. */
export const DEFAULT_CLI = "npx --yes nix-runner-action@1";

/** The variable of input `name` (the CLI's one rule, src/gitlab-io.ts inputVariable). */
export const inputVariable = (name) => `NIX_RUNNER_${name.toUpperCase().replace(/-/g, "_")}`;

/** The inputs whose description says they are masked: never component inputs. */
export function secretInputs(action) {
  return Object.entries(action.inputs ?? {})
    .filter(([, i]) => /\bMasked\b/.test(i.description))
    .map(([n]) => n);
}

const quoted = (s) => JSON.stringify(String(s));

export function renderComponent(actionYml) {
  const action = parse(actionYml);
  const secrets = new Set(secretInputs(action));
  const inputs = Object.entries(action.inputs ?? {}).filter(([n]) => !secrets.has(n));
  const spec = inputs.flatMap(([name, i]) => [`    ${name}:`, `      default: ${quoted(i.default ?? "")}`, `      description: ${quoted(i.description.replace(/\s+/g, " ").trim())}`]);
  const cliDescription =
    "The command that runs the CLI (package.json's bin, nix-runner-action): from your npm registry by default; " +
    "a path such as 'node /opt/nix-runner-action/dist/cli/index.js' for a copy in the job image.";
  return [
    "# GitLab CI/CD component: Nix for the job (setup in before_script), and what it built pushed, signed,",
    "# to your binary cache (push in after_script). Generated from action.yml by scripts/gitlab-component.mjs:",
    "# edit that, then run `node scripts/gitlab-component.mjs --write`.",
    `# Secrets are never inputs: ${[...secrets].map(inputVariable).join(", ")} come from masked CI/CD variables.`,
    "spec:",
    "  inputs:",
    ...spec,
    "    cli:",
    `      default: ${quoted(DEFAULT_CLI)}`,
    `      description: ${quoted(cliDescription)}`,
    "---",
    `${HIDDEN_JOB}:`,
    "  variables:",
    ...inputs.map(([name]) => `    ${inputVariable(name)}: $[[ inputs.${name} ]]`),
    "  before_script:",
    "    # X=$(cmd); eval \"$X\": a failing setup fails the job, which eval \"$(cmd)\" would hide",
    "    - NIX_RUNNER_SETUP=$($[[ inputs.cli ]] setup); eval \"$NIX_RUNNER_SETUP\"",
    "  after_script:",
    "    - $[[ inputs.cli ]] push",
    "  artifacts:",
    "    reports:",
    "      dotenv: nix-runner.env",
    "",
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = renderComponent(readFileSync(path.join(root, "action.yml"), "utf8"));
  if (process.argv.includes("--write")) writeFileSync(path.join(root, COMPONENT_FILE), text);
  else process.stdout.write(text);
}
