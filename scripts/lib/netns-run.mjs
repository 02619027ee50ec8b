// netns-run.mjs [--podman STATE_DIR] [--serve STATE_DIR URL_PATH=FILE,...] SOCKET_DIR PORTS -- COMMAND ARGS...
//
// Run as `unshare -n node netns-run.mjs …`: inside a fresh network namespace holding only a loopback
// interface, for the workflow tests (test/workflows/harness.ts) and the e2e (test/e2e/). It
//  - brings loopback up and puts two documentation addresses (192.0.2.1/32, 192.0.2.2/32) on it:
//    Gitea's and Forgejo's runners in exec mode always start a cache server listening on all
//    interfaces and refuse to start unless they find at least two global unicast addresses;
//    here those lead nowhere and nothing outside the namespace can reach that server;
//  - for each port in PORTS (comma-separated, may be empty), listens on 127.0.0.1:PORT in the
//    namespace and passes every connection to the Unix socket SOCKET_DIR/PORT.sock, where the
//    harness, outside, passes it on to 127.0.0.1:PORT of the host (the registry, the recording forge,
//    the git server holding the action): the job reaches the same URLs as a test does;
//  - with --podman, starts Podman's Docker API service in here (scripts/containers/podman-service.mjs,
//    its socket and pid file in STATE_DIR) and gives COMMAND DOCKER_HOST: containers on `--network
//    host` share this namespace, and the bridge networks Gitea's runner makes per job are made here
//    too, so nothing a job container does leaves the machine. It says "netns-run: podman service pid
//    N" on stderr and stops the service by its PID when COMMAND has exited;
//  - with --serve, serves each FILE at URL_PATH on 127.0.0.1 in here (a free port of 18450–18499)
//    and appends `--var E2E_INSTALLER_URL=<the first file's URL> --var E2E_SERVER_URL=<origin>` to
//    COMMAND (a runner's command line); STATE_DIR gets the port and the request log ("requests",
//    "METHOD PATH STATUS" per answer);
//  - runs COMMAND, passes SIGTERM/SIGINT on to it, and exits with its status once it has exited
//    and what it started here is stopped.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { startPodmanService, stopPodmanService } from "../containers/podman-service.mjs";
import { filesHandler, startServer } from "./http-server.mjs";
const USAGE = "usage: netns-run.mjs [--podman STATE_DIR] [--serve STATE_DIR URL_PATH=FILE,...] SOCKET_DIR PORTS -- COMMAND ARGS...";

/** @param {string} message @param {number} code @returns {never} */
function die(message, code) {
  console.error(`netns-run: ${message}`);
  process.exit(code);
}

const argv = process.argv.slice(2);
/** @type {{ podman?: string, serve?: { state: string, specs: string[] } }} */
const opt = {};
while (argv[0] === "--podman" || argv[0] === "--serve") {
  const flag = argv.shift();
  if (flag === "--podman") opt.podman = argv.shift();
  else opt.serve = { state: argv.shift() ?? "", specs: (argv.shift() ?? "").split(",").filter(Boolean) };
}
const [sockDir, portList, sep, ...command] = argv;
if (sockDir === undefined || portList === undefined || sep !== "--" || command.length === 0) die(USAGE, 2);

const ipPath = `${process.env.PATH ?? ""}:/usr/sbin:/sbin`;
for (const args of [["link", "set", "lo", "up"], ["addr", "add", "192.0.2.1/32", "dev", "lo"], ["addr", "add", "192.0.2.2/32", "dev", "lo"]]) {
  const r = spawnSync("ip", args, { env: { ...process.env, PATH: ipPath }, encoding: "utf8" });
  if (r.status !== 0) die(`ip ${args.join(" ")} failed: ${r.error?.message ?? r.stderr}`, 97);
}

/** Listens on 127.0.0.1:PORT here for each port, passing connections to SOCKET_DIR/PORT.sock. */
async function bridge() {
  const ports = portList.split(",").filter(Boolean).map(Number);
  return Promise.all(
    ports.map(
      (port) =>
        /** @type {Promise<net.Server>} */ (new Promise((resolve, reject) => {
          const server = net.createServer((inner) => {
            const outer = net.connect(path.join(sockDir, `${port}.sock`));
            inner.pipe(outer).pipe(inner);
            inner.on("error", () => outer.destroy());
            outer.on("error", () => inner.destroy());
          });
          server.once("error", reject);
          server.listen(port, "127.0.0.1", () => resolve(server));
        })),
    ),
  ).catch((err) => die(`could not listen in the namespace: ${err.message}`, 97));
}

/** The files of --serve on a port of 18450–18499, and the --var flags that tell the runner where. */
async function serveFiles() {
  if (!opt.serve) return { vars: [], stop: async () => {} };
  const { state, specs } = opt.serve;
  mkdirSync(state, { recursive: true });
  const log = path.join(state, "requests");
  writeFileSync(log, "");
  /** @type {Record<string, Buffer>} */
  const files = {};
  for (const spec of specs) {
    const at = spec.indexOf("=");
    if (at < 1) die(`--serve wants URL_PATH=FILE, got "${spec}"`, 2);
    files[spec.slice(0, at)] = readFileSync(spec.slice(at + 1));
  }
  const onAnswer = (/** @type {string} */ line) => appendFileSync(log, `${line}\n`);
  const s = await startServer(filesHandler(files, { onAnswer }), { ports: [18450, 18499] }).catch((e) => die(`file server: ${e.message}`, 97));
  writeFileSync(path.join(state, "port"), `${s.port}\n`);
  const first = Object.keys(files)[0];
  console.error(`netns-run: serving ${Object.keys(files).join(", ")} at ${s.origin}`);
  return { vars: ["--var", `E2E_INSTALLER_URL=${s.origin}${first}`, "--var", `E2E_SERVER_URL=${s.origin}`], stop: s.stop };
}

/** Podman's Docker API service in this namespace, when asked: its DOCKER_HOST, or none. */
async function startPodman() {
  if (!opt.podman) return undefined;
  const s = await startPodmanService(opt.podman).catch((e) => die(`the Podman service did not start: ${e.message}`, 98));
  console.error(`netns-run: podman service pid ${s.pid}, ${s.dockerHost}`);
  return s.dockerHost;
}

const servers = await bridge();
const files = await serveFiles();
const dockerHost = await startPodman();
const env = dockerHost ? { ...process.env, DOCKER_HOST: dockerHost } : process.env;
const child = spawn(command[0], [...command.slice(1), ...files.vars], { stdio: "inherit", env });
for (const signal of /** @type {const} */ (["SIGTERM", "SIGINT"])) process.on(signal, () => child.kill(signal));
child.on("error", (err) => die(`${command[0]}: ${err.message}`, 127));
child.on("exit", async (code, signal) => {
  for (const s of servers) s.close();
  await files.stop();
  if (opt.podman) await stopPodmanService(opt.podman);
  process.exit(code ?? (signal ? 128 : 1));
});
