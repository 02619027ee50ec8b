import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Daemon, ensureUser, generateKey, startDaemon, TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { laterStepEnv, newJob, ROOT, runStep } from "../../scripts/lib/runner.mjs";
import { nixSatisfies, nixVersion } from "../helpers/nix.js";

// These run the built bundle (dist/main/index.js) as a runner would, against the real Nix first on
// PATH (Debian's 2.8, or a newer one in CI's matrix), on every version.
const VERSION = nixVersion();
const VERSION_RE = VERSION.replace(/\./g, "\\.");
/** The nix under test, resolved: wrappers and profile links below point at it. */
const NIX_BIN = execFileSync("sh", ["-c", "command -v nix"], { encoding: "utf8" }).trim();
/** How the action asks this Nix for its settings: renamed in 2.20 (configShowArgs). */
const CONFIG_SHOW = nixSatisfies(">=2.20") ? "config show" : "show-config";

const LAN = "http://127.0.0.1:18001";
const FILE_CACHE = "file:///srv/nix-cache-does-not-need-to-exist";
const LAN_KEY = "lan-cache-1:" + Buffer.alloc(32, 7).toString("base64");

function showConfig(env: NodeJS.ProcessEnv, uid?: number, gid?: number): Record<string, { value: unknown }> {
  const out = execFileSync("nix", ["--extra-experimental-features", "nix-command", "show-config", "--json"], { env, uid, gid });
  return JSON.parse(out.toString()) as Record<string, { value: unknown }>;
}
const count = (list: unknown, item: string) => (list as string[]).filter((x) => x.replace(/\/$/, "") === item).length;

describe("image mode (single-user Nix, no daemon)", () => {
  it("puts substituters and keys in effect for later steps, once each, keeping the image's own", async () => {
    const IMAGE_CACHE = "http://127.0.0.1:18004";
    const job = newJob({ NIX_CONFIG: `${TEST_NIX_CONFIG}\nsubstituters = ${IMAGE_CACHE}`, GITEA_ACTIONS: "true", ACT: "true" });
    const r = await runStep(job, "main", { substituters: `${LAN}\n${FILE_CACHE}`, "trusted-public-keys": LAN_KEY });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ environment: "image", platform: "gitea", installed: "false", "nix-version": VERSION });
    expect(r.log).toMatch(new RegExp(`environment=image platform=gitea nix=${VERSION_RE}`));

    const conf = showConfig(laterStepEnv(job));
    for (const s of [LAN, FILE_CACHE, IMAGE_CACHE]) expect(count(conf.substituters.value, s)).toBe(1);
    expect(count(conf["trusted-public-keys"].value, LAN_KEY)).toBe(1);
    const text = execFileSync("nix", ["show-config"], { env: laterStepEnv(job) }).toString();
    expect(text).toMatch(/^experimental-features = .*\bflakes\b/m);
  });

  it("is idempotent: a second run in the same job changes nothing", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG });
    const inputs = { substituters: LAN, "trusted-public-keys": LAN_KEY, "extra-conf": "keep-outputs = true" };
    await runStep(job, "main", inputs);
    const confFile = path.join(job.temp, "nix-runner-action", "nix.conf");
    const first = { conf: readFileSync(confFile, "utf8"), env: laterStepEnv(job).NIX_CONFIG };
    const r2 = await runStep(job, "main", inputs);
    expect(r2.code, r2.log).toBe(0);
    expect(readFileSync(confFile, "utf8")).toBe(first.conf);
    expect(laterStepEnv(job).NIX_CONFIG).toBe(first.env);
    expect(first.env?.split("\n").filter((l) => l === `!include ${confFile}`)).toHaveLength(1);
    const conf = showConfig(laterStepEnv(job));
    expect(count(conf.substituters.value, LAN)).toBe(1);
    expect(count(conf["trusted-public-keys"].value, LAN_KEY)).toBe(1);
  });

  it("keeps the user's own nix.conf files in effect", async () => {
    // no `substituters =` in NIX_CONFIG here: it would override the user's file, as Nix intends
    const job = newJob({ NIX_CONFIG: "build-users-group =" });
    const home = path.join(job.temp, "home");
    mkdirSync(path.join(home, ".config", "nix"), { recursive: true });
    writeFileSync(path.join(home, ".config", "nix", "nix.conf"), "extra-substituters = http://127.0.0.1:18002\n");
    job.env.HOME = home;
    const r = await runStep(job, "main", { substituters: LAN });
    expect(r.code, r.log).toBe(0);
    const conf = showConfig(laterStepEnv(job));
    expect(count(conf.substituters.value, "http://127.0.0.1:18002")).toBe(1);
    expect(count(conf.substituters.value, LAN)).toBe(1);
  });

  it("reports nixpkgs-date from the workspace flake.lock", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG });
    writeFileSync(path.join(job.temp, "flake.lock"), readFileSync(path.join(ROOT, "test/fixtures/flake-lock/nixpkgs_2.json")));
    const r = await runStep(job, "main");
    expect(r.outputs["nixpkgs-date"]).toBe("20250301");
  });

  it("writes netrc 0600 for the job, and the post step removes it", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG });
    const netrc = "machine 127.0.0.1 login ci password hunter2-very-secret";
    const r = await runStep(job, "main", { netrc, "access-tokens": "github.com=ghp_notarealtoken123" });
    expect(r.code, r.log).toBe(0);
    const conf = showConfig(laterStepEnv(job));
    const netrcFile = conf["netrc-file"].value as string;
    expect(readFileSync(netrcFile, "utf8")).toContain("hunter2-very-secret");
    expect(statSync(netrcFile).mode & 0o777).toBe(0o600);
    expect(r.log).not.toContain("hunter2-very-secret");
    expect(r.log).not.toContain("ghp_notarealtoken123");
    expect(readFileSync(job.files.env, "utf8")).not.toContain("ghp_notarealtoken123");
    const post = await runStep(job, "post");
    expect(post.code, post.log).toBe(0);
    expect(existsSync(netrcFile)).toBe(false);
    expect(existsSync(path.join(job.temp, "nix-runner-action", "nix.conf"))).toBe(false);
  });

  it("warns when the signing key's public half is not trusted, and not when it is", async () => {
    const { secret: sk, pub: pk } = generateKey("ours-1");
    const untrusted = await runStep(newJob({ NIX_CONFIG: TEST_NIX_CONFIG }), "main", { "signing-key": sk });
    expect(untrusted.log).toMatch(/::warning::signing-key: its public key ours-1:\S+ is not among the trusted keys in effect/);
    expect(untrusted.log).not.toContain(sk.split(":")[1]);
    const trusted = await runStep(newJob({ NIX_CONFIG: TEST_NIX_CONFIG }), "main", { "signing-key": sk, "trusted-public-keys": pk });
    expect(trusted.log).not.toMatch(/::warning::signing-key/);
  });
});

