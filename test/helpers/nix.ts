import { mkdirSync } from "node:fs";

/** A derivation that builds offline with /bin/sh; `salt` makes its output path unique to a test run. */
export function trivialDrv(name: string, salt: string, body = "echo hello > $out"): string {
  return `derivation { name = "${name}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "${body.replace(/"/g, '\\"')}" ]; salt = "${salt}"; }`;
}

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
