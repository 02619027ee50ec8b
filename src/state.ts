import * as io from "./step-io.js";

/** Everything main hands to post. Post must cope with any key missing: main may have failed half-way. */
export enum StateKey {
  /** JSON of the PushPlan main decided on; absent when there is nothing to push. */
  PushPlan = "push-plan",
  /** Files that hold secrets for later steps (netrc, conf with access-tokens): post removes them. */
  SecretFiles = "secret-files",
}

export function save<T>(key: StateKey, value: T): void {
  io.saveState(key, JSON.stringify(value));
}

/** The saved value, or undefined when main never saved it or saved something unreadable. */
export function load<T>(key: StateKey): T | undefined {
  const raw = io.getState(key);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}