describe("bad input", () => {
  it.each([
    [{ mode: "imgae" }, /mode must be one of auto, image, native, install \(got "imgae"\)/],
    [{ substituters: "cache.lan", "trusted-public-keys": "nope" }, /substituters: "cache.lan" is not a URL[^]*trusted-public-keys/],
    [{ "nix-version": ">=3" }, new RegExp(`nix-version: this job's Nix is ${VERSION_RE}, which does not satisfy ">=3"`)],
  ])("fails the step naming the input, and writes nothing (%j)", async (inputs, message) => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG });
    const r = await runStep(job, "main", inputs);
    expect(r.code).toBe(1);
    expect(r.log).toMatch(message);
    expect(r.log).toMatch(/::error::/);
    for (const f of [job.files.env, job.files.output, job.files.state, job.files.path]) expect(readFileSync(f, "utf8")).toBe("");
    expect(existsSync(path.join(job.temp, "nix-runner-action"))).toBe(false);
    const post = await runStep(job, "post");
    expect(post.code, post.log).toBe(0);
  });
});

describe("native mode (a real nix-daemon)", () => {
  let daemon: Daemon;
  const user = ensureUser();
  beforeAll(async () => {
    daemon = await startDaemon("trusted-users = root");
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  const hostFiles = (home: string) => ["/etc/nix/nix.conf", path.join(home, ".config/nix/nix.conf")];
  const snapshot = (files: string[]) => files.map((f) => (existsSync(f) ? readFileSync(f).toString("base64") : "absent"));

  it("root through the daemon: configures the job, host files byte-identical", async () => {
    const job = newJob({ NIX_CONFIG: `${TEST_NIX_CONFIG}\ntrusted-users = root`, ...daemon.clientEnv, FORGEJO_ACTIONS: "true", ACT: "true" });
    const home = path.join(job.temp, "home");
    mkdirSync(path.join(home, ".config/nix"), { recursive: true });
    writeFileSync(path.join(home, ".config/nix/nix.conf"), "keep-derivations = true\n");
    job.env.HOME = home;
    const before = snapshot(hostFiles(home));
    const r = await runStep(job, "main", { substituters: LAN, "trusted-public-keys": LAN_KEY });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ environment: "native", platform: "forgejo" });
    expect(r.log).toMatch(/trusted=true/);
    expect(r.log).not.toMatch(/::warning::The Nix daemon does not trust/);
    expect(snapshot(hostFiles(home))).toEqual(before);
    const conf = showConfig(laterStepEnv(job));
    expect(count(conf.substituters.value, LAN)).toBe(1);
    // A store operation through the daemon works with the job's configuration.
    execFileSync("nix", ["store", "ping"], { env: laterStepEnv(job) });
  });

  it("an untrusted user: one warning naming each ignored setting and the admin's line", async () => {
    const job = newJob({ NIX_CONFIG: `${TEST_NIX_CONFIG}\ntrusted-users = root`, ...daemon.clientEnv }, user);
    const r = await runStep(job, "main", { substituters: LAN, "trusted-public-keys": LAN_KEY, "extra-conf": "max-jobs = 3\npost-build-hook = /bin/true" });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs.environment).toBe("native");
    const warnings = r.log.split("\n").filter((l) => l.startsWith("::warning::"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`does not trust user "${user.name}"`);
    expect(warnings[0]).toContain(`substituters ${LAN}`);
    expect(warnings[0]).toContain("trusted-public-keys lan-cache-1");
    // the daemon ignores an untrusted client's post-build-hook but takes its max-jobs (trust.integration.test.ts)
    expect(warnings[0]).toContain("extra-conf post-build-hook");
    expect(warnings[0]).not.toContain("max-jobs");
    expect(warnings[0]).toContain(`extra-trusted-substituters = ${LAN}`);
    expect(warnings[0]).toContain(`extra-trusted-public-keys = ${LAN_KEY}`);
    expect(warnings[0]).toContain(`trusted-users = ${user.name}`);
    // the client still sees them, so tools that read config client-side agree with what was asked
    const conf = showConfig(laterStepEnv(job), user.uid, user.gid);
    expect(count(conf.substituters.value, LAN)).toBe(1);
  });

  it("a user the job's own NIX_CONFIG calls trusted is still untrusted: only the daemon's nix.conf counts", async () => {
    const job = newJob({ NIX_CONFIG: `${TEST_NIX_CONFIG}\ntrusted-users = root ${user.name}`, ...daemon.clientEnv }, user);
    const r = await runStep(job, "main", { substituters: LAN });
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(/trusted=false/);
    expect(r.log).toMatch(new RegExp(`::warning::The Nix daemon does not trust user "${user.name}"`));
  });

  it("a user the daemon trusts gets no warning", async () => {
    const trusting = await startDaemon(`trusted-users = root ${user.name}`);
    try {
      const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG, ...trusting.clientEnv }, user);
      const r = await runStep(job, "main", { substituters: LAN, "trusted-public-keys": LAN_KEY });
      expect(r.code, r.log).toBe(0);
      expect(r.log).toMatch(/environment=native .*trusted=true/);
      expect(r.log).not.toContain("::warning::");
    } finally {
      await trusting.stop();
    }
  });
});

