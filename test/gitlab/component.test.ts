// The GitLab CI/CD component (templates/nix-runner/template.yml, generated from action.yml by
// scripts/gitlab-component.mjs) and the .gitlab-ci.yml templates that include it
// (workflows-templates/gitlab/). Their expansion by gitlab-ci-local: test/e2e/gitlab-component.e2e.test.ts.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { ROOT } from "../../scripts/lib/runner.mjs";
import { COMPONENT, COMPONENT_FILE, DEFAULT_CLI, HIDDEN_JOB, inputVariable as scriptRule, renderComponent, secretInputs } from "../../scripts/gitlab-component.mjs";
import { inputVariable } from "../../src/gitlab-io.js";
import { INPUT_NAMES, SECRET_INPUTS } from "../../src/inputs.js";
import { parseArgs } from "../../src/steps/cli-step.js";

const actionText = readFileSync(path.join(ROOT, "action.yml"), "utf8");
const action = parse(actionText) as { inputs: Record<string, { description: string; default?: string }> };
const componentText = readFileSync(path.join(ROOT, COMPONENT_FILE), "utf8");
const [header, body] = parseAllDocuments(componentText).map((d) => d.toJS() as Record<string, unknown>);
const spec = (header as { spec: { inputs: Record<string, { default: string; description: string }> } }).spec.inputs;
const job = (body as Record<string, { variables: Record<string, string>; before_script: string[]; after_script: string[]; artifacts: { reports: { dotenv: string } } }>)[HIDDEN_JOB];
const publicInputs = INPUT_NAMES.filter((n) => !(SECRET_INPUTS as readonly string[]).includes(n));

const TEMPLATES = path.join(ROOT, "workflows-templates/gitlab");
const templates = readdirSync(TEMPLATES).filter((f) => f.endsWith(".gitlab-ci.yml"));

describe("the CI/CD component, generated from action.yml", () => {
  it(`${COMPONENT_FILE} is what action.yml renders (run: node scripts/gitlab-component.mjs --write)`, () => {
    expect(componentText).toBe(renderComponent(actionText));
  });

  it("has a spec input for every input but the secrets, with action.yml's defaults and descriptions, and the CLI's command", () => {
    expect(secretInputs(action).sort()).toEqual([...SECRET_INPUTS].sort());
    expect(Object.keys(spec)).toEqual([...publicInputs, "cli"]);
    for (const name of publicInputs) {
      expect(spec[name].default).toBe(action.inputs[name].default ?? "");
      expect(spec[name].description).toBe(action.inputs[name].description.replace(/\s+/g, " ").trim());
    }
    expect(spec.cli.default).toBe(DEFAULT_CLI);
    for (const secret of SECRET_INPUTS) expect(componentText).not.toMatch(new RegExp(`inputs\\.${secret}\\b`));
  });

  it("hands each input to the CLI in the variable the CLI reads, by the same rule", () => {
    for (const name of INPUT_NAMES) expect(scriptRule(name)).toBe(inputVariable(name));
    expect(job.variables).toEqual(Object.fromEntries(publicInputs.map((n) => [inputVariable(n), `$[[ inputs.${n} ]]`])));
  });

  it("runs setup as X=$(…); eval \"$X\" in before_script, push in after_script, and keeps the dotenv as a report", () => {
    expect(job.before_script).toEqual(['NIX_RUNNER_SETUP=$($[[ inputs.cli ]] setup); eval "$NIX_RUNNER_SETUP"']);
    expect(job.after_script).toEqual(["$[[ inputs.cli ]] push"]);
    const defaults = parseArgs(["setup"], "/project");
    expect(typeof defaults === "object" && path.basename(defaults.dotenv)).toBe(job.artifacts.reports.dotenv);
  });

  it("the reason for that form, in bash with GitLab's set -e: X=$(failing); eval fails the job, eval \"$(failing)\" goes on", () => {
    const run = (line: string) => spawnSync("bash", ["-eo", "pipefail", "-c", `${line}\necho went on`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const bad = "printf 'export A=1\\n'; exit 1";
    expect(run(`X=$(${bad}); eval "$X"`)).toMatchObject({ status: 1, stdout: "" });
    expect(run(`eval "$(${bad})"`)).toMatchObject({ status: 0, stdout: "went on\n" });
  });
});

describe("workflows-templates/gitlab: a .gitlab-ci.yml per setup, with the runner settings they need", () => {
  it("has the four setups", () => {
    expect(templates.sort()).toEqual(["host-daemon.gitlab-ci.yml", "install.gitlab-ci.yml", "nix-image.gitlab-ci.yml", "shared-daemon.gitlab-ci.yml"]);
  });

  it.each(templates)("%s includes the component with its inputs only (no secret), and a job extends the hidden job", (file) => {
    const ci = parse(readFileSync(path.join(TEMPLATES, file), "utf8")) as Record<string, unknown>;
    const [inc] = ci.include as { component: string; inputs?: Record<string, string> }[];
    expect(inc.component).toMatch(new RegExp(`^\\$CI_SERVER_FQDN/[^@]+/${COMPONENT}@\\S+$`));
    for (const k of Object.keys(inc.inputs ?? {})) expect(Object.keys(spec)).toContain(k);
    const jobs = Object.entries(ci).filter(([k]) => k !== "include") as [string, { extends?: string; tags?: string[] }][];
    expect(jobs.some(([, j]) => j.extends === HIDDEN_JOB)).toBe(true);
    // a runner tag names the config.toml fragment that sets the runner up
    for (const [, j] of jobs) for (const tag of j.tags ?? []) expect(readdirSync(TEMPLATES)).toContain(`${tag.replace(/^nix-/, "")}.config.toml`);
  });
});

describe("the docs' GitLab examples", () => {
  /** The component inputs a ```yaml block of `doc` passes (the keys under `inputs:`). */
  const inputsIn = (block: string) => {
    const ci = parse(block) as { include?: { inputs?: Record<string, unknown> }[] | { component: string }[] };
    return (Array.isArray(ci.include) ? ci.include : []).flatMap((i) => Object.keys(("inputs" in i && i.inputs) || {}));
  };
  const blocks = (doc: string) => [...readFileSync(path.join(ROOT, doc), "utf8").matchAll(/```yaml\n([^]*?)```/g)].map((m) => m[1]).filter((b) => b.includes("component:"));

  it("README.md and docs/gitlab.md pass only inputs the component has", () => {
    const all = [...blocks("README.md"), ...blocks("docs/gitlab.md")];
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const b of all) for (const k of inputsIn(b)) expect(Object.keys(spec)).toContain(k);
  });

  it("docs/gitlab.md's \"Every input at once\" passes every input of the component", () => {
    const text = readFileSync(path.join(ROOT, "docs/gitlab.md"), "utf8");
    const block = text.slice(text.indexOf("Every input at once")).match(/```yaml\n([^]*?)```/)?.[1] ?? "";
    expect(inputsIn(block).sort()).toEqual(Object.keys(spec).sort());
  });
});
