// The "host's daemon" for shared-store container jobs: a nix-daemon of this machine's Nix serving the
// machine's /nix/store on a private socket, never the system's daemon (as scripts/lib/nix.mjs's
// startDaemon). Its nix.conf is its own (DIR/nix.conf, through NIX_CONF_DIR): the host admin's file.
//
//   node scripts/containers/host-daemon.mjs start DIR [NIX_CONF_LINES]   prints
//        NIX_DAEMON_SOCKET_PATH=DIR/socket/socket and DAEMON_PID=…; mount DIR/socket into the job
//        as /nix/var/nix/daemon-socket
//   node scripts/containers/host-daemon.mjs stop DIR                     stops it by its PID
//
// NIX_REMOTE=local in its env: on a store whose state dir it cannot tell from a client's, the
// automatic choice would find the daemon's own socket and connect to itself. startHostDaemon and
// stopHostDaemon do the same for code that imports them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { HOST_NIX_CONFIG } from "../lib/nix.mjs";
import { pidFrom, startDetached, stopPids } from "../lib/process.mjs";

/**
 * Starts the daemon in DIR (made when missing), its nix.conf HOST_NIX_CONFIG and `conf`; it runs in a
 * session of its own until stopHostDaemon stops it by its PID. `env` is added to its environment
 * (a PATH that puts another Nix's nix-daemon first).
 * @param {string} dir @param {string} [conf] more nix.conf lines @param {{ env?: NodeJS.ProcessEnv }} [o]
 * @returns {Promise<{ socket: string, pid: number }>}
 */
export async function startHostDaemon(dir, conf = "", o = {}) {
  const abs = path.resolve(dir);
  fs.mkdirSync(path.join(abs, "socket"), { recursive: true });
  // clients of other users (a job's) connect to it
  for (const d of [abs, path.join(abs, "socket")]) fs.chmodSync(d, 0o755);
  fs.writeFileSync(path.join(abs, "nix.conf"), `${HOST_NIX_CONFIG}\n${conf}\n`);
  const socket = path.join(abs, "socket/socket");
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, ...o.env, NIX_REMOTE: "local", NIX_CONF_DIR: abs, NIX_DAEMON_SOCKET_PATH: socket };
  delete env.NIX_CONFIG;
  const pid = await startDetached({ command: "nix-daemon", args: [], env, socket, pidFile: path.join(abs, "pid"), log: path.join(abs, "daemon.log"), waitMs: 5000 });
  return { socket, pid };
}

/** Stops the daemon startHostDaemon started in DIR, by its PID; none there is no error. @param {string} dir */
export async function stopHostDaemon(dir) {
  const pid = pidFrom(path.join(dir, "pid"));
  if (pid === undefined) return;
  await stopPids([pid], 5000);
  fs.rmSync(path.join(dir, "pid"), { force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, dir, ...rest] = process.argv.slice(2);
  try {
    if (cmd === "start" && dir && rest.length <= 1) {
      const d = await startHostDaemon(dir, rest[0]);
      console.log(`NIX_DAEMON_SOCKET_PATH=${d.socket}`);
      console.log(`DAEMON_PID=${d.pid}`);
    } else if (cmd === "stop" && dir && rest.length === 0) {
      await stopHostDaemon(dir);
    } else {
      console.error("usage: host-daemon.mjs start DIR [NIX_CONF_LINES] | stop DIR");
      process.exitCode = 2;
    }
  } catch (e) {
    console.error(`host-daemon: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