describe("a Nix that is installed but not on PATH (a runner service's short PATH)", () => {
  it("is found in the user's profile and used, never installed over", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG });
    const home = path.join(job.temp, "home");
    const profileBin = path.join(home, ".nix-profile/bin");
    mkdirSync(profileBin, { recursive: true });
    for (const tool of ["nix", "nix-store"]) execFileSync("ln", ["-s", path.join(path.dirname(NIX_BIN), tool), path.join(profileBin, tool)]);
    const emptyBin = path.join(job.temp, "empty-bin");
    mkdirSync(emptyBin);
    Object.assign(job.env, { HOME: home, PATH: emptyBin });
    const r = await runStep(job, "main", { substituters: LAN });
    expect(r.code, r.log).toBe(0);
    expect(r.log).toContain(`nix is not on PATH but is installed in ${profileBin}: adding it to PATH for this job`);
    expect(r.outputs).toMatchObject({ environment: "image", installed: "false", "nix-version": VERSION });
    expect(r.path).toEqual([profileBin]);
    const conf = showConfig(laterStepEnv(job));
    expect(count(conf.substituters.value, LAN)).toBe(1);
  });
});

describe("a daemon socket nobody answers on", () => {
  it("fails the step saying the daemon has stopped, instead of reporting native and failing later", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG });
    const socket = path.join(job.temp, "dead-socket");
    // bound but never listening: what a killed daemon leaves behind
    execFileSync("python3", ["-c", `import socket; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(socket)})`]);
    Object.assign(job.env, { NIX_REMOTE: "daemon", NIX_DAEMON_SOCKET_PATH: socket });
    const r = await runStep(job, "main", { substituters: LAN });
    expect(r.code).toBe(1);
    expect(r.log).toContain(`::error::Nix cannot reach its store: the Nix daemon socket ${socket} exists but nothing answers on it`);
    expect(readFileSync(job.files.env, "utf8")).toBe("");
  });
});

