import path from "node:path";
import semver from "semver";

/**
 * The pure half of installing Nix: which installer binary, which command line, which privileges,
 * what later steps need in their environment. Plain data in, plain data out; install.ts does the I/O.
 */

export type InstallerKind = "nixos" | "determinate";

/** The installer's name for this machine, e.g. x86_64-linux; undefined where no installer exists. */
export function installerSystem(arch: string, platform: string): string | undefined {
  if (platform !== "linux") return undefined;
  const cpu = ({ x64: "x86_64", arm64: "aarch64" } as Record<string, string>)[arch];
  return cpu ? `${cpu}-linux` : undefined;
}

/** Where each installer publishes its latest binary for `system`. */
export function defaultInstallerUrl(installer: InstallerKind, system: string): string {
  return installer === "nixos"
    ? `https://artifacts.nixos.org/nix-installer/nix-installer-${system}`
    : `https://install.determinate.systems/nix/nix-installer-${system}`;
}

/**
 * The tool-cache version under which a downloaded installer is kept. A pinned binary is the same
 * forever, so its hash is the key. An unpinned URL (usually "latest") may change, so its key also
 * carries the day: a persistent runner downloads it at most once a day.
 */
export function installerCacheVersion(pin: string, urlDigest: string, day: string): string {
  return pin ? `0.0.0-sha256-${pin}` : `0.0.0-url-${urlDigest.slice(0, 16)}-${day}`;
}

/** What `nix-installer install linux --help` says the binary accepts. */
export interface InstallerOffers {
  preferUpstreamNix: boolean;
  /**
   * Determinate's releases before 3.0 (0.23.0 among them) install upstream Nix unless given
   * `--determinate`; they list that flag and no `--prefer-upstream-nix`.
   */
  determinateOptIn: boolean;
  nixPackageUrl: boolean;
}

export function parseInstallerHelp(help: string): InstallerOffers {
  return {
    preferUpstreamNix: /--prefer-upstream-nix\b/.test(help),
    determinateOptIn: /--determinate(?![\w-])/.test(help),
    nixPackageUrl: /--nix-package-url\b/.test(help),
  };
}

/**
 * The installer's own settings in the job's environment (both installers read NIX_INSTALLER_*, e.g.
 * NIX_INSTALLER_NIX_PACKAGE_URL for a mirror of the Nix tarball on an air-gapped runner). They are
 * handed on explicitly, because sudo resets the environment.
 */
export function installerSettingsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (/^NIX_INSTALLER_[A-Z0-9_]+$/.test(k) && v !== undefined) out[k] = v;
  return out;
}

/** How this job gets root: already root, through `sudo -n`, or not at all (with the reason). */
export type Privilege = { how: "root" } | { how: "sudo" } | { how: "none"; reason: string };

export function privilege(uid: number, sudo: boolean, user: string): Privilege {
  if (uid === 0) return { how: "root" };
  if (sudo) return { how: "sudo" };
  return {
    how: "none",
    reason:
      `installing Nix needs root, but this job runs as "${user}" (uid ${uid}) and 'sudo -n' does not work here ` +
      `(the runner image has no sudo, or sudo asks for a password). Run the job as root (for a job container: ` +
      `options: --user root), give "${user}" passwordless sudo in the image, use an image that has Nix (mode: image), ` +
      `or set installer: none to make this check explicit`,
  };
}

/** Which init the installer sets up: the input wins, `auto` follows what PID 1 is. */
export function effectiveInit(input: "auto" | "systemd" | "none", detected: "systemd" | "none"): "systemd" | "none" {
  return input === "auto" ? detected : input;
}

/**
 * The exact Nix version a `nix-version` range names, when it names exactly one (`2.24.10`,
 * `=2.24.10`); ranges like `>=2.18` or `2.24.x` name none, and the installer's own Nix is checked instead.
 */
export function exactVersion(range: string): string | undefined {
  if (!range) return undefined;
  let r: semver.Range;
  try {
    r = new semver.Range(range);
  } catch {
    return undefined;
  }
  if (r.set.length !== 1 || r.set[0].length !== 1) return undefined;
  const c = r.set[0][0];
  return c.operator === "" && c.semver instanceof semver.SemVer ? c.semver.version : undefined;
}

/** The upstream release tarball of Nix `version` for `system`, as the installers' --nix-package-url takes it. */
export function nixPackageUrl(version: string, system: string): string {
  return `https://releases.nixos.org/nix/nix-${version}/nix-${version}-${system}.tar.xz`;
}

/**
 * The lines the installer appends to /etc/nix/nix.conf: trust for the job's user, the job's caches,
 * and in a container `sandbox = false`. The sandbox needs namespaces and mounts that container
 * runtimes usually deny (Podman, which Forgejo's runner supports, always; Docker unless privileged),
 * and the NixOS installer's own instructions for `--init none` containers pass exactly this line.
 */
export function installerExtraConf(user: string, substituters: string[], trustedPublicKeys: string[], container: boolean): string {
  const users = [...new Set(["root", user])];
  const lines = [`trusted-users = ${users.join(" ")}`];
  if (container) lines.push("sandbox = false");
  if (substituters.length) lines.push(`extra-substituters = ${substituters.join(" ")}`);
  if (trustedPublicKeys.length) lines.push(`extra-trusted-public-keys = ${trustedPublicKeys.join(" ")}`);
  return lines.join("\n");
}

/**
 * Variables that keep the installers from reporting home. Determinate's installer documents an empty
 * diagnostic endpoint; its telemetry client also honours DETSYS_IDS_TELEMETRY=disabled, which does not
 * depend on how an empty endpoint is parsed. The NixOS fork has no diagnostics, and ignores both.
 */
