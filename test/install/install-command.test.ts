import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  certCandidates,
  daemonCommand,
  defaultInstallerUrl,
  effectiveInit,
  exactVersion,
  installCommand,
  installerCacheVersion,
  installerExtraConf,
  installerSettingsFromEnv,
  installerSystem,
  laterStepEnv,
  needsOwnDaemon,
  nixLayout,
  parseInstallerHelp,
  privilege,
  type CommandRequest,
} from "../../src/install/installer-command.js";

const BIN = "/tc/nix-installer";
const CONF_ALICE = "trusted-users = root alice";
const CONF_ROOT = "trusted-users = root";
const CONF_ROOT_CONTAINER = "trusted-users = root\nsandbox = false";
const CONF_ALICE_CONTAINER = "trusted-users = root alice\nsandbox = false";
const SUDO_ENV = ["sudo", "-n", "env", "NIX_INSTALLER_DIAGNOSTIC_ENDPOINT=", "DETSYS_IDS_TELEMETRY=disabled"];
/** Determinate's releases before 3.0: upstream Nix unless --determinate. */
const OLDEST_DETSYS = { preferUpstreamNix: false, determinateOptIn: true, nixPackageUrl: true };
/** 3.x: Determinate Nix unless --prefer-upstream-nix. */
const OLD_DETSYS = { preferUpstreamNix: true, determinateOptIn: true, nixPackageUrl: true };
/** Later: Determinate Nix only. */
const NEW_DETSYS = { preferUpstreamNix: false, determinateOptIn: false, nixPackageUrl: true };
const NIXOS = { preferUpstreamNix: false, determinateOptIn: false, nixPackageUrl: true };
const TELEMETRY = { NIX_INSTALLER_DIAGNOSTIC_ENDPOINT: "", DETSYS_IDS_TELEMETRY: "disabled" };
const MIRROR = "http://mirror.example/nix-2.24.10-x86_64-linux.tar.xz";

function req(over: Partial<CommandRequest>): CommandRequest {
  return {
    installer: "nixos",
    binary: BIN,
    init: "systemd",
    privilege: "root",
    user: "root",
    container: false,
    substituters: [],
    trustedPublicKeys: [],
    nixVersion: "",
    system: "x86_64-linux",
    offers: NIXOS,
    settings: {},
    ...over,
  };
}

