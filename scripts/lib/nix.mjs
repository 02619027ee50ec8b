// Nix on this kind of machine (Debian's nix-bin, as root, offline), for the tests, the benchmarks,
// the local run and the e2e: the settings every Nix they start needs, a signing key made as users
// make one, a small derivation to build, the narinfos of a file:// cache, a real nix-daemon on a
// private socket, and the unprivileged user its untrusted clients run as.
//
// Also a program, for bash:
//   node scripts/lib/nix.mjs config      prints HOST_NIX_CONFIG (a job's, a daemon's nix.conf)
//   node scripts/lib/nix.mjs key NAME DIR   makes a signing key in DIR/secret (0600) and DIR/public
//                                           and prints the public key
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stopChild } from "./process.mjs";

/**
 * Settings every Nix on this machine needs, a job's included: no build users, no sandbox (Debian's
 * nix-bin, root), and no cache.nixos.org, which is out of reach here and must not be asked.
 */
export const HOST_NIX_CONFIG = "build-users-group =\nsandbox = false\nsubstituters =";

/** HOST_NIX_CONFIG for the tests' own Nix commands, which use the `nix` command (Nix 2.8 wants it enabled). */
export const TEST_NIX_CONFIG = `${HOST_NIX_CONFIG}\nextra-experimental-features = nix-command`;

export const UNPRIVILEGED = "nixtest";

/** A non-root user for daemon tests and benchmarks (created when missing; they run as root). */
export function ensureUser(name = UNPRIVILEGED) {
  if (spawnSync("id", ["-u", name]).status !== 0) execFileSync("useradd", ["--create-home", "--shell", "/bin/sh", name]);
  const uid = Number(execFileSync("id", ["-u", name]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", name]).toString().trim());
  return { uid, gid, name };
}

/**
 * A signing key made the way users make one with Nix 2.8 (`nix-store --generate-binary-cache-key`).
 * With `dir`, the key files stay there as `secret` and `public` and their paths are returned too;
 * without, they are made in a temp folder that is removed again.
 * @param {string} name @param {string} [dir]
 */
export function generateKey(name, dir) {
  const at = dir ?? mkdtempSync(path.join(os.tmpdir(), "nra-key-"));
  mkdirSync(at, { recursive: true });
  const secretFile = path.join(at, "secret");
  const publicFile = path.join(at, "public");
  execFileSync("nix-store", ["--generate-binary-cache-key", name, secretFile, publicFile]);
  chmodSync(secretFile, 0o600);
  const pair = { secret: readFileSync(secretFile, "utf8").trim(), pub: readFileSync(publicFile, "utf8").trim() };
  if (dir === undefined) {
    rmSync(at, { recursive: true, force: true });
    return pair;
  }
  return { ...pair, secretFile, publicFile };
}

/**
 * A derivation (Nix expression text) that builds offline with /bin/sh running `body`; `salt` makes its
 * output path unique to a run. `attrs`: more attributes, as Nix text (e.g. `PATH = "/usr/bin:/bin";`).
 * @param {string} name @param {string} salt @param {string} [body] @param {string} [attrs]
 */
export function trivialDrv(name, salt, body = "echo hello > $out", attrs = "") {
  const more = attrs ? ` ${attrs}` : "";
  return `derivation { name = "${name}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "${body.replace(/"/g, '\\"')}" ]; salt = "${salt}";${more} }`;
}

/** The narinfo files (names) in a file:// cache's folder; none when it does not exist. @param {string} cacheDir */
export function narinfos(cacheDir) {
  return existsSync(cacheDir) ? readdirSync(cacheDir).filter((n) => n.endsWith(".narinfo")) : [];
}

/** The store paths among `paths` that a file:// cache's folder has a narinfo for. @param {string} cacheDir @param {string[]} paths */
export function cachedPaths(cacheDir, paths) {
  return paths.filter((p) => existsSync(path.join(cacheDir, `${path.basename(p).slice(0, 32)}.narinfo`)));
}

/**
 * A real nix-daemon on a private socket (NIX_DAEMON_SOCKET_PATH), so tests never touch a system
 * daemon. Its nix.conf (TEST_NIX_CONFIG plus `conf`: trusted-users, trusted-substituters, …) lives in
 * its own NIX_CONF_DIR, which clients get too: like a host's /etc/nix/nix.conf, the daemon and the
 * job's Nix read the same file, while the job's NIX_CONFIG reaches only the client.
 * @param {string} [conf]
 */
export async function startDaemon(conf = "") {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-daemon-"));
  chmodSync(dir, 0o755); // clients of other users connect to it
  writeFileSync(path.join(dir, "nix.conf"), `${TEST_NIX_CONFIG}\n${conf}\n`);
  const socket = path.join(dir, "socket");
  // NIX_REMOTE=local, as the action starts its own (daemonCommand): on a never-used store, the
  // automatic choice would find this daemon's own socket and connect to itself
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, NIX_DAEMON_SOCKET_PATH: socket, NIX_CONF_DIR: dir, NIX_REMOTE: "local" };
  delete env.NIX_CONFIG;
  const child = spawn("nix-daemon", [], { env, stdio: "ignore" });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(socket)) {
    child.kill("SIGKILL");
    throw new Error("nix-daemon did not create its socket within 5 s");
  }
  return {
    socket,
    clientEnv: { NIX_DAEMON_SOCKET_PATH: socket, NIX_REMOTE: "daemon", NIX_CONF_DIR: dir },
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The program (see the top of this file). @param {string[]} argv */
function main([what, ...rest]) {
  if (what === "config" && rest.length === 0) return console.log(HOST_NIX_CONFIG);
  if (what === "key" && rest.length === 2) return console.log(generateKey(rest[0], rest[1]).pub);
  console.error("usage: nix.mjs config | key NAME DIR");
  process.exitCode = 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
