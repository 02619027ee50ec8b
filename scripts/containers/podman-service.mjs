// Podman serving the Docker API on a private socket, for the runners' docker mode.
//
//   node scripts/containers/podman-service.mjs start STATE_DIR   starts `podman system service --time=0
//        unix://STATE_DIR/podman.sock` with podman.mjs's configuration (installing podman and runc
//        when missing) and prints DOCKER_HOST=unix://… and PODMAN_PID=…
//   node scripts/containers/podman-service.mjs stop STATE_DIR    stops that service by its PID (TERM,
//        KILL after 10 s)
//
// STATE_DIR (e.g. a mktemp -d) holds the socket, the pid file and the service's log. Start the
// service inside the network namespace its containers should have: `--network host` containers
// share the service's namespace, and its bridge networks are made there too (see scripts/lib/netns-run.mjs).
// startPodmanService and stopPodmanService do the same for code that imports them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { alive, pidFrom, startDetached, stopPids } from "../lib/process.mjs";
import { podmanEnv } from "./podman.mjs";

/**
 * Starts the service for `state` (made when missing) on podman's storage `storage` (default:
 * podman.mjs's), `env` added to the service's environment (e.g. CONTAINERS_REGISTRIES_CONF).
 * It runs in a session of its own until stopPodmanService stops it by its PID.
 * @param {string} state @param {{ storage?: string, env?: NodeJS.ProcessEnv }} [o]
 * @returns {Promise<{ dockerHost: string, pid: number }>}
 */
export async function startPodmanService(state, o = {}) {
  const dir = path.resolve(state);
  fs.mkdirSync(dir, { recursive: true });
  const running = pidFrom(path.join(dir, "pid"));
  if (running && alive(running)) throw new Error(`already running for ${dir} (pid ${running})`);
  const socket = path.join(dir, "podman.sock");
  const pid = await startDetached({
    command: "podman",
    args: ["system", "service", "--time=0", `unix://${socket}`],
    env: { ...process.env, ...o.env, ...podmanEnv(o.storage) },
    socket,
    pidFile: path.join(dir, "pid"),
    log: path.join(dir, "service.log"),
    waitMs: 10_000,
  });
  return { dockerHost: `unix://${socket}`, pid };
}

/**
 * Stops the service startPodmanService started for `state`, by its PID (TERM, KILL after 10 s);
 * no service there is no error. @param {string} state @returns {Promise<number | undefined>} the PID stopped
 */
export async function stopPodmanService(state) {
  const pid = pidFrom(path.join(state, "pid"));
  if (pid === undefined) return undefined;
  await stopPids([pid], 10_000);
  for (const f of ["pid", "podman.sock"]) fs.rmSync(path.join(state, f), { force: true });
  return pid;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, state, ...rest] = process.argv.slice(2);
  try {
    if (cmd === "start" && state && rest.length === 0) {
      const s = await startPodmanService(state);
      console.log(`DOCKER_HOST=${s.dockerHost}`);
      console.log(`PODMAN_PID=${s.pid}`);
    } else if (cmd === "stop" && state && rest.length === 0) {
      const pid = await stopPodmanService(state);
      console.error(pid === undefined ? `podman-service: no pid file in ${state}` : `podman-service: stopped pid ${pid}`);
    } else {
      console.error("usage: podman-service.mjs start|stop STATE_DIR");
      process.exitCode = 2;
    }
  } catch (e) {
    console.error(`podman-service: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
