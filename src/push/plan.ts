import type { PathMethod } from "./select.js";

/** Main's decision, saved in state for post (StateKey.PushPlan). Files, not path lists, hold the data. */
export interface PushPlan {
  method: PathMethod;
  why: string;
  storeDir: string;
  nixVersion?: string;
  /** hook: the file the hook appends OUT_PATHS to. */
  queueFile?: string;
  /** diff: the store listing taken in main (one name per line). */
  listingFile?: string;
}