describe("installCommand: every fact set and installer", () => {
  const rows: { name: string; r: Partial<CommandRequest>; argv: string[]; notes?: RegExp; env?: Record<string, string> }[] = [
    {
      name: "nixos, systemd, root",
      r: {},
      argv: [BIN, "install", "linux", "--no-confirm", "--extra-conf", CONF_ROOT],
    },
    {
      name: "nixos, no systemd, root (a job container)",
      r: { init: "none" },
      argv: [BIN, "install", "linux", "--no-confirm", "--init", "none", "--extra-conf", CONF_ROOT],
    },
    {
      name: "nixos, in a container, no systemd, root: sandbox = false, as the installer advises for containers",
      r: { init: "none", container: true },
      argv: [BIN, "install", "linux", "--no-confirm", "--init", "none", "--extra-conf", CONF_ROOT_CONTAINER],
    },
    {
      name: "nixos, in a container, no systemd, sudo",
      r: { init: "none", container: true, privilege: "sudo", user: "alice" },
      argv: [...SUDO_ENV, BIN, "install", "linux", "--no-confirm", "--init", "none", "--extra-conf", CONF_ALICE_CONTAINER],
    },
    {
      name: "nixos, in a container with systemd as PID 1: still no sandbox (the runtime's limits, not the init, decide)",
      r: { container: true },
      argv: [BIN, "install", "linux", "--no-confirm", "--extra-conf", CONF_ROOT_CONTAINER],
    },
    {
      name: "determinate (offers --prefer-upstream-nix), in a container, no systemd, root",
      r: { installer: "determinate", offers: OLD_DETSYS, init: "none", container: true },
      argv: [BIN, "install", "linux", "--no-confirm", "--init", "none", "--prefer-upstream-nix", "--extra-conf", CONF_ROOT_CONTAINER],
    },
    {
      name: "caches and the container's sandbox line together",
      r: { container: true, init: "none", substituters: ["https://a.example"], trustedPublicKeys: ["a:AAAA"] },
      argv: [
        BIN,
        "install",
        "linux",
        "--no-confirm",
        "--init",
        "none",
        "--extra-conf",
        "trusted-users = root\nsandbox = false\nextra-substituters = https://a.example\nextra-trusted-public-keys = a:AAAA",
      ],
    },
    {
      name: "nixos, systemd, sudo",
      r: { privilege: "sudo", user: "alice" },
      argv: [...SUDO_ENV, BIN, "install", "linux", "--no-confirm", "--extra-conf", CONF_ALICE],
    },
    {
      name: "nixos, no systemd, sudo",
      r: { privilege: "sudo", user: "alice", init: "none" },
      argv: [...SUDO_ENV, BIN, "install", "linux", "--no-confirm", "--init", "none", "--extra-conf", CONF_ALICE],
    },
    {
      name: "determinate (offers --prefer-upstream-nix), systemd, root",
      r: { installer: "determinate", offers: OLD_DETSYS },
      argv: [BIN, "install", "linux", "--no-confirm", "--prefer-upstream-nix", "--extra-conf", CONF_ROOT],
    },
    {
      name: "determinate (offers --prefer-upstream-nix), no systemd, root",
      r: { installer: "determinate", offers: OLD_DETSYS, init: "none" },
      argv: [BIN, "install", "linux", "--no-confirm", "--init", "none", "--prefer-upstream-nix", "--extra-conf", CONF_ROOT],
    },
    {
      name: "determinate (offers --prefer-upstream-nix), systemd, sudo",
      r: { installer: "determinate", offers: OLD_DETSYS, privilege: "sudo", user: "alice" },
      argv: [...SUDO_ENV, BIN, "install", "linux", "--no-confirm", "--prefer-upstream-nix", "--extra-conf", CONF_ALICE],
    },
    {
      name: "determinate (offers --prefer-upstream-nix), no systemd, sudo",
      r: { installer: "determinate", offers: OLD_DETSYS, privilege: "sudo", user: "alice", init: "none" },
      argv: [...SUDO_ENV, BIN, "install", "linux", "--no-confirm", "--init", "none", "--prefer-upstream-nix", "--extra-conf", CONF_ALICE],
    },
    {
      name: "determinate before 3.0 (--determinate is opt-in), no systemd, root: upstream Nix by default, no note",
      r: { installer: "determinate", offers: OLDEST_DETSYS, init: "none" },
      argv: [BIN, "install", "linux", "--no-confirm", "--init", "none", "--extra-conf", CONF_ROOT],
    },
    {
      name: "determinate (no longer offers it), systemd, root: no unknown flag, a note",
      r: { installer: "determinate", offers: NEW_DETSYS },
      argv: [BIN, "install", "linux", "--no-confirm", "--extra-conf", CONF_ROOT],
      notes: /installs Determinate Nix/,
    },
    {
      name: "determinate (no longer offers it), no systemd, sudo",
      r: { installer: "determinate", offers: NEW_DETSYS, privilege: "sudo", user: "alice", init: "none" },
      argv: [...SUDO_ENV, BIN, "install", "linux", "--no-confirm", "--init", "none", "--extra-conf", CONF_ALICE],
      notes: /installs Determinate Nix/,
    },
    {
      name: "caches from the inputs go to the installer's extra-conf",
      r: { substituters: ["https://a.example", "file:///srv/c"], trustedPublicKeys: ["a:AAAA", "b:BBBB"] },
      argv: [
        BIN,
        "install",
        "linux",
        "--no-confirm",
        "--extra-conf",
        "trusted-users = root\nextra-substituters = https://a.example file:///srv/c\nextra-trusted-public-keys = a:AAAA b:BBBB",
      ],
    },
    {
      name: "an exact nix-version is fetched through --nix-package-url",
      r: { nixVersion: "2.24.10", system: "aarch64-linux" },
      argv: [
        BIN,
        "install",
        "linux",
        "--no-confirm",
        "--nix-package-url",
        "https://releases.nixos.org/nix/nix-2.24.10/nix-2.24.10-aarch64-linux.tar.xz",
        "--extra-conf",
        CONF_ROOT,
      ],
    },
    {
      name: "a range leaves the installer's own Nix (checked afterwards)",
      r: { nixVersion: ">=2.18" },
      argv: [BIN, "install", "linux", "--no-confirm", "--extra-conf", CONF_ROOT],
    },
    {
      name: "an exact version the installer cannot fetch: a note, no unknown flag",
      r: { nixVersion: "2.24.10", offers: { preferUpstreamNix: false, determinateOptIn: false, nixPackageUrl: false } },
      argv: [BIN, "install", "linux", "--no-confirm", "--extra-conf", CONF_ROOT],
      notes: /does not offer --nix-package-url/,
    },
    {
      name: "the job's NIX_INSTALLER_* settings reach the installer through sudo, which resets the environment",
      r: { installer: "determinate", offers: OLDEST_DETSYS, privilege: "sudo", user: "alice", settings: { NIX_INSTALLER_NIX_PACKAGE_URL: MIRROR } },
      argv: [...SUDO_ENV, `NIX_INSTALLER_NIX_PACKAGE_URL=${MIRROR}`, BIN, "install", "linux", "--no-confirm", "--extra-conf", CONF_ALICE],
      env: { ...TELEMETRY, NIX_INSTALLER_NIX_PACKAGE_URL: MIRROR },
    },
    {
      name: "an exact nix-version with a mirror in the job's env: the mirror, not releases.nixos.org",
      r: { nixVersion: "2.24.10", settings: { NIX_INSTALLER_NIX_PACKAGE_URL: MIRROR } },
      argv: [BIN, "install", "linux", "--no-confirm", "--extra-conf", CONF_ROOT],
      env: { ...TELEMETRY, NIX_INSTALLER_NIX_PACKAGE_URL: MIRROR },
    },
  ];
  it.each(rows)("$name", ({ r, argv, notes, env }) => {
    const cmd = installCommand(req(r));
    expect(cmd.argv).toEqual(argv);
    expect(cmd.env).toEqual(env ?? TELEMETRY);
    if (notes) expect(cmd.notes.join("\n")).toMatch(notes);
    else expect(cmd.notes).toEqual([]);
  });
});

