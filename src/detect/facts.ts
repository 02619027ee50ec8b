import { access, constants, readdir, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { run } from "../exec.js";
import { daemonSocketPath, socketAnswers } from "../nix/daemon.js";
import { locateNix, type NixFound, which } from "../nix/locate.js";
import { stateDirOf, storeDirOf } from "../nix/store.js";
import { detectPlatform } from "../platform.js";
import { type DirProbe, type Facts, storeAccess, type StoreProbe } from "./classify.js";

// Detection's I/O half: cheap probes (a stat, a read of /proc, one short command) gathered into Facts.

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
  const state = stateDirOf(env);
  const [store, stateDir, db] = await Promise.all([
    probeDir(storeDirOf(env)),
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
