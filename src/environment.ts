import { access, constants, readdir, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Mode } from "./inputs.js";
import { run } from "./exec.js";
import { socketAnswers } from "./nix/daemon.js";
import { locateNix, type NixFound, which } from "./nix/locate.js";

export type Platform = "github" | "gitea" | "forgejo" | "act";
export type Kind = "image" | "native" | "installed";

/** Everything detection looks at, gathered by cheap probes. Plain data so classify() stays pure. */
export interface Facts {
  nixPath: string | undefined;
  nixVersion: string | undefined;
  daemonSocket: boolean;
  /** NIX_REMOTE names the daemon, or the store is not writable and the socket is there. */
  viaDaemon: boolean;
  /** This user can open the store directly (see storeAccess): it is writable, or Nix could create what is missing. */
  storeWritable: boolean;
  /**
   * With NIX_REMOTE unset, Nix itself picks the daemon (its state dir is not writable and the socket
   * exists). When we go through the daemon but Nix would not (a writable /nix/var/nix over a read-only
   * store or database), the job needs NIX_REMOTE=daemon.
   */
  autoPicksDaemon: boolean;
  uid: number;
  user: string;
  /** `sudo -n` works; only asked when Nix may be installed (no nix on PATH, or mode: install), else false. */
  sudo: boolean;
  pid1Systemd: boolean;
  container: boolean;
  /** The daemon reads the nix.conf we see: we are on the host, or a nix-daemon runs in our PID namespace. */
  daemonSharesConfig: boolean;
  platform: Platform;
  /** Why this job's Nix cannot reach a store, when it cannot (a dead daemon socket, say); else absent. */
  daemonProblem?: string;
}

export interface Environment {
  kind: Kind;
  /** For `installed`: which init the installer should set up. */
  init: "systemd" | "none";
  platform: Platform;
  container: boolean;
}

/** Where Nix looks for the daemon: a `unix://` NIX_REMOTE, NIX_DAEMON_SOCKET_PATH, else the standard path. */
export function daemonSocketPath(env: NodeJS.ProcessEnv): string {
  const remote = env.NIX_REMOTE ?? "";
  if (remote.startsWith("unix://")) return remote.slice("unix://".length).split("?")[0];
  return env.NIX_DAEMON_SOCKET_PATH || "/nix/var/nix/daemon-socket/socket";
}

/**
 * FORGEJO_ACTIONS, then GITEA_ACTIONS, then ACT. Gitea's and Forgejo's runners set ACT=true in every
 * job, host mode included, so ACT only means "act itself" when neither forge variable is set, and it
 * never says anything about containers.
 */
export function detectPlatform(env: NodeJS.ProcessEnv): Platform {
  if (isTrue(env.FORGEJO_ACTIONS)) return "forgejo";
  if (isTrue(env.GITEA_ACTIONS)) return "gitea";
  if (isTrue(env.ACT)) return "act";
  return "github";
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && v !== "" && v !== "false" && v !== "0";
}

export class ModeError extends Error {}

/** One directory the local store needs, as seen by this user. */
export interface DirProbe {
  path: string;
  exists: boolean;
  /** Exists: readable and writable (false on a read-only mount). Missing: its nearest existing parent is writable, so Nix can create it. */
  usable: boolean;
}

export interface StoreProbe {
  store: DirProbe;
  state: DirProbe;
  db: DirProbe;
}

export type StoreAccess = { writable: true } | { writable: false; why: string };

/**
 * Can this user open the store directly, as Nix's local store does? Nix creates the store, its state
 * dir and its database when they are missing, so a store that was never used (no /nix/var/nix, no
 * db/, or no /nix at all, as right after `apt-get install nix-bin`) is writable when the directories
 * above can be written. Not writable: a read-only store (mounted read-only from the host), a store or
 * database owned by someone else (a daemon's), a missing one this user cannot create.
 */
export function storeAccess(p: StoreProbe): StoreAccess {
  const why = (d: DirProbe, what: string) =>
    d.exists ? `${what} ${d.path} is read-only or belongs to another user` : `${what} ${d.path} does not exist and this user cannot create it`;
  // a missing db/ is usable exactly when the state dir is (Nix creates it there)
  if (p.db.exists && !p.db.usable) return { writable: false, why: why(p.db, "the store's database") };
  if (!p.state.usable) return { writable: false, why: why(p.state, "the store's state directory") };
  if (!p.store.usable) return { writable: false, why: why(p.store, "the Nix store") };
  return { writable: true };
}

/** Facts in, decision out. `mode` (the input) wins over detection, but cannot conjure a missing Nix. */
export function classify(f: Facts, mode: Mode = "auto"): Environment {
  const base = { platform: f.platform, container: f.container, init: f.pid1Systemd ? "systemd" : "none" } as const;
  switch (mode) {
    case "install":
      return { ...base, kind: "installed" };
    case "image":
    case "native":
      if (!f.nixPath) {
        throw new ModeError(
          `mode is "${mode}" but there is no nix on PATH; use mode: install (or auto) to install Nix, or run the job in an image that has Nix`,
        );
      }
      return { ...base, kind: mode };
    case "auto":
      if (!f.nixPath) return { ...base, kind: "installed" };
      // A daemon socket on a host (not in a container) means a shared, persistent store even for root.
      return { ...base, kind: f.viaDaemon || (f.daemonSocket && !f.container) ? "native" : "image" };
  }
}

/**
 * Where an installed Nix lives when a runner's service PATH leaves it out (a host runner started by
 * systemd, a NixOS host): the default profile, the user's profile, NixOS's system profile.
 */
