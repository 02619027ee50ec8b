// netns-run.mjs SOCKET_DIR PORTS -- COMMAND ARGS...
//
// Run as `unshare -n node netns-run.mjs …`: inside a fresh network namespace holding only a loopback
// interface, for the workflow tests (test/workflows/harness.ts) and the e2e (scripts/e2e.sh, with no
// PORTS). It
//  - brings loopback up and puts two documentation addresses (192.0.2.1/32, 192.0.2.2/32) on it:
//    Gitea's and Forgejo's runners in exec mode always start a cache server listening on all
//    interfaces and refuse to start unless they find at least two global unicast addresses;
//    here those lead nowhere and nothing outside the namespace can reach that server;
//  - for each port in PORTS (comma-separated), listens on 127.0.0.1:PORT in the namespace and
//    passes every connection to the Unix socket SOCKET_DIR/PORT.sock, where the harness, outside,
//    passes it on to 127.0.0.1:PORT of the host (the registry, the recording forge, the git server
//    holding the action): the job reaches the same URLs as a test does;
//  - runs COMMAND, passes SIGTERM/SIGINT on to it, and exits with its status once it has exited.
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import path from "node:path";

const [sockDir, portList, sep, ...command] = process.argv.slice(2);
if (!sockDir || portList === undefined || sep !== "--" || command.length === 0) {
  console.error("usage: netns-run.mjs SOCKET_DIR PORTS -- COMMAND ARGS...");
  process.exit(2);
}

const ipPath = `${process.env.PATH ?? ""}:/usr/sbin:/sbin`;
for (const args of [["link", "set", "lo", "up"], ["addr", "add", "192.0.2.1/32", "dev", "lo"], ["addr", "add", "192.0.2.2/32", "dev", "lo"]]) {
  const r = spawnSync("ip", args, { env: { ...process.env, PATH: ipPath }, encoding: "utf8" });
  if (r.status !== 0) {
    console.error(`netns-run: ip ${args.join(" ")} failed: ${r.error?.message ?? r.stderr}`);
    process.exit(97);
  }
}

const ports = portList.split(",").filter(Boolean).map(Number);
const servers = await Promise.all(
  ports.map(
    (port) =>
      new Promise((resolve, reject) => {
        const server = net.createServer((inner) => {
          const outer = net.connect(path.join(sockDir, `${port}.sock`));
          inner.pipe(outer).pipe(inner);
          inner.on("error", () => outer.destroy());
          outer.on("error", () => inner.destroy());
        });
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve(server));
      }),
  ),
).catch((err) => {
  console.error(`netns-run: could not listen in the namespace: ${err.message}`);
  process.exit(97);
});

const child = spawn(command[0], command.slice(1), { stdio: "inherit" });
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => child.kill(signal));
child.on("error", (err) => {
  console.error(`netns-run: ${command[0]}: ${err.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  for (const s of servers) s.close();
  process.exit(code ?? (signal ? 128 : 1));
});
