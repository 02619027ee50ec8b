import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Daemon, startDaemon, TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { newJob, tempDir } from "../../scripts/lib/runner.mjs";
import { nixSatisfies } from "../helpers/nix.js";
import { runCliInProcess, runInProcess } from "../helpers/step-io.js";

// The main step (from src, in process: the step-io fixture) in front of a Nix that answers like
// Lix 2.94. Lix cannot be installed offline here, so it is stood in for (mock: a `nix` first on
// PATH): it answers `nix --version` as Lix 2.94 does (its multi-line answer, Lix release note
// cl/2365), refuses what Lix lacks with Nix's own words (`nix store info`: Lix registers only
// `nix store ping`; `--json-format`), offers `nix config show` (Lix 2.90 renamed show-config) on a
// real nix that may predate it, and hands everything else to the real nix under test (Debian's
// 2.8, or the matrix's newer one). Each call is logged, so the test sees what the action asked.
const REAL_NIX = execFileSync("sh", ["-c", "command -v nix"], { encoding: "utf8" }).trim();
const LIX_VERSION = [
  "nix (Lix, like Nix) 2.94.0",
  "System type: x86_64-linux",
  "Additional system types: i686-linux",
  "Features: gc, signed-caches",
  "System configuration file: /etc/nix/nix.conf",
  "User configuration files: /root/.config/nix/nix.conf:/etc/xdg/nix/nix.conf",
  "Store directory: /nix/store",
  "State directory: /nix/var/nix",
  "Data directory: /nix/store/00000000000000000000000000000000-lix-2.94.0/share",
];

/** A folder with the stand-in `nix` and its call log; `refuse` adds spellings this build lacks too. */
function lixStandIn(refuse: { configShow?: boolean } = {}): { dir: string; calls: () => string[] } {
  const dir = tempDir("lix-");
  const log = path.join(dir, "calls");
  writeFileSync(log, "");
  const refuseWith = (msg: string) => `echo "error: ${msg}" >&2; echo "Try 'nix --help' for more information." >&2; exit 1`;
  const script = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> '${log}'
words=" $* "
case "$words" in
  *" --version "*) printf '%s\\n' ${LIX_VERSION.map((l) => `'${l}'`).join(" ")}; exit 0 ;;
  *" --json-format "*) ${refuseWith("unrecognised flag '--json-format'")} ;;
  *" store info "*) ${refuseWith("'info' is not a recognised command")} ;;
  ${refuse.configShow ? `*" config show "*) ${refuseWith("'config' is not a recognised command")} ;;` : ""}
esac
args=("$@")
out=()
i=0
while [ "$i" -lt "\${#args[@]}" ]; do
  if [ '${nixSatisfies(">=2.20") ? "" : "map"}' = map ] && [ "\${args[$i]}" = config ] && [ "\${args[$((i + 1))]:-}" = show ]; then
    out+=(show-config); i=$((i + 2)); continue
  fi
  out+=("\${args[$i]}"); i=$((i + 1))
