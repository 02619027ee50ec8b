// The GitLab CLI (src/cli.ts → src/steps/cli-step.ts) and its I/O flavour (src/gitlab-io.ts), from the
// sources and in process where a step runs (test/helpers/step-io.ts): the paths that need no Nix.
// Setup and push against real Nix, in real jobs under gitlab-ci-local: the e2e's gitlab-ci-local rows
// (test/e2e/gitlab.ts).
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";
import { GitlabIo, gitlabJobDir, inputVariable, markdownTable, outputVariable, shellQuote, takeInputs } from "../../src/gitlab-io.js";
import { INPUT_NAMES, readInputs, SECRET_INPUTS } from "../../src/inputs.js";
import { nodeTooOld } from "../../src/node-check.js";
import { GITLAB_DEFAULT_TIMEOUT_S, gitlabLifetime, lifetimeFor } from "../../src/push/lifetime.js";
import { DEFAULT_LIMITS, goDurationMs, withinAfterScript } from "../../src/push/limits.js";
import { actionsIo, useFlavour } from "../../src/step-io.js";
import { parseArgs } from "../../src/steps/cli-step.js";
import { runCliInProcess } from "../helpers/step-io.js";

const pair = generateKeyPairSync("ed25519");
const seed = pair.privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
const rawPub = pair.publicKey.export({ format: "der", type: "spki" }).subarray(-32);
const KEY = `gl-cache-1:${Buffer.concat([seed, rawPub]).toString("base64")}`;

const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, { description: string }> };

afterEach(() => void useFlavour(actionsIo));

/** A GitLab job's variables, as GitLab's runner sets them, in a fresh project folder; nix is not on PATH. */
function gitlabJob(vars: Record<string, string> = {}) {
  const root = tempDir("nra-gl-");
  const env: Record<string, string> = {
    PATH: "/nonexistent:/usr/bin:/bin",
    HOME: root,
    GITLAB_CI: "true",
    CI: "true",
    CI_JOB_ID: "4242",
    CI_PROJECT_DIR: path.join(root, "project"),
    CI_BUILDS_DIR: root,
    RUNNER_TEMP_PROJECT_DIR: path.join(root, "project.tmp"),
    CI_JOB_STARTED_AT: "2026-01-02T03:04:05Z",
    CI_JOB_TIMEOUT: "3600",
    ...vars,
  };
  spawnSync("mkdir", ["-p", env.CI_PROJECT_DIR]);
  return { root, env, project: env.CI_PROJECT_DIR, dir: gitlabJobDir(env) };
}

/** Lines that an Actions runner would take for a command, anywhere in the text. */
const actionsCommands = (text: string) => text.split(/\r?\n|\r/).filter((l) => /^::[a-z-]+( |::)/.test(l) || l.includes("::add-mask::"));

