import { NIX_FLAKES } from "../nix/features.js";
import type { PushTarget } from "../push-target.js";

export interface PushUrl {
  /** The URL given to `nix copy --to`; names where the key is read (a /dev/fd path), never the key. */
  url: string;
  /** Sign the paths in the local store before copying (ssh stores have no secret-key setting). */
  signLocally: boolean;
  /** Lines for the log: what was added and why. */
  notes: string[];
}

/** Percent-encodes a query value but keeps `/`, so a file path stays readable in the log. */
function q(v: string): string {
  return encodeURIComponent(v).replace(/%2F/gi, "/");
}

/**
 * The destination URL for `nix copy --to`: zstd and parallel compression unless the URL sets them,
 * the signing key as the path nix reads it from. Query values the user wrote are kept as written.
 */
export function buildPushUrl(target: PushTarget, opts: { keyFile?: string }): PushUrl {
  const notes: string[] = [];
  const have = new Set(target.settings.map(([k]) => k));
  const add: [string, string][] = [];
  if (target.binaryCache) {
    if (!have.has("compression")) {
      add.push(["compression", "zstd"]);
      notes.push("compression=zstd added (set compression= in push-to to choose another)");
    }
    if (!have.has("parallel-compression")) {
      add.push(["parallel-compression", "true"]);
      notes.push("parallel-compression=true added (used where this Nix's compressor supports threads; Nix 2.8 showed no gain for zstd)");
    }
    if (opts.keyFile) {
      if (have.has("secret-key")) notes.push("secret-key in push-to is replaced by the signing-key input");
      add.push(["secret-key", opts.keyFile]);
    }
  }
  const kept = target.settings.filter(([k]) => !(k === "secret-key" && opts.keyFile && target.binaryCache));
  const query = [...kept, ...add].map(([k, v]) => `${q(k)}=${q(v)}`).join("&");
  const signLocally = target.signs === "in-local-store" && Boolean(opts.keyFile);
  if (signLocally) notes.push(`${target.scheme}// stores take no secret-key setting: paths are signed in the local store before the copy`);
  return { url: query ? `${target.base}?${query}` : target.base, signLocally, notes };
}

/**
 * The arguments of every upload, post's and the pusher's: `nix copy -v` of `paths` to `url` with
 * substitute=false. A path gone from the store (deleted since it was built) then fails the copy at
 * once instead of being fetched from the job's substituters first: Nix 2.8 asks them for it, even
 * writes their nix-cache-info, and retries those that are down.
 */
export function copyArgs(url: string, paths: string[]): string[] {
  return [...NIX_FLAKES, "copy", "-v", "--option", "substitute", "false", "--to", url, ...paths];
}