describe("privilege", () => {
  it.each([
    { uid: 0, sudo: false, how: "root" },
    { uid: 0, sudo: true, how: "root" },
    { uid: 1001, sudo: true, how: "sudo" },
    { uid: 1001, sudo: false, how: "none" },
  ])("uid $uid, sudo $sudo → $how", ({ uid, sudo, how }) => {
    const p = privilege(uid, sudo, "runner");
    expect(p.how).toBe(how);
    if (p.how === "none") expect(p.reason).toMatch(/needs root.*"runner" \(uid 1001\).*sudo -n.*--user root/);
  });
});

describe("small decisions", () => {
  it.each([
    ["x64", "linux", "x86_64-linux"],
    ["arm64", "linux", "aarch64-linux"],
    ["ia32", "linux", undefined],
    ["x64", "darwin", undefined],
  ])("installerSystem(%s, %s) = %s", (arch, platform, want) => expect(installerSystem(arch, platform)).toBe(want));

  it("default installer URLs are each installer's published latest binary", () => {
    expect(defaultInstallerUrl("nixos", "x86_64-linux")).toBe("https://artifacts.nixos.org/nix-installer/nix-installer-x86_64-linux");
    expect(defaultInstallerUrl("determinate", "aarch64-linux")).toBe("https://install.determinate.systems/nix/nix-installer-aarch64-linux");
  });

  it.each([
    ["auto", "systemd", "systemd"],
    ["auto", "none", "none"],
    ["none", "systemd", "none"],
    ["systemd", "none", "systemd"],
  ] as const)("init input %s with PID 1 %s → %s", (input, detected, want) => expect(effectiveInit(input, detected)).toBe(want));

  it.each([
    ["2.24.10", "2.24.10"],
    ["=2.24.10", "2.24.10"],
    ["v2.8.0", "2.8.0"],
    [">=2.18", undefined],
    ["2.24.x", undefined],
    ["~2.24.1", undefined],
    ["2.24.10 || 2.25.0", undefined],
    ["", undefined],
  ])("exactVersion(%j) = %s", (range, want) => expect(exactVersion(range)).toBe(want));

  it("the cache version: pinned by hash forever, unpinned per URL and day; both valid semver for the tool cache", () => {
    const pin = "0".repeat(64);
    expect(installerCacheVersion(pin, "ab".repeat(32), "20261122")).toBe(`0.0.0-sha256-${pin}`);
    expect(installerCacheVersion("", "ab".repeat(32), "20261122")).toBe("0.0.0-url-abababababababab-20261122");
  });

  it("help text tells which optional flags a release offers", () => {
    expect(parseInstallerHelp("  --prefer-upstream-nix\n  --nix-package-url <URL>")).toEqual({ preferUpstreamNix: true, determinateOptIn: false, nixPackageUrl: true });
    expect(parseInstallerHelp("  --extra-conf <EXTRA_CONF>")).toEqual({ preferUpstreamNix: false, determinateOptIn: false, nixPackageUrl: false });
    expect(parseInstallerHelp("  --determinate-nixd <PATH>")).toEqual({ preferUpstreamNix: false, determinateOptIn: false, nixPackageUrl: false });
  });

  it.each([
    // `install linux --help` recorded from the real binaries: Determinate's as scripts/determinate/build.mjs
    // builds it; the NixOS installer's (in no package registry here) from a build of its 2.33.1
    // release, kept as the record the action's flags are checked against
    ["determinate-0.23.0", { preferUpstreamNix: false, determinateOptIn: true, nixPackageUrl: true }],
    ["nixos-2.33.1", { preferUpstreamNix: false, determinateOptIn: false, nixPackageUrl: false }],
  ])("reads the real help of %s", (name, offers) => {
    const help = readFileSync(fileURLToPath(new URL(`../fixtures/installer-help/${name}.txt`, import.meta.url)), "utf8");
    expect(parseInstallerHelp(help)).toEqual(offers);
  });

  it("hands on the installers' own NIX_INSTALLER_* settings and nothing else", () => {
    expect(installerSettingsFromEnv({ NIX_INSTALLER_NIX_PACKAGE_URL: MIRROR, NIX_INSTALLER_FOO: "1", NIX_CONFIG: "x", INPUT_NETRC: "s", nix_installer_x: "y" })).toEqual({
      NIX_INSTALLER_NIX_PACKAGE_URL: MIRROR,
      NIX_INSTALLER_FOO: "1",
    });
  });

  it("trusted-users names root once", () => {
    expect(installerExtraConf("root", [], [], false)).toBe("trusted-users = root");
    expect(installerExtraConf("runner", [], [], false)).toBe("trusted-users = root runner");
    expect(installerExtraConf("runner", [], [], true)).toBe("trusted-users = root runner\nsandbox = false");
  });

  it.each([
    ["none", 1001, true],
    ["none", 0, false],
    ["systemd", 1001, false],
    ["systemd", 0, false],
  ] as const)("own daemon with init %s, uid %d: %s", (init, uid, want) => expect(needsOwnDaemon(init, uid)).toBe(want));

  it("the daemon behind sudo gets its socket path through env, since sudo resets the environment; never NIX_CONFIG (argv is public)", () => {
    expect(daemonCommand("/nix/bin/nix-daemon", "sudo", { NIX_DAEMON_SOCKET_PATH: "/t/s", HOME: "/h", NIX_CONFIG: "access-tokens = github.com=secret" })).toEqual([
      "sudo",
      "-n",
      "env",
      "NIX_REMOTE=local",
      "NIX_DAEMON_SOCKET_PATH=/t/s",
      "/nix/bin/nix-daemon",
    ]);
    expect(daemonCommand("/nix/bin/nix-daemon", "root", { NIX_DAEMON_SOCKET_PATH: "/t/s" })).toEqual(["env", "NIX_REMOTE=local", "/nix/bin/nix-daemon"]);
  });

  it("later steps get NIX_PROFILES and the first CA bundle that exists, unless NIX_SSL_CERT_FILE is set", () => {
    const layout = nixLayout("/nix", "/home/r");
    expect(layout.bin).toBe("/nix/var/nix/profiles/default/bin");
    const fedora = "/etc/pki/tls/certs/ca-bundle.crt";
    expect(laterStepEnv(layout, {}, (p) => p === fedora)).toEqual({
      NIX_PROFILES: "/nix/var/nix/profiles/default /home/r/.nix-profile",
      NIX_SSL_CERT_FILE: fedora,
    });
    const inProfile = certCandidates(layout.defaultProfile, layout.userProfile).at(-1)!;
    expect(laterStepEnv(layout, {}, (p) => p === inProfile).NIX_SSL_CERT_FILE).toBe("/nix/var/nix/profiles/default/etc/ssl/certs/ca-bundle.crt");
    expect(laterStepEnv(layout, { NIX_SSL_CERT_FILE: "/mine.pem" }, () => true).NIX_SSL_CERT_FILE).toBeUndefined();
    expect(laterStepEnv(layout, {}, () => false).NIX_SSL_CERT_FILE).toBeUndefined();
  });

});
