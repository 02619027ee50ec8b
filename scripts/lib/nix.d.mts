/** Settings every test's Nix needs on this machine: no build users, no sandbox, no substituters (offline). */
export const TEST_NIX_CONFIG: string;
export const UNPRIVILEGED: string;

/** A non-root user for daemon tests and benchmarks (created when missing). */
export function ensureUser(name?: string): { uid: number; gid: number; name: string };

export interface KeyPair {
  secret: string;
  pub: string;
}

/** A signing key made the way users make one with Nix 2.8; with `dir`, its files stay there. */
export function generateKey(name: string): KeyPair;
export function generateKey(name: string, dir: string): KeyPair & { secretFile: string; publicFile: string };

export interface Daemon {
  socket: string;
  /** Env for a client of this daemon. */
  clientEnv: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
}

/** A real nix-daemon on a private socket, with its own nix.conf (TEST_NIX_CONFIG plus `conf`) that clients read too. */
export function startDaemon(conf?: string): Promise<Daemon>;