done
exec '${REAL_NIX}' "\${out[@]}"
`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "nix"), script);
  chmodSync(path.join(dir, "nix"), 0o755);
  return { dir, calls: () => readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

const LACKS = /store info|--json-format/;

describe("main in front of a Nix that answers like Lix 2.94 (mock: a nix stand-in over the real one)", () => {
  it("image mode: succeeds, its outputs say lix 2.94.0, and it asks only what Lix has, without a warning", async () => {
    const lix = lixStandIn();
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG, PATH: `${lix.dir}:${process.env.PATH}` });
    const r = await runInProcess(job, "main", { substituters: "http://127.0.0.1:18001" });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ environment: "image", "nix-version": "2.94.0", "nix-implementation": "lix" });
    expect(r.log).toMatch(/environment=image .*nix=2\.94\.0 .*nix-implementation=lix/);
    expect(r.log).not.toContain("::warning::");
    // Lix 2.90 on answers `nix config show`; the settings were read through it
    expect(lix.calls()).toContain("--extra-experimental-features nix-command config show");
    expect(lix.calls().filter((c) => LACKS.test(c))).toEqual([]);
  });

  it("a Lix build that lacks `nix config show` too: main degrades to `nix show-config` with one warning, and succeeds", async () => {
    const lix = lixStandIn({ configShow: true });
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG, PATH: `${lix.dir}:${process.env.PATH}` });
    const r = await runInProcess(job, "main");
    expect(r.code, r.log).toBe(0);
    expect(r.outputs["nix-implementation"]).toBe("lix");
    const warnings = r.log.split("\n").filter((l) => l.startsWith("::warning::"));
    expect(warnings).toEqual([
      "::warning::Lix 2.94.0 (a fork of Nix 2.18) refused 'nix config show' ('config' is not a recognised command); the action asks 'nix show-config' instead",
    ]);
    expect(lix.calls()).toContain("--extra-experimental-features nix-command show-config");
  });

  it("nix-version is checked as the Nix Lix forked from: >=2.20 fails naming both, and writes nothing", async () => {
    const lix = lixStandIn();
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG, PATH: `${lix.dir}:${process.env.PATH}` });
    const r = await runInProcess(job, "main", { "nix-version": ">=2.20" });
    expect(r.code).toBe(1);
    expect(r.log).toContain(`::error::nix-version: this job's Nix is Lix 2.94.0 (a fork of Nix 2.18), checked as Nix 2.18.3, which does not satisfy ">=2.20"`);
    expect(readFileSync(job.files.output, "utf8")).toBe("");
    const ok = await runInProcess(newJob({ NIX_CONFIG: TEST_NIX_CONFIG, PATH: `${lix.dir}:${process.env.PATH}` }), "main", { "nix-version": ">=2.18" });
    expect(ok.code, ok.log).toBe(0);
  });

  it("GitLab's setup: the job's shell and the dotenv file get NIX_RUNNER_OUTPUT_NIX_IMPLEMENTATION=lix", async () => {
    const lix = lixStandIn();
    const root = tempDir("nra-gl-lix-");
    const project = path.join(root, "project");
    mkdirSync(project, { recursive: true });
    const env = {
      PATH: `${lix.dir}:${process.env.PATH}`,
      HOME: root,
      NIX_CONFIG: TEST_NIX_CONFIG,
      GITLAB_CI: "true",
      CI: "true",
      CI_JOB_ID: "4243",
      CI_PROJECT_DIR: project,
      CI_BUILDS_DIR: root,
      RUNNER_TEMP_PROJECT_DIR: path.join(root, "project.tmp"),
      CI_JOB_STARTED_AT: "2026-01-02T03:04:05Z",
      CI_JOB_TIMEOUT: "3600",
    };
    const r = await runCliInProcess(["setup"], env, project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^export NIX_RUNNER_OUTPUT_NIX_IMPLEMENTATION='?lix'?$/m);
    const dotenv = readFileSync(path.join(project, "nix-runner.env"), "utf8");
    expect(dotenv).toContain("NIX_RUNNER_OUTPUT_NIX_IMPLEMENTATION=lix\n");
    expect(dotenv).toContain("NIX_RUNNER_OUTPUT_NIX_VERSION=2.94.0\n");
  });

  describe("native mode (a real nix-daemon)", () => {
    let daemon: Daemon;
    beforeAll(async () => {
      daemon = await startDaemon("trusted-users = root");
    });
    afterAll(async () => {
      await daemon?.stop();
    });

    it("asks the daemon's trust with `nix store ping`, never `nix store info`, and succeeds", async () => {
      const lix = lixStandIn();
      const job = newJob({ NIX_CONFIG: `${TEST_NIX_CONFIG}\ntrusted-users = root`, ...daemon.clientEnv, PATH: `${lix.dir}:${process.env.PATH}` });
      const r = await runInProcess(job, "main");
      expect(r.code, r.log).toBe(0);
      expect(r.outputs).toMatchObject({ environment: "native", "nix-implementation": "lix" });
      expect(r.log).toMatch(/trusted=true/);
      expect(r.log).not.toContain("::warning::");
      expect(lix.calls().some((c) => / store ping --json --store /.test(c))).toBe(true);
      expect(lix.calls().filter((c) => LACKS.test(c))).toEqual([]);
    });
  });
});
