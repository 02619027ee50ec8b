// The CLI's built bundle (dist/cli, package.json's bin) run by the host's Node as a GitLab job's line
// runs it: it starts, speaks only GitLab's forms, and its entry file parses on old Node, so that an old
// Node reaches the version check (src/node-check.ts) instead of a SyntaxError.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, tokenizer } from "acorn";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string>; files: string[]; dependencies?: object };
const bin = path.join(ROOT, pkg.bin["nix-runner-action"]);

function cli(args: string[], vars: Record<string, string> = {}) {
  const project = tempDir("nra-gl-bundle-");
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: project,
    env: { PATH: "/nonexistent:/usr/bin:/bin", HOME: project, GITLAB_CI: "true", CI_JOB_ID: "1", CI_PROJECT_DIR: project, CI_BUILDS_DIR: project, ...vars },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noActionsCommand = (text: string) => expect(text.split("\n").filter((l) => /^::[a-z-]+/.test(l))).toEqual([]);

describe("dist/cli, as package.json's bin", () => {
  it("is what npm installs: the bin and the pusher it starts are in the package, and nothing is fetched at install", () => {
    expect(pkg.bin).toEqual({ "nix-runner-action": "dist/cli/index.js" });
    expect(pkg.files).toEqual(expect.arrayContaining(["dist/cli/", "dist/pusher/"]));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("help: the usage on stdout", () => {
    const r = cli(["help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: nix-runner-action setup/);
  });

  it("setup with a bad variable: exit 1, the variable named on stderr, only the unset on stdout, no Actions command", () => {
    const r = cli(["setup"], { NIX_RUNNER_PUSH_TO: "cache.lan" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("unset NIX_RUNNER_ACCESS_TOKENS NIX_RUNNER_NETRC NIX_RUNNER_SIGNING_KEY\n");
    expect(r.stderr).toContain('ERROR: NIX_RUNNER_PUSH_TO: "cache.lan" is not a URL');
    noActionsCommand(r.stdout + r.stderr);
  });

  it("push without setup: green, says so, no Actions command", () => {
    const r = cli(["push"], { NIX_RUNNER_PUSH_TO: "file:///nonexistent/cache" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("push: setup left nothing in this job's folder");
    noActionsCommand(r.stderr);
  });

  it("the entry file parses as ES2020 without ?. or ??, as Node 12.17+ reads it: old Node gets to the version check", () => {
    const text = readFileSync(bin, "utf8");
    // acorn refuses top-level await, class fields and ES2021+ syntax at ecmaVersion 2020
    expect(() => parse(text, { ecmaVersion: 2020, sourceType: "module", allowHashBang: true })).not.toThrow();
    const modern = [...tokenizer(text, { ecmaVersion: 2020, sourceType: "module", allowHashBang: true })].filter((t) => t.type.label === "?." || t.type.label === "??");
    expect(modern).toEqual([]);
    // the version check runs before the rest is loaded, which is in chunks of their own
    expect(text).toContain("needs Node.js ");
    expect(text).not.toContain("function runMain");
  });
});
