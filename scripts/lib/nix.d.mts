/** Settings every Nix on this machine needs, a job's included: no build users, no sandbox, no substituters (offline). */
export const HOST_NIX_CONFIG: string;
/** HOST_NIX_CONFIG and the `nix` command enabled, for the tests' own Nix commands. */
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

/** A derivation that builds offline with /bin/sh running `body`; `salt` makes its output path unique; `attrs` are more attributes as Nix text. */
export function trivialDrv(name: string, salt: string, body?: string, attrs?: string): string;

/** The narinfo files (names) in a file:// cache's folder; none when it does not exist. */
export function narinfos(cacheDir: string): string[];
/** The store paths among `paths` that a file:// cache's folder has a narinfo for. */
export function cachedPaths(cacheDir: string, paths: string[]): string[];

export interface Daemon {
  socket: string;
  /** Env for a client of this daemon. */
  clientEnv: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
}

/** A real nix-daemon on a private socket, with its own nix.conf (TEST_NIX_CONFIG plus `conf`) that clients read too. */
export function startDaemon(conf?: string): Promise<Daemon>;