describe("inputs as CI/CD variables: one rule, from action.yml", () => {
  it("every input of action.yml is read from NIX_RUNNER_<NAME>, - as _, each a shell variable name of its own", () => {
    expect([...INPUT_NAMES].sort()).toEqual(Object.keys(action.inputs).sort());
    const vars = INPUT_NAMES.map(inputVariable);
    expect(new Set(vars).size).toBe(INPUT_NAMES.length);
    for (const v of vars) expect(v).toMatch(/^NIX_RUNNER_[A-Z0-9_]+$/);
    expect(inputVariable("push-to")).toBe("NIX_RUNNER_PUSH_TO");
    expect(inputVariable("trusted-public-keys")).toBe("NIX_RUNNER_TRUSTED_PUBLIC_KEYS");
    expect(outputVariable("nix-version")).toBe("NIX_RUNNER_OUTPUT_NIX_VERSION");
    // no output's variable is an input's: a later job's setup must not read an output as an input
    expect(vars).not.toContain(outputVariable("nix-version"));
  });

  it("the secret inputs are exactly those action.yml calls Masked", () => {
    const masked = Object.entries(action.inputs).filter(([, i]) => /\bMasked\b/.test(i.description)).map(([n]) => n);
    expect([...SECRET_INPUTS].sort()).toEqual(masked.sort());
  });

  it("readInputs asks for exactly the inputs of INPUT_NAMES", async () => {
    const asked = new Set<string>();
    await readInputs((n) => (asked.add(n), ""), () => undefined);
    expect([...asked].sort()).toEqual([...INPUT_NAMES].sort());
  });

  it("takeInputs moves the input variables out of the environment, and nothing else", () => {
    const env: NodeJS.ProcessEnv = { NIX_RUNNER_SIGNING_KEY: KEY, NIX_RUNNER_PUSH_TO: "file:///c", NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "1,1,0", PATH: "/bin" };
    expect(takeInputs(env)).toEqual({ NIX_RUNNER_SIGNING_KEY: KEY, NIX_RUNNER_PUSH_TO: "file:///c" });
    expect(env).toEqual({ NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "1,1,0", PATH: "/bin" });
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ NIX_RUNNER_MODE: "imgae" }, /^NIX_RUNNER_MODE must be one of auto, image, native, install \(got "imgae"\)$/m],
    [{ NIX_RUNNER_PUSH_TO: "ftp://cache.lan" }, /^NIX_RUNNER_PUSH_TO: "ftp:\/\/cache.lan" uses ftp:\/\/ which is not supported here/m],
    [{ NIX_RUNNER_FAIL_ON_PUSH_ERROR: "yes" }, /^NIX_RUNNER_FAIL_ON_PUSH_ERROR must be true or false \(got "yes"\)$/m],
    [{ NIX_RUNNER_PUSH_TIMEOUT: "5m" }, /^NIX_RUNNER_PUSH_TIMEOUT must be a number of minutes, got "5m"; write e.g. 15 \(the default\) or 2.5$/m],
    [{ NIX_RUNNER_SIGNING_KEY: "k:AAAA" }, /^NIX_RUNNER_SIGNING_KEY: key "k" decodes to 3 bytes/m],
    [{ NIX_RUNNER_EXTRA_CONF: "just words" }, /^NIX_RUNNER_EXTRA_CONF: line 1 \("just words"\) is not a nix.conf line/m],
    [{ NIX_RUNNER_NIX_VERSION: "newest" }, /^NIX_RUNNER_NIX_VERSION: "newest" is not a semver range/m],
    [{ NIX_RUNNER_ACCESS_TOKENS: "ghp_x" }, /^NIX_RUNNER_ACCESS_TOKENS: each entry must be host=token/m],
  ])("%j: the error names the variable", async (vars, message) => {
    useFlavour(new GitlabIo({ inputs: vars, jobDir: "/nonexistent", summaryFile: "/nonexistent/s.md", write: () => undefined }));
    await expect(readInputs()).rejects.toThrow(message);
  });
});

describe("setup with bad variables (in process; no Nix needed)", () => {
  it("fails naming every bad variable, prints only the unset, writes nothing, and no Actions command", async () => {
    const job = gitlabJob({ NIX_RUNNER_MODE: "imgae", NIX_RUNNER_PUSH_TO: "ftp://cache.lan", NIX_RUNNER_SIGNING_KEY: KEY });
    const r = await runCliInProcess(["setup"], job.env, job.project);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("unset NIX_RUNNER_ACCESS_TOKENS NIX_RUNNER_NETRC NIX_RUNNER_SIGNING_KEY\n");
    expect(r.stderr).toMatch(/^ERROR: NIX_RUNNER_MODE must be one of auto, image, native, install \(got "imgae"\)\nNIX_RUNNER_PUSH_TO: "ftp:\/\/cache.lan" uses ftp:\/\//m);
    expect(actionsCommands(r.raw)).toEqual([]);
    expect(r.raw).not.toContain(KEY.split(":")[1]);
    expect(existsSync(job.dir)).toBe(false);
    expect(existsSync(path.join(job.project, "nix-runner.env"))).toBe(false);
  });

  it("an unknown command or option: usage on stderr, exit 2, nothing on stdout", async () => {
    const job = gitlabJob();
    for (const argv of [["stup"], ["setup", "--dotenv"], ["push", "--dotenv", "x.env"], []]) {
      const r = await runCliInProcess(argv, job.env, job.project);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^nix-runner-action: .*\n\nusage: nix-runner-action setup/);
    }
  });
});

