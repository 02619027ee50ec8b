import { access, mkdir, readdir } from "node:fs/promises";

/** Where Nix keeps its state (the database, gc roots, profiles); NIX_STATE_DIR overrides it as in Nix itself. */
export function stateDirOf(env: NodeJS.ProcessEnv): string {
  return env.NIX_STATE_DIR || "/nix/var/nix";
}

/** Where Nix keeps its store; NIX_STORE_DIR overrides it as in Nix itself. */
export function storeDirOf(env: NodeJS.ProcessEnv): string {
  return (env.NIX_STORE_DIR || "/nix/store").replace(/\/+$/, "");
}

/**
 * Creates the store's state directory (/nix/var/nix, or NIX_STATE_DIR) when it is missing, and says
 * which it created. For a non-root user, Nix 2.26 and 2.34 take a missing one as "no store here"
 * and fall back to a chroot store in ~/.local/share/nix/root (where this machine's builds then
 * fail); Nix 2.8 creates it and uses /nix. Called where detection found the user may create it, so
 * every version opens the store detection judged. undefined: it was there, or cannot be made.
 */
export async function createStateDir(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const state = stateDirOf(env);
  try {
    await access(state);
    return undefined;
  } catch {
    // missing: make it below
  }
  try {
    await mkdir(state, { recursive: true });
    return state;
  } catch {
    return undefined;
  }
}

/** The store's entries, or none when the store does not exist yet (a fresh image). */
export async function listStore(storeDir: string): Promise<string[]> {
  try {
    return await readdir(storeDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}
