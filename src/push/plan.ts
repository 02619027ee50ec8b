import type { NixVersion } from "../nix/version.js";
import { type PathMethod, PUSH_PATHS_CHOICE } from "./select.js";

/** Main's decision, saved in state for post (StateKey.PushPlan). Files, not path lists, hold the data. */
export interface PushPlan {
  method: PathMethod;
  why: string;
  storeDir: string;
  /** The job's Nix as main found it. */
  nix?: NixVersion;
  /** hook: the file the hook appends OUT_PATHS to. */
  queueFile?: string;
  /** diff: the store listing taken in main (one name per line). */
  listingFile?: string;
}

/**
 * Post's plan when main saved none (it failed before it decided) but push-paths names what to push:
 * the method main would have chosen. Otherwise main's decision stands.
 */
export function pushPathsPlan(pushPaths: string[], storeDir: string): PushPlan | undefined {
  return pushPaths.length > 0 ? { ...PUSH_PATHS_CHOICE, storeDir } : undefined;
}
