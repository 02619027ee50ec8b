import { readdir } from "node:fs/promises";

/** Where Nix keeps its store; NIX_STORE_DIR overrides it as in Nix itself. */
export function storeDirOf(env: NodeJS.ProcessEnv): string {
  return (env.NIX_STORE_DIR || "/nix/store").replace(/\/+$/, "");
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
