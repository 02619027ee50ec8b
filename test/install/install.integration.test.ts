import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { classify, type Facts } from "../../src/detect/classify.js";
import { readInputs } from "../../src/inputs.js";
import { socketAnswers, waitForSocket } from "../../src/nix/daemon.js";
import { installNix } from "../../src/install/install.js";
import { ActionError } from "../../src/errors.js";
import { ensureUser, TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { newJob, parseEnvFile, type Job } from "../../scripts/lib/runner.mjs";
import { serve, type Served } from "../../scripts/lib/http-server.mjs";
import { calls, newPrefix, STAND_IN_INSTALLER } from "../../scripts/lib/stand-in-installer.mjs";
import { systemNixVersion } from "../helpers/nix.js";
import { sudoCalls, sudoStandIn } from "../helpers/sudo.js";

// The installer stand-in installs the system's Nix (Debian's /usr/bin/nix) whatever Nix is first on
// PATH, so on every cell of the matrix these tests hold for that version: what was installed is reported.
const INSTALLED = systemNixVersion();
import { stopOwnDaemon } from "../../src/nix/daemon.js";
import { alive, stopPids } from "../../scripts/lib/process.mjs";

const MIRROR = "/mirror/nix-installer";
const SHA = createHash("sha256").update(STAND_IN_INSTALLER).digest("hex");
const TELEMETRY = ["NIX_INSTALLER_DIAGNOSTIC_ENDPOINT=", "DETSYS_IDS_TELEMETRY=disabled"];

let server: Served;
let saved: NodeJS.ProcessEnv;
let job: Job;
let prefix: string;
let bin: string;
let out: string;
const daemons: number[] = [];

beforeAll(async () => {
  server = await serve({
    [MIRROR]: STAND_IN_INSTALLER,
    "/nix-installer/nix-installer-x86_64-linux": STAND_IN_INSTALLER,
    "/nix/nix-installer-x86_64-linux": STAND_IN_INSTALLER,
  });
});
afterAll(async () => {
  await server.stop();
});

beforeEach(() => {
  saved = { ...process.env };
  job = newJob();
  prefix = newPrefix();
  bin = path.join(prefix, "var/nix/profiles/default/bin");
  server.requests.length = 0;
  out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  Object.assign(process.env, {
    RUNNER_TEMP: job.temp,
    RUNNER_TOOL_CACHE: path.join(job.temp, "toolcache"),
    GITHUB_ENV: job.files.env,
    GITHUB_PATH: job.files.path,
    GITHUB_OUTPUT: job.files.output,
    GITHUB_STATE: job.files.state,
    HOME: job.temp,
    NIX_RUNNER_ACTION_TEST_NIX_PREFIX: prefix,
    NIX_DAEMON_SOCKET_PATH: path.join(prefix, "socket"),
    NIX_CONFIG: TEST_NIX_CONFIG,
  });
  delete process.env.ACTIONS_CACHE_URL;
  delete process.env.ACTIONS_RESULTS_URL;
  delete process.env.NIX_SSL_CERT_FILE;
});

afterEach(async () => {
  vi.restoreAllMocks();
  await stopPids(daemons.splice(0));
  process.env = saved;
  rmSync(job.temp, { recursive: true, force: true });
  rmSync(prefix, { recursive: true, force: true });
});

function facts(over: Partial<Facts>): Facts {
  return {
    nixPath: undefined,
    nixVersion: undefined,
    daemonSocket: false,
    viaDaemon: false,
    storeWritable: false,
    autoPicksDaemon: false,
    uid: 0,
    user: "root",
    sudo: false,
    daemonSharesConfig: false,
    pid1Systemd: false,
    container: true,
    platform: "github",
    ...over,
  };
}

async function install(f: Facts, inputs: Record<string, string> = {}) {
  const all: Record<string, string> = { "installer-url": `${server.origin}${MIRROR}`, ...inputs };
  const parsed = await readInputs((n) => all[n] ?? "");
  return installNix(parsed, f, classify(f, "install"));
}

describe("installNix per facts (stand-in installer served locally)", () => {
  it("root in a container without systemd: --init none, no sudo, no daemon; PATH and env for later steps", async () => {
    const after = await install(facts({}), { substituters: "https://cache.example.org", "trusted-public-keys": "" });
    const [call] = calls(prefix);
    expect(call.argv).toEqual([
      "install",
      "linux",
      "--no-confirm",
      "--init",
      "none",
      "--extra-conf",
      "trusted-users = root\nsandbox = false\nextra-substituters = https://cache.example.org",
    ]);
    expect(call.uid).toBe(0);
    expect(call.env.NIX_INSTALLER_DIAGNOSTIC_ENDPOINT).toBe("");
    expect(call.env.DETSYS_IDS_TELEMETRY).toBe("disabled");
    expect(calls(prefix)).toHaveLength(1);

    expect(readFileSync(job.files.path, "utf8").split("\n").filter(Boolean)).toEqual([bin, path.join(job.temp, ".nix-profile/bin")]);
    const exported = parseEnvFile(readFileSync(job.files.env, "utf8"));
    expect(exported.NIX_PROFILES).toBe(`${path.join(prefix, "var/nix/profiles/default")} ${path.join(job.temp, ".nix-profile")}`);
    expect(exported.NIX_SSL_CERT_FILE).toBe("/etc/ssl/certs/ca-certificates.crt");
    expect(process.env.PATH?.split(":").slice(0, 2)).toEqual([path.join(job.temp, ".nix-profile/bin"), bin]);

    expect(after).toMatchObject({ nixPath: path.join(bin, "nix"), nixVersion: { implementation: "upstream", version: INSTALLED }, viaDaemon: false, storeWritable: true });
    expect(existsSync(path.join(prefix, "socket"))).toBe(false);
    expect(existsSync(path.join(job.temp, "nix-runner-action", "nix-daemon.pid"))).toBe(false);
  });

  it("root with systemd as PID 1 on a machine (not a container): the installer's own init, no --init none, the sandbox left on", async () => {
    await install(facts({ pid1Systemd: true, container: false }));
    expect(calls(prefix)[0].argv).toEqual(["install", "linux", "--no-confirm", "--extra-conf", "trusted-users = root"]);
  });

  it("init: none wins over a detected systemd", async () => {
    await install(facts({ pid1Systemd: true }), { init: "none" });
    expect(calls(prefix)[0].argv).toContain("--init");
  });

  it("not root, sudo works, systemd: the installer runs through sudo -n with telemetry off passed through env (sudo stand-in: this machine has no sudo)", async () => {
    const sudo = sudoStandIn();
    process.env.PATH = `${sudo.dir}:${process.env.PATH}`;
    const after = await install(facts({ uid: 1001, user: "nixtest", sudo: true, pid1Systemd: true, container: false }));
    const [installCall, ...rest] = sudoCalls(sudo.log);
    expect(installCall.slice(0, 4)).toEqual(["-n", "env", ...TELEMETRY]);
    expect(installCall.slice(5)).toEqual(["install", "linux", "--no-confirm", "--extra-conf", "trusted-users = root nixtest"]);
    expect(path.basename(installCall[4])).toBe("nix-installer");
    expect(rest).toEqual([]); // systemd starts the daemon, not us
    expect(after.viaDaemon).toBe(true);
    rmSync(path.dirname(sudo.dir), { recursive: true, force: true });
  });

  it("not root, sudo works, no init: installs with --init none, then starts a real nix-daemon on the job's socket that a non-root user can use (sudo stand-in: this machine has no sudo)", async () => {
    const sudo = sudoStandIn();
    process.env.PATH = `${sudo.dir}:${process.env.PATH}`;
    const user = ensureUser();
    const socket = path.join(prefix, "socket");
    const after = await install(facts({ uid: user.uid, user: user.name, sudo: true }));
    const pid = Number(readFileSync(path.join(job.temp, "nix-runner-action", "nix-daemon.pid"), "utf8"));
    daemons.push(pid);

    const [installCall, daemonCall] = sudoCalls(sudo.log);
    expect(installCall.slice(5)).toEqual(["install", "linux", "--no-confirm", "--init", "none", "--extra-conf", `trusted-users = root ${user.name}\nsandbox = false`]);
    expect(daemonCall).toEqual(["-n", "env", "NIX_REMOTE=local", `NIX_DAEMON_SOCKET_PATH=${socket}`, path.join(bin, "nix-daemon")]);
    expect(alive(pid)).toBe(true);
    expect(after).toMatchObject({ viaDaemon: true, daemonSocket: true, nixVersion: { implementation: "upstream", version: INSTALLED } });

    const file = path.join(prefix, "from-nixtest.txt");
    writeFileSync(file, `added through the job's daemon ${Date.now()} ${Math.random()}\n`);
    chmodSync(file, 0o644);
    const r = spawnSync(path.join(bin, "nix-store"), ["--add", file], {
      uid: user.uid,
      gid: user.gid,
      env: { PATH: process.env.PATH, HOME: prefix, NIX_DAEMON_SOCKET_PATH: socket, NIX_REMOTE: "daemon" },
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toMatch(/^\/nix\/store\/[a-z0-9]{32}-from-nixtest\.txt$/);

    // the post step stops it: the daemon served this job only
    await stopOwnDaemon();
    expect(alive(pid)).toBe(false);
    expect(existsSync(path.join(job.temp, "nix-runner-action", "nix-daemon.pid"))).toBe(false);
    expect(out).toContain(`Stopped the nix-daemon (pid ${pid}) this job started`);
    rmSync(path.dirname(sudo.dir), { recursive: true, force: true });
  });

  it("a stale daemon socket left by a killed daemon is replaced by a daemon that answers (sudo stand-in)", async () => {
    const sudo = sudoStandIn();
    process.env.PATH = `${sudo.dir}:${process.env.PATH}`;
    const socket = path.join(prefix, "socket");
    const holder = spawn("python3", ["-c", `import socket,time\ns=socket.socket(socket.AF_UNIX)\ns.bind(${JSON.stringify(socket)})\ns.listen()\ntime.sleep(60)`], {
      stdio: "ignore",
    });
    expect(await waitForSocket(socket, 5000)).toBe(true);
    const gone = new Promise((r) => holder.once("exit", r));
    holder.kill("SIGKILL");
    await gone;
    expect(await socketAnswers(socket)).toBe(false);

    await install(facts({ uid: 1001, user: "nixtest", sudo: true }));
    daemons.push(Number(readFileSync(path.join(job.temp, "nix-runner-action", "nix-daemon.pid"), "utf8")));
    expect(await socketAnswers(socket)).toBe(true);
    rmSync(path.dirname(sudo.dir), { recursive: true, force: true });
  });

  it("not root and no sudo: refuses before downloading, saying what the runner image lacks", async () => {
    const err = await install(facts({ uid: 1001, user: "runner", sudo: false })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toMatch(/needs root.*"runner" \(uid 1001\).*sudo -n.*(no sudo|password)/);
    expect(server.requests).toEqual([]);
    expect(calls(prefix)).toEqual([]);
  });

  it("a daemon whose socket never appears: bounded wait, the process is stopped, a clear error (sudo stand-in)", async () => {
    const sudo = sudoStandIn();
    process.env.PATH = `${sudo.dir}:${process.env.PATH}`;
    process.env.NIX_RUNNER_ACTION_TEST_DAEMON_TIMEOUT_MS = "1500";
    writeFileSync(path.join(prefix, "daemon-never-listens"), "");
    const t0 = Date.now();
    const err = await install(facts({ uid: 1001, user: "nixtest", sudo: true })).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toBe(
      `nix-daemon (${path.join(bin, "nix-daemon")}, through sudo) did not create its socket ${path.join(prefix, "socket")} within 2 s and was stopped`,
    );
    const pid = Number(readFileSync(path.join(prefix, "daemon.pid"), "utf8"));
    for (let i = 0; i < 20 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
    rmSync(path.dirname(sudo.dir), { recursive: true, force: true });
  });
});

describe("installer choice, URLs and versions (stand-in installer served locally)", () => {
  it("nixos without installer-url downloads from the NixOS location (origin redirected to the local server)", async () => {
    process.env.NIX_RUNNER_ACTION_TEST_DOWNLOAD_ORIGIN = server.origin;
    await install(facts({}), { "installer-url": "" });
    expect(server.requests).toEqual(["/nix-installer/nix-installer-x86_64-linux"]);
  });

  it("determinate: its own location, --prefer-upstream-nix where the release offers it, telemetry off", async () => {
    process.env.NIX_RUNNER_ACTION_TEST_DOWNLOAD_ORIGIN = server.origin;
    writeFileSync(path.join(prefix, "help.txt"), "      --prefer-upstream-nix\n      --nix-package-url <NIX_PACKAGE_URL>\n      --extra-conf <EXTRA_CONF>\n");
    await install(facts({}), { installer: "determinate", "installer-url": "" });
    expect(server.requests).toEqual(["/nix/nix-installer-x86_64-linux"]);
    const [call] = calls(prefix);
    expect(call.argv).toEqual(["install", "linux", "--no-confirm", "--init", "none", "--prefer-upstream-nix", "--extra-conf", "trusted-users = root\nsandbox = false"]);
    expect(call.env.NIX_INSTALLER_DIAGNOSTIC_ENDPOINT).toBe("");
    expect(call.env.DETSYS_IDS_TELEMETRY).toBe("disabled");
  });

  it("determinate releases that dropped --prefer-upstream-nix get no unknown flag, and the user is warned", async () => {
    await install(facts({}), { installer: "determinate" });
    expect(calls(prefix)[0].argv).not.toContain("--prefer-upstream-nix");
    expect(out).toMatch(/::warning::installer: this release of Determinate's installer no longer offers --prefer-upstream-nix/);
  });

  it("an unpinned plain-http mirror gets a warning; a pinned one does not", async () => {
    await install(facts({}));
    expect(out).toMatch(/::warning::installer-url: http:\/\/127\.0\.0\.1:\d+\/mirror\/nix-installer is plain http and not pinned/);
    out = "";
    process.env.NIX_RUNNER_ACTION_TEST_NIX_PREFIX = newPrefix();
    await install(facts({}), { "installer-sha256": SHA });
    expect(out).not.toMatch(/::warning::installer-url/);
    rmSync(process.env.NIX_RUNNER_ACTION_TEST_NIX_PREFIX, { recursive: true, force: true });
  });

  it("a good installer-sha256 pin installs; a wrong one refuses to run anything and names both hashes", async () => {
    await install(facts({}), { "installer-sha256": SHA.toUpperCase() });
    expect(calls(prefix)).toHaveLength(1);

    const prefix2 = newPrefix();
    process.env.NIX_RUNNER_ACTION_TEST_NIX_PREFIX = prefix2;
    process.env.RUNNER_TOOL_CACHE = path.join(job.temp, "toolcache2");
    const wrong = "0".repeat(64);
    const err = await install(facts({}), { "installer-sha256": wrong }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toContain(SHA);
    expect((err as Error).message).toContain(wrong);
    expect(calls(prefix2)).toEqual([]);
    rmSync(prefix2, { recursive: true, force: true });
  });

  it("an exact nix-version is asked of the installer through --nix-package-url, and checked", async () => {
    writeFileSync(path.join(prefix, "help.txt"), "      --nix-package-url <NIX_PACKAGE_URL>\n");
    const after = await install(facts({}), { "nix-version": INSTALLED });
    expect(calls(prefix)[0].argv).toEqual(
      expect.arrayContaining(["--nix-package-url", `https://releases.nixos.org/nix/nix-${INSTALLED}/nix-${INSTALLED}-x86_64-linux.tar.xz`]),
    );
    expect(after.nixVersion?.version).toBe("2.8.0");
  });

  it("a nix-version range the installed Nix does not satisfy fails clearly", async () => {
    const err = await install(facts({}), { "nix-version": ">=2.18" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toMatch(new RegExp(`nix-version: the installer installed Nix ${INSTALLED.replace(/\./g, "\\.")}, which does not satisfy ">=2\\.18"`));
  });

  it("a failing installer: its exit code and first error line", async () => {
    writeFileSync(path.join(prefix, "fail"), "");
    const err = await install(facts({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toMatch(/installer failed \(exit 3\): error: could not create the nixbld group/);
  });

  it("installer: none fails clearly without downloading anything", async () => {
    const err = await install(facts({}), { installer: "none" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toMatch(/installer is "none".*mode: image.*installer: nixos/);
    expect(server.requests).toEqual([]);
  });

  it("a second run in the same job finds its Nix and neither downloads nor installs again", async () => {
    await install(facts({}));
    const requests = server.requests.length;
    const after = await install(facts({}));
    expect(server.requests.length).toBe(requests);
    expect(calls(prefix)).toHaveLength(1);
    expect(after.nixVersion?.version).toBe(INSTALLED);
  });
});