describe("setup's shell lines", () => {
  it("evaluated by bash: the exports, PATH and outputs are set, the secret variables unset, in the shell and every process it starts", () => {
    const io = new GitlabIo({ inputs: {}, jobDir: tempDir("nra-gl-dir-"), summaryFile: "/nonexistent/s.md", write: () => undefined });
    const conf = "build-users-group =\n!include /tmp/it's here/nix.conf\nextra-conf = \"$HOME\" `x` \\";
    io.exportVariable("NIX_CONFIG", conf);
    io.exportVariable("NIX_REMOTE", "daemon");
    io.addPath("/opt/nix one/bin");
    io.addPath("/opt/two");
    io.setOutput("nix-version", "2.8.0");
    io.setOutput("nixpkgs-date", "");
    const lines = io.shellLines();
    const script = `set -eu\n${lines}\nprintf '%s\\0' "$NIX_CONFIG" "$PATH" "$NIX_RUNNER_OUTPUT_NIX_VERSION" "\${NIX_RUNNER_SIGNING_KEY-unset}" "\${NIX_RUNNER_NETRC-unset}"\nenv -0`;
    const r = spawnSync("bash", ["-c", script], {
      env: { PATH: "/usr/bin:/bin", NIX_RUNNER_SIGNING_KEY: KEY, NIX_RUNNER_NETRC: "machine x password y", NIX_RUNNER_ACCESS_TOKENS: "a=b" },
      encoding: "utf8",
      // stdin not a socket: bash run with a socket on stdin takes itself for an rsh session and reads bashrc
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(r.status, r.stderr).toBe(0);
    const [nixConfig, pathVar, version, key, netrc, ...env] = r.stdout.split("\0");
    expect(nixConfig).toBe(conf);
    expect(pathVar).toBe("/opt/two:/opt/nix one/bin:/usr/bin:/bin");
    expect(version).toBe("2.8.0");
    expect([key, netrc]).toEqual(["unset", "unset"]);
    // env(1), a process the job starts after setup: no secret variable in its environment
    expect(env.filter((e) => e.startsWith("NIX_RUNNER_"))).toEqual(["NIX_RUNNER_OUTPUT_NIX_VERSION=2.8.0", "NIX_RUNNER_OUTPUT_NIXPKGS_DATE="].sort().reverse());
    expect(env.join("\n")).not.toContain(KEY);
    expect(env).toContain("NIX_REMOTE=daemon");
  });

  it("quotes any text for sh", () => {
    for (const s of ["", "a'b", "'", "$(id)\n`x`", "\\"]) {
      const r = spawnSync("sh", ["-c", `printf '%s' ${shellQuote(s)}`], { encoding: "utf8" });
      expect(r.stdout).toBe(s);
    }
  });
});

describe("outputs, summary, state and log in GitLab's forms", () => {
  it("outputs go to the dotenv file as NIX_RUNNER_OUTPUT_<NAME>=value lines, each once", () => {
    const dir = tempDir("nra-gl-out-");
    const dotenv = path.join(dir, "sub", "nix-runner.env");
    const io = new GitlabIo({ inputs: {}, jobDir: path.join(dir, "job"), dotenvFile: dotenv, summaryFile: path.join(dir, "s.md"), write: () => undefined });
    io.setOutput("environment", "native");
    io.setOutput("nix-version", "2.8.0");
    io.setOutput("environment", "image");
    expect(readFileSync(dotenv, "utf8")).toBe("NIX_RUNNER_OUTPUT_ENVIRONMENT=image\nNIX_RUNNER_OUTPUT_NIX_VERSION=2.8.0\n");
  });

  it("the summary is a Markdown table, appended to what the file has", () => {
    const dir = tempDir("nra-gl-sum-");
    const file = path.join(dir, "nix-runner-summary.md");
    writeFileSync(file, "earlier\n");
    const io = new GitlabIo({ inputs: {}, jobDir: dir, summaryFile: file, write: () => undefined });
    io.appendSummaryTable("Nix binary cache push", [
      [{ data: "cache", header: true }, { data: "result", header: true }],
      [{ data: "file:///c" }, { data: "failed: a | b\nc" }],
    ]);
    expect(readFileSync(file, "utf8")).toBe("earlier\n### Nix binary cache push\n\n| cache | result |\n|---|---|\n| file:///c | failed: a \\| b c |\n");
    expect(markdownTable("t", [])).toBe("### t\n");
  });

  it("state and exports saved by setup come back in push's process, in the job's folder only", () => {
    const dir = path.join(tempDir("nra-gl-state-"), "job");
    const setup = new GitlabIo({ inputs: {}, jobDir: dir, summaryFile: "/nonexistent", write: () => undefined });
    const before = { ...process.env };
    try {
      setup.saveState("push-plan", '{"method":"hook"}');
      setup.exportVariable("NIX_RUNNER_TEST_EXPORT", "x y");
      setup.addPath("/opt/nra-test/bin");
      process.env = { ...before };
      const push = new GitlabIo({ inputs: {}, jobDir: dir, summaryFile: "/nonexistent", write: () => undefined });
      expect(push.getState("push-plan")).toBe("");
      expect(push.loadSaved()).toBe(true);
      expect(push.getState("push-plan")).toBe('{"method":"hook"}');
      expect(process.env.NIX_RUNNER_TEST_EXPORT).toBe("x y");
      expect(process.env.PATH?.split(":")[0]).toBe("/opt/nra-test/bin");
      expect(new GitlabIo({ inputs: {}, jobDir: `${dir}-other`, summaryFile: "/x", write: () => undefined }).loadSaved()).toBe(false);
    } finally {
      process.env = before;
    }
  });

  it("log lines: stderr text, GitLab sections for groups, secrets it was told of replaced, never an Actions command", () => {
    let log = "";
    const io = new GitlabIo({ inputs: {}, jobDir: "/nonexistent", summaryFile: "/x", write: (t) => (log += t) });
    io.setSecret("hunter2-secret");
    io.info("plain hunter2-secret");
    io.startGroup("Detect, phase 1");
    io.warning("careful");
    io.endGroup();
    io.error("bad\nworse");
    expect(log).toMatch(/^plain \[MASKED\]\n\x1b\[0Ksection_start:\d+:nix_runner_1_detect_phase_1\[collapsed=true\]\r\x1b\[0KDetect, phase 1\nWARNING: careful\n\x1b\[0Ksection_end:\d+:nix_runner_1_detect_phase_1\r\x1b\[0K\nERROR: bad\nworse\n$/);
    expect(actionsCommands(log)).toEqual([]);
  });
});

describe("a key given as a File-type variable", () => {
  it("is read from the file GitLab wrote, with one warning that names the variable, the file and why", () => {
    const dir = tempDir("nra-gl-file-");
    const file = path.join(dir, "NIX_RUNNER_SIGNING_KEY");
    writeFileSync(file, `${KEY}\n`, { mode: 0o644 });
    let log = "";
    const io = new GitlabIo({ inputs: { NIX_RUNNER_SIGNING_KEY: file, NIX_RUNNER_PUSH_FILTER: file }, jobDir: dir, summaryFile: "/x", write: (t) => (log += t) });
    expect(io.getInput("signing-key")).toBe(KEY);
    expect(io.getInput("signing-key")).toBe(KEY);
    // not a secret input: its value is the text given
    expect(io.getInput("push-filter")).toBe(file);
    expect(log.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^WARNING: NIX_RUNNER_SIGNING_KEY is a File-type variable: GitLab wrote the signing key to ${file}, readable by every process of the job.*masked variable of type "Variable"`)),
    ]);
    expect(log).not.toContain(KEY.split(":")[1]);
  });

  it("a masked variable holding the key itself: no warning", () => {
    let log = "";
    const io = new GitlabIo({ inputs: { NIX_RUNNER_SIGNING_KEY: KEY }, jobDir: "/x", summaryFile: "/x", write: (t) => (log += t) });
    expect(io.getInput("signing-key")).toBe(KEY);
    expect(log).toBe("");
  });
});

describe("the job's folder", () => {
  it.each<[string, Record<string, string>, string]>([
    ["GitLab's runner: in RUNNER_TEMP_PROJECT_DIR, by job id", { RUNNER_TEMP_PROJECT_DIR: "/b/p.tmp", CI_BUILDS_DIR: "/b", CI_JOB_ID: "7" }, "/b/p.tmp/nix-runner-action-7"],
    ["gitlab-ci-local (no RUNNER_TEMP_PROJECT_DIR): in CI_BUILDS_DIR, which every job shares, by job id", { CI_BUILDS_DIR: "/b", CI_JOB_ID: "7" }, "/b/nix-runner-action-7"],
    ["neither: the system's temp dir", { CI_JOB_ID: "7" }, path.join(process.env.TMPDIR || "/tmp", "nix-runner-action-7")],
    ["no job id either", {}, path.join(process.env.TMPDIR || "/tmp", "nix-runner-action-job")],
  ])("%s", (_n, env, dir) => {
    expect(gitlabJobDir(env)).toBe(dir);
  });
});

describe("the background pusher's lifetime", () => {
  const now = Date.parse("2026-01-02T03:10:00Z");
  it.each<[string, Record<string, string>, number]>([
    ["GitLab's variables: start + timeout", { CI_JOB_STARTED_AT: "2026-01-02T03:04:05Z", CI_JOB_TIMEOUT: "600" }, Date.parse("2026-01-02T03:14:05Z")],
    ["no CI_JOB_TIMEOUT (gitlab-ci-local): start + GitLab's default hour", { CI_JOB_STARTED_AT: "2026-01-02T03:04:05Z" }, Date.parse("2026-01-02T04:04:05Z")],
    ["no start either: now + an hour", {}, now + GITLAB_DEFAULT_TIMEOUT_S * 1000],
    ["unreadable values: now + an hour", { CI_JOB_STARTED_AT: "yesterday", CI_JOB_TIMEOUT: "1h" }, now + GITLAB_DEFAULT_TIMEOUT_S * 1000],
    ["a start in the future (clock skew): now", { CI_JOB_STARTED_AT: "2026-01-02T04:00:00Z", CI_JOB_TIMEOUT: "60" }, now + 60_000],
  ])("%s", (_n, env, deadline) => {
    const l = gitlabLifetime(env, now);
    expect(l).toMatchObject({ deadline, runnerPid: 0, ownGroup: false });
    expect(l.why).toContain(new Date(deadline).toISOString());
  });

  it("Actions runners: no deadline, follows main's parent, in a group of its own", () => {
    expect(lifetimeFor("gitea", {}, now, 1234)).toMatchObject({ runnerPid: 1234, deadline: 0, ownGroup: true });
    expect(lifetimeFor("gitlab", { CI_JOB_TIMEOUT: "60" }, now, 1234)).toMatchObject({ runnerPid: 0, deadline: now + 60_000, ownGroup: false });
  });
});

describe("push within after_script's budget", () => {
  it.each<[string | undefined, number | undefined]>([
    ["5m", 300_000], ["300s", 300_000], ["1h30m", 5_400_000], ["1.5s", 1500], ["90", undefined], ["", undefined], [undefined, undefined], ["5 m", undefined],
  ])("Go duration %j is %j ms", (text, ms) => {
    expect(goDurationMs(text)).toBe(ms);
  });

  it.each<[Record<string, string>, number]>([
    [{}, 270_000],
    [{ RUNNER_AFTER_SCRIPT_TIMEOUT: "10m" }, 570_000],
    [{ RUNNER_AFTER_SCRIPT_TIMEOUT: "1h" }, DEFAULT_LIMITS.timeoutMs],
    [{ RUNNER_AFTER_SCRIPT_TIMEOUT: "20s" }, 16_000],
    [{ RUNNER_AFTER_SCRIPT_TIMEOUT: "junk" }, 270_000],
  ])("%j: the push's timeout is %d ms", (env, ms) => {
    expect(withinAfterScript(DEFAULT_LIMITS, env)).toEqual({ ...DEFAULT_LIMITS, timeoutMs: ms });
  });
});

describe("the command line", () => {
  it("defaults the files to the project folder and resolves given ones there", () => {
    expect(parseArgs(["setup"], "/p")).toEqual({ command: "setup", dotenv: "/p/nix-runner.env", summary: "/p/nix-runner-summary.md" });
    expect(parseArgs(["setup", "--dotenv", "out/n.env", "--summary", "/s.md"], "/p")).toEqual({ command: "setup", dotenv: "/p/out/n.env", summary: "/s.md" });
    expect(parseArgs(["push", "--summary", "s.md"], "/p")).toMatchObject({ command: "push", summary: "/p/s.md" });
    expect(parseArgs(["push", "--dotenv", "x"], "/p")).toBe('push: unknown option "--dotenv"');
    expect(parseArgs(["nope"], "/p")).toBe('unknown command "nope"');
  });
});

describe("push without setup (cancelled before it, or it failed early; in process, no Nix needed)", () => {
  it("nothing to push: says setup left nothing, ends green, removes the job's folder, no Actions command", async () => {
    const job = gitlabJob({ NIX_RUNNER_PUSH_TO: "file:///srv/cache", CI_JOB_STATUS: "canceled" });
    const r = await runCliInProcess(["push"], job.env, job.project);
    expect(r.code, r.raw).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("push: setup left nothing in this job's folder (it did not run, or ended early)");
    expect(r.stderr).toContain("push: the job's status is canceled");
    expect(r.stderr).toMatch(/^WARNING: push to file:\/\/\/srv\/cache failed: .*list what to push in NIX_RUNNER_PUSH_PATHS \(the job stays green: NIX_RUNNER_FAIL_ON_PUSH_ERROR is false\)$/m);
    expect(actionsCommands(r.raw)).toEqual([]);
    expect(existsSync(job.dir)).toBe(false);
  });

  it("push-timeout is cut to after_script's budget, and says so; one within it stands", async () => {
    const cut = gitlabJob({ NIX_RUNNER_PUSH_TO: "file:///srv/cache" });
    expect((await runCliInProcess(["push"], cut.env, cut.project)).stderr).toContain("push: push-timeout (15 min) cut to 270 s to fit the time this step is given");
    const within = gitlabJob({ NIX_RUNNER_PUSH_TO: "file:///srv/cache", NIX_RUNNER_PUSH_TIMEOUT: "2" });
    const r = await runCliInProcess(["push"], within.env, within.project);
    expect(r.code, r.raw).toBe(0);
    expect(r.stderr).not.toContain("cut to");
  });

  it("with fail-on-push-error: the same message fails push", async () => {
    const job = gitlabJob({ NIX_RUNNER_PUSH_TO: "file:///srv/cache", NIX_RUNNER_FAIL_ON_PUSH_ERROR: "true" });
    const r = await runCliInProcess(["push"], job.env, job.project);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERROR: push to file:\/\/\/srv\/cache failed: /m);
    expect(actionsCommands(r.raw)).toEqual([]);
  });
});

describe("the Node check at the top of the CLI's entry", () => {
  it.each([
    ["18.19.1", true],
    ["16.20.2", true],
    ["12.22.12", true],
    ["19.9.0", true],
    ["20.0.0", false],
    ["20.20.2", false],
    ["24.1.0", false],
  ])("Node %s: too old %s", (version, old) => {
    const msg = nodeTooOld(version, "/usr/bin/node");
    if (!old) return expect(msg).toBeUndefined();
    expect(msg).toMatch(new RegExp(`^nix-runner-action needs Node\\.js 20 or newer, and /usr/bin/node is version ${version.replace(/\./g, "\\.")}\\. Put Node 20 or newer first on PATH`));
  });

  it("src/cli.ts asks before it loads anything else, in syntax old Node parses", () => {
    const entry = readFileSync(path.join(ROOT, "src/cli.ts"), "utf8");
    const check = readFileSync(path.join(ROOT, "src/node-check.ts"), "utf8");
    expect([...entry.matchAll(/^import .* from "(.*)";$/gm)].map((m) => m[1])).toEqual(["./node-check.js"]);
    for (const text of [entry, check].map((t) => t.replace(/\/\/.*$|\/\*[^]*?\*\//gm, ""))) {
      expect(text).not.toMatch(/\?\.|\?\?|^\s*await |#[a-z]/m);
    }
  });
});