describe("a Nix from the store, as in a Nix-built job image", () => {
  it("takes the version from the store path's name and reads the config from the files: no nix runs at all", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG });
    // bin/nix in a store path named nix-<version>: a wrapper that logs each call, then runs the nix under test
    const pkg = path.join(job.temp, "pkg", `nix-${VERSION}`);
    mkdirSync(path.join(pkg, "bin"), { recursive: true });
    const calls = path.join(job.temp, "nix-calls.log");
    writeFileSync(path.join(pkg, "bin", "nix"), `#!/bin/sh\necho "$*" >> ${calls}\nexec ${NIX_BIN} "$@"\n`, { mode: 0o755 });
    const stored = execFileSync("nix-store", ["--add", pkg], { env: { ...process.env, NIX_CONFIG: TEST_NIX_CONFIG } }).toString().trim();
    expect(stored).toMatch(new RegExp(`^/nix/store/[0-9a-z]{32}-nix-${VERSION_RE}$`));
    const profileBin = path.join(job.temp, "profile", "bin");
    mkdirSync(profileBin, { recursive: true });
    execFileSync("ln", ["-s", path.join(stored, "bin", "nix"), path.join(profileBin, "nix")]);
    job.env.PATH = `${profileBin}:${job.env.PATH}`;

    const r = await runStep(job, "main", { substituters: LAN, "trusted-public-keys": LAN_KEY });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ environment: "image", "nix-version": VERSION });
    expect(existsSync(calls) ? readFileSync(calls, "utf8") : "").toBe("");
    const conf = showConfig(laterStepEnv(job));
    expect(count(conf.substituters.value, LAN)).toBe(1);
    expect(count(conf["trusted-public-keys"].value, LAN_KEY)).toBe(1);
  });
});

describe("config the file reader is not sure of", () => {
  it("a nix built by hand (may read another sysconfdir): asked with nix config show (show-config before 2.20)", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG });
    const bin = path.join(job.temp, "opt", "bin");
    mkdirSync(bin, { recursive: true });
    const calls = path.join(job.temp, "nix-calls.log");
    writeFileSync(path.join(bin, "nix"), `#!/bin/sh\necho "$*" >> ${calls}\nexec ${NIX_BIN} "$@"\n`, { mode: 0o755 });
    job.env.PATH = `${bin}:${job.env.PATH}`;
    const r = await runStep(job, "main", { substituters: LAN });
    expect(r.code, r.log).toBe(0);
    expect(readFileSync(calls, "utf8")).toMatch(new RegExp(`^--extra-experimental-features nix-command ${CONFIG_SHOW}$`, "m"));
    expect(count(showConfig(laterStepEnv(job)).substituters.value, LAN)).toBe(1);
  });

  it("is read with nix show-config instead, and takes effect once", async () => {
    // built-in values differ between Nix versions when NIX_STORE_DIR is set, so the reader defers to Nix
    const job = newJob({ NIX_CONFIG: `${TEST_NIX_CONFIG}\nextra-substituters = ${LAN}`, NIX_STORE_DIR: "/nix/store" });
    const r = await runStep(job, "main", { substituters: LAN, "trusted-public-keys": LAN_KEY });
    expect(r.code, r.log).toBe(0);
    const conf = showConfig(laterStepEnv(job));
    expect(count(conf.substituters.value, LAN)).toBe(1);
    expect(count(conf["trusted-public-keys"].value, LAN_KEY)).toBe(1);
  });

  it("that Nix itself rejects fails the step with Nix's own error", async () => {
    const job = newJob({ NIX_CONFIG: `${TEST_NIX_CONFIG}\ninclude /nowhere/nix.conf` });
    const r = await runStep(job, "main", { substituters: LAN });
    expect(r.code).toBe(1);
    // with its config broken, this Nix cannot even say its version, so the action asks with the
    // spelling every version answers
    expect(r.outputs["nix-version"] ?? "").toBe("");
    expect(r.log).toMatch(/::error::could not read Nix's configuration \('nix show-config' failed: .*\/nowhere\/nix\.conf/);
    expect(readFileSync(job.files.env, "utf8")).toBe("");
  });
});
