import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import semver from "semver";
import { TEST_NIX_CONFIG, trivialDrv } from "../../scripts/lib/nix.mjs";
import { parseNixVersion } from "../../src/nix/version.js";

let underTest: string | undefined;
/**
 * The version of the Nix under test: the `nix` first on PATH (CI runs the integration tier once per
 * version with that version's bin folder first). Tests say which versions they hold for with it
 * instead of spelling out one version.
 */
export function nixVersion(): string {
  if (underTest === undefined) {
    const v = parseNixVersion(execFileSync("nix", ["--version"], { encoding: "utf8" }));
    if (v === undefined) throw new Error("nix --version gave no version");
    underTest = v.version;
  }
  return underTest;
}

/** True when the Nix under test satisfies a semver range, e.g. ">=2.26". */
export function nixSatisfies(range: string): boolean {
  return semver.satisfies(nixVersion(), range);
}

let s3: boolean | undefined;
/**
 * True when the Nix under test can open s3:// stores (a build option, not a version: Debian's 2.8
 * and 2.26 lack it, its 2.34 has it). Asked of Nix itself: a store URL it cannot open is refused
 * at once with "don't know how to open Nix store", one it can is tried (here: a closed local port).
 */
export function nixHasS3(): boolean {
  if (s3 === undefined) {
    const r = spawnSync(
      "nix",
      ["--extra-experimental-features", "nix-command", "path-info", "--option", "download-attempts", "1",
        "--store", "s3://nra-probe?endpoint=127.0.0.1:9&scheme=http", "/nix/store/00000000000000000000000000000000-probe"],
      { encoding: "utf8", timeout: 30_000, env: { ...process.env, NIX_CONFIG: TEST_NIX_CONFIG } },
    );
    s3 = !/don't know how to open Nix store/.test(r.stderr);
  }
  return s3;
}

/** The system's Nix (Debian bookworm's nix-bin, /usr/bin/nix): what the installer stand-in installs, whatever is on PATH. */
export function systemNixVersion(): string {
  return parseNixVersion(execFileSync("/usr/bin/nix", ["--version"], { encoding: "utf8" }))?.version ?? "unknown";
}

export { trivialDrv };

/** Single-quotes a word for sh. */
const shq = (w: string): string => `'${w.replace(/'/g, `'\\''`)}'`;

/**
 * An argv prefix for Job.wrap: a private mount namespace in which each `binds` source is bound over
 * its target (e.g. an empty folder over /nix: a store never used, as right after `apt-get install
 * nix-bin`, which creates no /nix), each `readOnly` path is made read-only in place (a host's store
 * mounted read-only into a container), and the command then runs as `user`. The host's mounts are
 * untouched; a missing target is created empty on the host, as the mount point. Needs root. Bash, not
 * sh: dash drops variables whose names are not identifiers, such as the runner's INPUT_PUSH-TO.
 */
export function underMounts(o: { binds?: [string, string][]; readOnly?: string[]; user?: { uid: number; gid: number } }): string[] {
  const steps: string[] = [];
  for (const [src, dst] of o.binds ?? []) {
    mkdirSync(dst, { recursive: true });
    steps.push(`mount --bind ${shq(src)} ${shq(dst)}`);
  }
  for (const p of o.readOnly ?? []) steps.push(`mount --bind ${shq(p)} ${shq(p)}`, `mount -o remount,bind,ro ${shq(p)}`);
  steps.push(o.user ? `exec setpriv --reuid=${o.user.uid} --regid=${o.user.gid} --clear-groups "$@"` : `exec "$@"`);
  return ["unshare", "-m", "--propagation", "private", "bash", "-ec", steps.join("\n"), "mounts"];
}