export const TELEMETRY_OFF: Readonly<Record<string, string>> = {
  NIX_INSTALLER_DIAGNOSTIC_ENDPOINT: "",
  DETSYS_IDS_TELEMETRY: "disabled",
};

export interface CommandRequest {
  installer: InstallerKind;
  /** Path of the downloaded installer binary. */
  binary: string;
  init: "systemd" | "none";
  privilege: "root" | "sudo";
  user: string;
  /** The job runs in a container (facts.container): the installed Nix gets `sandbox = false`. */
  container: boolean;
  substituters: string[];
  trustedPublicKeys: string[];
  /** The nix-version range input ("" for none). */
  nixVersion: string;
  system: string;
  offers: InstallerOffers;
  /** installerSettingsFromEnv of the job's environment. */
  settings: Record<string, string>;
}

export interface InstallCommand {
  /** argv[0] is the program. */
  argv: string[];
  /** Variables the program must see; with sudo they are also on the command line, since sudo resets the environment. */
  env: Record<string, string>;
  /** Things the user should know about this choice (a flag the binary no longer offers, …). */
  notes: string[];
}

/** The installer's command line for these facts. */
export function installCommand(req: CommandRequest): InstallCommand {
  const notes: string[] = [];
  const args = ["install", "linux", "--no-confirm"];
  if (req.init === "none") args.push("--init", "none");
  if (req.installer === "determinate") {
    if (req.offers.preferUpstreamNix) args.push("--prefer-upstream-nix");
    else if (!req.offers.determinateOptIn) notes.push("this release of Determinate's installer no longer offers --prefer-upstream-nix: it installs Determinate Nix, not upstream Nix");
  }
  const pinned = exactVersion(req.nixVersion);
  // a mirror named in the job's env wins over releases.nixos.org; the installed version is checked after
  if (pinned && !req.settings.NIX_INSTALLER_NIX_PACKAGE_URL) {
    if (req.offers.nixPackageUrl) args.push("--nix-package-url", nixPackageUrl(pinned, req.system));
    else notes.push(`this installer does not offer --nix-package-url, so it installs its own Nix, not ${pinned}`);
  }
  args.push("--extra-conf", installerExtraConf(req.user, req.substituters, req.trustedPublicKeys, req.container));
  const env = { ...TELEMETRY_OFF, ...req.settings };
  const argv =
    req.privilege === "root"
      ? [req.binary, ...args]
      : ["sudo", "-n", "env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), req.binary, ...args];
  return { argv, env, notes };
}

/** Where the installers put Nix. `prefix` is /nix except in tests. */
export function nixLayout(prefix: string, home: string) {
  const defaultProfile = path.join(prefix, "var/nix/profiles/default");
  const userProfile = path.join(home, ".nix-profile");
  return {
    defaultProfile,
    userProfile,
    bin: path.join(defaultProfile, "bin"),
    userBin: path.join(userProfile, "bin"),
    receipt: path.join(prefix, "receipt.json"),
  };
}

/** CA bundles, in the order Nix's own profile script tries them. */
export function certCandidates(defaultProfile: string, userProfile: string): string[] {
  return [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/certs/ca-bundle.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    path.join(userProfile, "etc/ssl/certs/ca-bundle.crt"),
    path.join(userProfile, "etc/ca-bundle.crt"),
    path.join(defaultProfile, "etc/ssl/certs/ca-bundle.crt"),
  ];
}

/**
 * What later steps need, as Nix's profile script (nix-daemon.sh) would set it: NIX_PROFILES, and
 * NIX_SSL_CERT_FILE when the job has none and a bundle exists. `exists` answers for certCandidates.
 */
export function laterStepEnv(
  layout: ReturnType<typeof nixLayout>,
  env: NodeJS.ProcessEnv,
  exists: (p: string) => boolean,
): Record<string, string> {
  const out: Record<string, string> = { NIX_PROFILES: `${layout.defaultProfile} ${layout.userProfile}` };
  if (!env.NIX_SSL_CERT_FILE) {
    const cert = certCandidates(layout.defaultProfile, layout.userProfile).find(exists);
    if (cert) out.NIX_SSL_CERT_FILE = cert;
  }
  return out;
}

/** A daemon is ours to start when nothing else will: no init system, and a user who cannot use the store directly. */
export function needsOwnDaemon(init: "systemd" | "none", uid: number): boolean {
  return init === "none" && uid !== 0;
}

/**
 * The daemon's command line. NIX_REMOTE=local: the daemon serves the store itself; left to Nix's
 * automatic choice, a daemon on a store whose /nix/var/nix is not there yet finds its own socket
 * and connects to itself, again and again, until fork fails. With sudo, the variables that place
 * its socket and state go through `env` too, since sudo resets the environment. Paths only:
 * NIX_CONFIG may hold tokens, and argv is visible to every user; the daemon reads the nix.conf the
 * installer wrote.
 */
export function daemonCommand(daemon: string, priv: "root" | "sudo", env: NodeJS.ProcessEnv): string[] {
  if (priv === "root") return ["env", "NIX_REMOTE=local", daemon];
  const keep = ["NIX_DAEMON_SOCKET_PATH", "NIX_STATE_DIR", "NIX_CONF_DIR"].filter((k) => env[k]);
  return ["sudo", "-n", "env", "NIX_REMOTE=local", ...keep.map((k) => `${k}=${env[k]}`), daemon];
}
