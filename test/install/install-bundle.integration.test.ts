import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureUser } from "../../scripts/lib/nix.mjs";
import { laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";
import { serve, type Served } from "../../scripts/lib/http-server.mjs";
import { calls, newPrefix, STAND_IN_INSTALLER } from "../../scripts/lib/stand-in-installer.mjs";
import { systemNixVersion } from "../helpers/nix.js";

// The installer stand-in installs the system's Nix (Debian's /usr/bin/nix) whatever Nix is first on
// PATH, so on every cell of the matrix these tests hold for that version: what was installed is reported.
const INSTALLED = systemNixVersion();

const MIRROR = "/mirror/nix-installer-x86_64-linux";
const SHA = createHash("sha256").update(STAND_IN_INSTALLER).digest("hex");

let server: Served;
let toolCache: string;
const cleanup: string[] = [];

beforeAll(async () => {
  server = await serve({ [MIRROR]: STAND_IN_INSTALLER });
  toolCache = mkdtempSync(path.join(os.tmpdir(), "nra-toolcache-"));
  cleanup.push(toolCache);
});
afterAll(async () => {
  await server.stop();
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function job(prefix: string, user?: { uid: number; gid: number }) {
  const j = newJob({ RUNNER_TOOL_CACHE: toolCache, NIX_RUNNER_ACTION_TEST_NIX_PREFIX: prefix }, user);
  cleanup.push(j.temp, prefix);
  return j;
}

describe("the built bundle installs Nix (stand-in installer served locally)", () => {
  it("mode: install from a pinned mirror: outputs, PATH and env for later steps, a working Nix; a second job reuses the tool cache", async () => {
    const prefix = newPrefix();
    const bin = path.join(prefix, "var/nix/profiles/default/bin");
    const j = job(prefix);
    const inputs = {
      mode: "install",
      "installer-url": `${server.origin}${MIRROR}`,
      "installer-sha256": SHA,
      substituters: "http://127.0.0.1:18399/job-cache",
    };
    const r = await runStep(j, "main", inputs);
    expect(r.log).not.toMatch(/::error::/);
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ installed: "true", environment: "installed", "nix-version": INSTALLED });
    expect(server.requests).toEqual([MIRROR]);

    // PID 1 on this machine is not systemd and the step runs as root; in a container the sandbox is off.
    const sandbox = r.outputs.container === "true" ? "\nsandbox = false" : "";
    expect(calls(prefix).map((c) => c.argv)).toEqual([
      ["install", "linux", "--no-confirm", "--init", "none", "--extra-conf", `trusted-users = root${sandbox}\nextra-substituters = http://127.0.0.1:18399/job-cache`],
    ]);
    expect(r.path).toContain(bin);
    expect(r.exportedEnv.NIX_PROFILES).toContain(path.join(prefix, "var/nix/profiles/default"));
    expect(r.exportedEnv.NIX_CONFIG?.split("\n").pop()).toBe(`!include ${path.join(j.temp, "nix-runner-action", "nix.conf")}`);

    // A later step finds the installed Nix first on PATH, and it works with the job's settings.
    const later = laterStepEnv(j);
    const which = spawnSync("sh", ["-c", "command -v nix"], { env: later, encoding: "utf8" });
    expect(which.stdout.trim()).toBe(path.join(bin, "nix"));
    const ev = spawnSync("nix-instantiate", ["--eval", "-E", "1 + 1"], { env: later, encoding: "utf8" });
    expect(ev.stdout.trim()).toBe("2");
    const conf = spawnSync("nix", ["--extra-experimental-features", "nix-command", "show-config", "--json"], { env: later, encoding: "utf8" });
    expect((JSON.parse(conf.stdout) as Record<string, { value: string[] }>).substituters.value).toContain("http://127.0.0.1:18399/job-cache");

    // Another job on the same runner: the installer comes from the tool cache, no second download.
    const prefix2 = newPrefix();
    const r2 = await runStep(job(prefix2), "main", inputs);
    expect(r2.code).toBe(0);
    expect(server.requests).toEqual([MIRROR]);
    expect(calls(prefix2)).toHaveLength(1);
    expect(r2.log).toContain("Using the installer from the runner's tool cache");
  });

  it("a non-root job without sudo fails with what the runner image lacks, before downloading", async () => {
    const before = server.requests.length;
    const user = ensureUser();
    const prefix = newPrefix();
    const r = await runStep(job(prefix, user), "main", { mode: "install", "installer-url": `${server.origin}${MIRROR}` });
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/::error::installing Nix needs root, but this job runs as "nixtest" \(uid \d+\)/);
    expect(r.outputs.installed).toBeUndefined();
    expect(server.requests.length).toBe(before);
  });

  it("installer: none fails clearly", async () => {
    const r = await runStep(job(newPrefix()), "main", { mode: "install", installer: "none" });
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/::error::installer is "none"/);
  });
});
