// The stand-in installer (stand-in-installer.sh beside this file) as the tests use it: its text, to
// serve and to hash, a folder standing for /nix for it to install into, and what it recorded there.
// the e2e (test/e2e/) serves the same file and reads the same records.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const STAND_IN_INSTALLER_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "stand-in-installer.sh");
export const STAND_IN_INSTALLER = readFileSync(STAND_IN_INSTALLER_FILE, "utf8");

/** A test prefix that stands for /nix, readable by every user (daemon tests use a non-root client). */
export function newPrefix() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-nixprefix-"));
  chmodSync(dir, 0o755);
  return dir;
}

/** What the stand-in recorded under `prefix`, one entry per install run. @param {string} prefix */
export function calls(prefix) {
  const dir = path.join(prefix, "calls");
  if (!existsSync(dir)) return [];
  const n = readdirSync(dir).filter((f) => f.endsWith(".argv")).length;
  const split = (/** @type {string} */ f) => readFileSync(path.join(dir, f)).toString().split("\0").slice(0, -1);
  return Array.from({ length: n }, (_, i) => {
    const env = Object.fromEntries(split(`${i}.env`).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    return { argv: split(`${i}.argv`), env, uid: Number(readFileSync(path.join(dir, `${i}.uid`), "utf8").trim()) };
  });
}
