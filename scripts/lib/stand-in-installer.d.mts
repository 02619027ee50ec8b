/** Path of the stand-in installer script (stand-in-installer.sh). */
export const STAND_IN_INSTALLER_FILE: string;
/** Its text, as served to the action. */
export const STAND_IN_INSTALLER: string;

/** A test prefix that stands for /nix, readable by every user. */
export function newPrefix(): string;

export interface Call {
  argv: string[];
  env: Record<string, string>;
  uid: number;
}

/** What the stand-in recorded under `prefix`, one entry per install run. */
export function calls(prefix: string): Call[];