export function nixLocations(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME || os.homedir();
  return ["/nix/var/nix/profiles/default/bin", path.join(home, ".nix-profile/bin"), "/run/current-system/sw/bin"];
}

/** The first of nixLocations() that holds an executable nix, or undefined. */
export async function findNixOffPath(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const dir of nixLocations(env)) {
    if (which("nix", { PATH: dir })) return dir;
  }
  return undefined;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function accessible(p: string, mode: number): Promise<boolean> {
  try {
    await access(p, mode);
    return true;
  } catch {
    return false;
  }
}

/** A directory as Nix's createDirs would meet it: there and read-write, or creatable under its nearest existing parent. */
async function probeDir(p: string): Promise<DirProbe> {
  if (await exists(p)) return { path: p, exists: true, usable: await accessible(p, constants.R_OK | constants.W_OK) };
  let parent = path.dirname(p);
  while (parent !== path.dirname(parent) && !(await exists(parent))) parent = path.dirname(parent);
  return { path: p, exists: false, usable: await accessible(parent, constants.W_OK | constants.X_OK) };
}

/** The store's directories where this job's Nix looks for them (NIX_STORE_DIR and NIX_STATE_DIR move them, as in Nix). */
export async function probeStore(env: NodeJS.ProcessEnv): Promise<StoreProbe> {
  const state = env.NIX_STATE_DIR || "/nix/var/nix";
  const [store, stateDir, db] = await Promise.all([
    probeDir(env.NIX_STORE_DIR || "/nix/store"),
    probeDir(state),
    probeDir(path.join(state, "db")),
  ]);
  return { store, state: stateDir, db };
}

async function inContainer(): Promise<boolean> {
  if ((await exists("/.dockerenv")) || (await exists("/run/.containerenv"))) return true;
  try {
    const cgroup = await readFile("/proc/1/cgroup", "utf8");
    return /docker|containerd|kubepods|libpod|lxc/.test(cgroup);
  } catch {
    return false;
  }
}

async function nixDaemonVisible(): Promise<boolean> {
  let pids: string[];
  try {
    pids = (await readdir("/proc")).filter((p) => /^\d+$/.test(p));
  } catch {
    return false;
  }
  const comms = await Promise.all(pids.map((p) => readFile(`/proc/${p}/comm`, "utf8").catch(() => "")));
  return comms.some((c) => c.trim() === "nix-daemon");
}

async function pid1IsSystemd(): Promise<boolean> {
  try {
    const comm = (await readFile("/proc/1/comm", "utf8")).trim();
    return comm === "systemd";
  } catch {
    return false;
  }
}

/** All probes at once: each is a stat, a read of /proc or one short command. */
export async function probeFacts(
  env: NodeJS.ProcessEnv = process.env,
  opts: { installing?: boolean; nix?: NixFound } = {},
): Promise<Facts> {
  const uid = process.getuid?.() ?? -1;
  const socket = daemonSocketPath(env);
  const nix = opts.nix ?? locateNix(env);
  const nixPath = nix.path;
  const [socketFile, store, container, pid1Systemd] = await Promise.all([
    exists(socket),
    probeStore(env),
    inContainer(),
    pid1IsSystemd(),
  ]);
  const verdict = storeAccess(store);
  const storeWritable = verdict.writable;
  const [nixVersion, sudo, daemonSharesConfig, daemonSocket] = await Promise.all([
    // the one probe that may run nix; the others above and beside it do not wait for it
    nix.version,
    // asked only where Nix may be installed: a host runner's job with Nix has no use for sudo
    uid === 0 || (nixPath && !opts.installing) ? Promise.resolve(false) : sudoWorks(env),
    socketFile && container ? nixDaemonVisible() : Promise.resolve(!container),
    // present and answering: a daemon that died leaves its socket file behind
    socketFile ? socketAnswers(socket, 1000) : Promise.resolve(false),
  ]);
  const remote = env.NIX_REMOTE ?? "";
  const remoteDaemon = remote === "daemon" || remote.startsWith("unix://");
  const viaDaemon = remoteDaemon || (remote === "" && !storeWritable && daemonSocket);
  const needsDaemon = remoteDaemon || (remote === "" && !storeWritable);
  const daemonProblem =
    !nixPath || !needsDaemon || daemonSocket
      ? undefined
      : socketFile
        ? `the Nix daemon socket ${socket} exists but nothing answers on it: the daemon has stopped; start it (e.g. systemctl start nix-daemon) on the host`
        : `${verdict.writable ? "NIX_REMOTE names the daemon" : verdict.why}, and there is no daemon socket at ${socket}: ` +
          `start nix-daemon (in a container: mount the host's socket), or run the job as the store's owner with a writable store`;
  return {
    nixPath,
    nixVersion,
    daemonSocket,
    viaDaemon,
    storeWritable,
    // Nix's own choice for NIX_REMOTE unset: local when it can read and write its state dir, else the socket
    autoPicksDaemon: remote === "" && !(store.state.exists && store.state.usable) && socketFile,
    uid,
    user: userName(env, uid),
    sudo,
    pid1Systemd,
    container,
    daemonSharesConfig,
    platform: detectPlatform(env),
    ...(daemonProblem ? { daemonProblem } : {}),
  };
}

/** The passwd name of this uid (what trusted-users lists); USER can be stale after su or unset in a container. */
function userName(env: NodeJS.ProcessEnv, uid: number): string {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER || env.LOGNAME || (uid === 0 ? "root" : String(uid));
  }
}

async function sudoWorks(env: NodeJS.ProcessEnv): Promise<boolean> {
  if (!which("sudo", env)) return false;
  const r = await run("sudo", ["-n", "true"], { env, timeoutMs: 5000 });
  return r.code === 0;
}
