import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateKey } from "../../scripts/lib/nix.mjs";
import { nixVersion, trivialDrv } from "../helpers/nix.js";
import { buildInStep, helloFlake, JOB_NIX_CONFIG, narinfoCount, nix, salt } from "../helpers/push.js";
import { type Job, laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";

// The post step meets answers of Nix in shapes no version has printed (a stand-in `nix` first on
// PATH runs the real one and rewrites the answer of the commands named in NRA_MANGLE). It must say
// so, naming the command and the version, and never report a result it did not earn.
const key = generateKey(`nra-unknown-${salt()}`);
const jobs: Job[] = [];
afterAll(() => {
  for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
});

/** A `nix` that rewrites the answers of path-info (a format 3), build --json (no "outputs") and copy -v (no sizes). */
function manglingNix(dir: string): string {
  const bin = path.join(dir, "mangling-bin");
  mkdirSync(bin);
  const real = execFileSync("sh", ["-c", "command -v nix"], { encoding: "utf8" }).trim();
  writeFileSync(
    path.join(bin, "nix"),
    `#!/bin/sh
real='${real}'
case " $* " in *" path-info "*) m=path-info ;; *" build "*) m=build ;; *" copy "*) m=copy ;; *) exec "$real" "$@" ;; esac
case " $NRA_MANGLE " in *" $m "*) ;; *) exec "$real" "$@" ;; esac
out=$(mktemp) err=$(mktemp)
"$real" "$@" >"$out" 2>"$err"
rc=$?
case $m in
  path-info) echo '{"info":{},"storeDir":"/nix/store","version":3}' ;;
  build) sed 's/"outputs"/"products"/g' "$out" ;;
  copy) cat "$out" ;;
esac
if [ "$m" = copy ]; then sed 's/ ([0-9]* bytes, compressed [^)]*) to binary cache/ [size elided] to binary cache/' "$err" >&2; else cat "$err" >&2; fi
rm -f "$out" "$err"
exit $rc
`,
    { mode: 0o755 },
  );
  return bin;
}

describe(`answers of Nix ${nixVersion()} the post step cannot understand`, () => {
  async function setUp() {
    const s = salt();
    const j = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
    jobs.push(j);
    const cacheDir = path.join(j.temp, "cache");
    const flake = helloFlake(path.join(j.temp, "flake"), "nra-unknown-flake", s);
    // main decides the method, so it is given push-paths too: what it knows before the build
    const inputs = { "push-to": `file://${cacheDir}`, "signing-key": key.secret, "push-during-build": "false", "push-paths": `path:${flake}#hello` };
    expect((await runStep(j, "main", inputs)).code).toBe(0);
    const env = laterStepEnv(j);
    const built = buildInStep(j, env, trivialDrv("nra-unknown-built", s));
    const post = (pushPaths: string, mangle: string) =>
      runStep(j, "post", { ...inputs, "push-paths": pushPaths }, { PATH: `${manglingNix(j.temp)}:${env.PATH}`, NRA_MANGLE: mangle });
    const summary = () => (existsSync(j.files.summary) ? readFileSync(j.files.summary, "utf8") : "");
    return { cacheDir, flake: `path:${flake}#hello`, built, post, summary };
  }
  const verified = (cacheDir: string, p: string) => nix(["store", "verify", "--store", `file://${cacheDir}`, "--trusted-public-keys", key.pub, "-r", p]).code === 0;
  const v = nixVersion().replace(/\./g, "\\.");

  it("path-info in a new format: a warning naming the command and version, and nix build's answer still finds the outputs", async () => {
    const { cacheDir, flake, post } = await setUp();
    const r = await post(flake, "path-info");
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(
      new RegExp(`::warning::Could not understand the answer of 'nix path-info --json[^']*' \\(Nix ${v}\\): JSON format 3, not 1 or 2 .*; building "path:.*#hello" to learn its outputs instead`),
    );
    const pushed = nix(["path-info", "--all", "--store", `file://${cacheDir}`]).out.split("\n").find((p) => p.endsWith("-nra-unknown-flake"));
    expect(pushed, r.log).toBeDefined();
    expect(verified(cacheDir, pushed ?? "")).toBe(true);
  });

  it("nix build --json without outputs as well: the push fails saying so, pushes nothing and writes no summary", async () => {
    const { cacheDir, flake, post, summary } = await setUp();
    const r = await post(flake, "path-info build");
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(
      new RegExp(`::warning::push to file://.* failed: Could not understand the answer of 'nix build --json' \\(Nix ${v}\\): an entry without "outputs" .*; push-paths "path:.*#hello" is built but its outputs are unknown, so nothing was pushed`),
    );
    expect(narinfoCount(cacheDir)).toBe(0);
    expect(summary()).not.toMatch(/<td>ok|nothing new to push/);
  });

  it("nix copy's log without sizes: the paths are pushed, and the warning and the summary say the count is not understood", async () => {
    const { cacheDir, built, post, summary } = await setUp();
    const r = await post(built, "copy");
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(
      new RegExp(`::warning::Could not understand the answer of 'nix copy -v' \\(Nix ${v}\\): 1 path\\(s\\) sent without the line with their size .*; nix copy succeeded, but the paths and NAR bytes counted are only those of the lines understood`),
    );
    expect(verified(cacheDir, built)).toBe(true);
    expect(summary()).toContain("incomplete: nix copy -v not understood (see the warnings)");
    expect(summary()).not.toMatch(/<td>ok<\/td>/);
  });

  it("the control: the same stand-in changing nothing gives no warning and an ok summary", async () => {
    const { cacheDir, built, post, summary } = await setUp();
    const r = await post(built, "");
    expect(r.code, r.log).toBe(0);
    expect(r.log).not.toMatch(/::warning::/);
    expect(verified(cacheDir, built)).toBe(true);
    expect(summary()).toMatch(/<td>ok<\/td>/);
  });
});
