import { ActionError } from "../errors.js";
import type { Mode } from "../inputs.js";
import type { NixVersion } from "../nix/version.js";
import type { Platform } from "../platform.js";

// Detection's pure half: the facts probed (facts.ts) in, the decision out. No I/O here.

export type Kind = "image" | "native" | "installed";

/** Everything detection looks at, gathered by cheap probes. Plain data so classify() stays pure. */
export interface Facts {
  nixPath: string | undefined;
  /** Which Nix is on PATH and its version (undefined: none, or it did not say). */
  nixVersion: NixVersion | undefined;
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
        throw new ActionError(
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
