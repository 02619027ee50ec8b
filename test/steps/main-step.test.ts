// The main step (src/steps/main-step.ts) run in process from the sources by the step-io fixture, on
// the paths that need no Nix: bad inputs are refused before detection, so no nix runs. Everything
// past the inputs runs the built bundle against real Nix: main-step.integration.test.ts.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { newJob } from "../../scripts/lib/runner.mjs";
import { runInProcess } from "../helpers/step-io.js";

const TOKEN = "github.com=ghp_mainStepUnitSecret";

describe("main step, bad input (from src, in process; no Nix needed)", () => {
  it.each([
    [{ mode: "imgae" }, ['mode must be one of auto, image, native, install (got "imgae")']],
    [
      { substituters: "cache.lan", "trusted-public-keys": "nope" },
      [
        'substituters: "cache.lan" is not a URL; write it like https://cache.example.org or file:///srv/cache',
        "trusted-public-keys: an entry is not of the form name:base64; give the public key as printed by 'nix key convert-secret-to-public' (name:base64 of 32 bytes)",
      ],
    ],
    [{ "fail-on-push-error": "yes", "push-to": "ftp://cache.lan" }, ['fail-on-push-error must be true or false (got "yes")', expect.stringMatching(/^push-to: "ftp:\/\/cache\.lan" uses ftp:\/\/ which is not supported here; use one of .*s3:\/\//)]],
    [{ installer: "brew", "nix-version": "newest" }, ['installer must be one of nixos, determinate, none (got "brew")', 'nix-version: "newest" is not a semver range; write e.g. ">=2.18" or "2.24.x"']],
  ])("%j: fails the step naming each input, and writes nothing", async (inputs, errors) => {
    // no nix on PATH: a step that got past the inputs would fail differently (or install)
    const job = newJob({ PATH: "/nonexistent" });
    const r = await runInProcess(job, "main", { ...inputs, "access-tokens": TOKEN });
    expect(r.code).toBe(1);
    const lines = r.log.split("\n").filter((l) => l.startsWith("::error::"));
    expect(lines).toHaveLength(1);
    expect(lines[0].replace("::error::", "").split("%0A")).toEqual(errors);
    for (const f of [job.files.env, job.files.output, job.files.state, job.files.path, job.files.summary]) expect(readFileSync(f, "utf8")).toBe("");
    expect(existsSync(path.join(job.temp, "nix-runner-action"))).toBe(false);
    // masked as it was read, before the other inputs were refused
    expect(r.raw).toContain(`::add-mask::${TOKEN}`);
    expect(r.log).not.toContain(TOKEN);
  });
});
