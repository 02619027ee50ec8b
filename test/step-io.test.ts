import * as core from "@actions/core";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as runner from "../src/step-io.js";
import { parseEnvFile } from "../scripts/lib/runner.mjs";

/** What both implementations are asked to do: awkward values included (newlines, %, :, commas). */
async function script(api: typeof runner): Promise<void> {
  api.info("plain line");
  await api.group("Detect, phase 1", async () => {
    api.warning("two\nlines, 100% sure: yes");
  });
  api.setOutput("nix-version", "2.8.0");
  api.setOutput("multi", "line one\nline two\n");
  api.setOutput("odd,name:x", "v");
  api.exportVariable("NIX_CONFIG", "build-users-group =\n!include /tmp/x/nix.conf");
  api.addPath("/opt/nix/bin");
  api.saveState("push-plan", JSON.stringify({ method: "hook", paths: ["a", "b"] }));
  api.setSecret("s3cr3t:with,commas");
  api.setFailed("mode must be one of auto, image\nnative");
}

const FILES = ["OUTPUT", "ENV", "STATE", "PATH"] as const;
const saved = { env: { ...process.env }, exitCode: process.exitCode };

afterEach(() => {
  process.env = { ...saved.env };
  process.exitCode = saved.exitCode;
  vi.restoreAllMocks();
});

interface Run {
  stdout: string;
  files: Record<string, string>;
  env: { PATH?: string; NIX_CONFIG?: string };
  exitCode: typeof process.exitCode;
}

/** Runs the script against fresh runner files (or none), capturing stdout, with delimiters normalised. */
async function capture(api: typeof runner, withFiles: boolean): Promise<Run> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-runner-"));
  process.env = { ...saved.env, PATH: "/usr/bin" };
  for (const f of FILES) {
    delete process.env[`GITHUB_${f}`];
    if (withFiles) {
      process.env[`GITHUB_${f}`] = path.join(dir, f);
      writeFileSync(path.join(dir, f), "");
    }
  }
  process.exitCode = undefined;
  let stdout = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await script(api);
  } finally {
    vi.restoreAllMocks();
  }
  // @actions/core's delimiter is a UUID, ours 32 random hex digits: the same up to the random part
  const same = (s: string) => s.replace(/ghadelimiter_(?:[0-9a-f-]{36}|[0-9a-f]{32})\b/g, "ghadelimiter_X");
  const files = withFiles ? Object.fromEntries(FILES.map((f) => [f, same(readFileSync(path.join(dir, f), "utf8"))])) : {};
  const run = { stdout, files, env: { PATH: process.env.PATH, NIX_CONFIG: process.env.NIX_CONFIG }, exitCode: process.exitCode };
  rmSync(dir, { recursive: true, force: true });
  return run;
}

describe("runner protocol: byte for byte what @actions/core writes", () => {
  it("with the runner's files (every current runner: GitHub, act, Gitea, Forgejo)", async () => {
    const ours = await capture(runner, true);
    const theirs = await capture(core as unknown as typeof runner, true);
    expect(ours).toEqual(theirs);
    // and it says what a runner needs, not merely the same as the library
    expect(parseEnvFile(ours.files.OUTPUT)).toEqual({ "nix-version": "2.8.0", multi: "line one\nline two\n", "odd,name:x": "v" });
    expect(ours.files.PATH).toBe(`/opt/nix/bin${os.EOL}`);
    expect(ours.env.PATH).toBe("/opt/nix/bin:/usr/bin");
    expect(ours.env.NIX_CONFIG).toBe("build-users-group =\n!include /tmp/x/nix.conf");
    expect(ours.exitCode).toBe(1);
    expect(ours.stdout).toContain("::warning::two%0Alines, 100%25 sure: yes\n");
    expect(ours.stdout).toContain("::group::Detect, phase 1\n");
    expect(ours.stdout).toContain("::endgroup::\n");
    expect(ours.stdout).toContain("::error::mode must be one of auto, image%0Anative\n");
  });

  it("without them (old runners): the same ::commands::", async () => {
    const ours = await capture(runner, false);
    const theirs = await capture(core as unknown as typeof runner, false);
    expect(ours).toEqual(theirs);
    expect(ours.stdout).toContain("::set-env name=NIX_CONFIG::build-users-group =%0A!include /tmp/x/nix.conf\n");
    expect(ours.stdout).toContain("::save-state name=push-plan::");
  });

  it("reads inputs as @actions/core does: INPUT_<NAME>, spaces as underscores, trimmed", () => {
    process.env["INPUT_EXTRA-CONF"] = "  max-jobs = 2 \n";
    process.env.INPUT_MY_INPUT = " x ";
    process.env["STATE_push-plan"] = "{}";
    for (const name of ["extra-conf", "my input", "absent"]) expect(runner.getInput(name)).toBe(core.getInput(name));
    expect(runner.getInput("extra-conf")).toBe("max-jobs = 2");
    expect(runner.getState("push-plan")).toBe(core.getState("push-plan"));
    expect(runner.getState("absent")).toBe("");
  });

  it("gives each value its own delimiter, so a value's lines cannot add variables", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nra-runner-"));
    process.env.GITHUB_OUTPUT = path.join(dir, "out");
    writeFileSync(process.env.GITHUB_OUTPUT, "");
    for (let i = 0; i < 50; i++) runner.setOutput("v", `line\nEVIL=1\nghadelimiter_${i}`);
    const text = readFileSync(process.env.GITHUB_OUTPUT, "utf8");
    const delimiters = [...text.matchAll(/^v<<(ghadelimiter_[0-9a-f]{32})$/gm)].map((m) => m[1]);
    expect(new Set(delimiters).size).toBe(50);
    for (const d of delimiters) expect(text.split("\n").filter((l) => l === d)).toHaveLength(1);
    expect(Object.keys(parseEnvFile(text))).toEqual(["v"]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("closes the group when the work inside it throws", async () => {
    let stdout = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    await expect(runner.group("g", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(stdout).toBe("::group::g\n::endgroup::\n");
  });

  it("appends to the job summary as @actions/core's summary does, keeping what earlier steps wrote", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nra-runner-"));
    const texts = ["### Runner image", "| tag | digest |\n|---|---|\n"];
    const write = async (api: "ours" | "core") => {
      const file = path.join(dir, api);
      writeFileSync(file, "earlier step\n");
      process.env.GITHUB_STEP_SUMMARY = file;
      for (const t of texts) {
        if (api === "ours") expect(runner.appendSummary(t)).toBe(true);
        else await core.summary.addRaw(t, !t.endsWith("\n")).write();
      }
      return readFileSync(file, "utf8");
    };
    const ours = await write("ours");
    expect(ours).toBe(await write("core"));
    expect(ours).toBe("earlier step\n### Runner image\n| tag | digest |\n|---|---|\n");
    delete process.env.GITHUB_STEP_SUMMARY;
    expect(runner.appendSummary("x")).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
