// scripts/containers/podman-service.mjs: Podman's Docker API on a private socket for the runners'
// docker mode (the e2e's container rows, the forge suite), outliving the program that started it and
// stopped by its PID.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { alive } from "../../scripts/lib/process.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";

const CLI = path.join(ROOT, "scripts/containers/podman-service.mjs");

/** GET `path` of the Docker API on a Unix socket. */
const get = (socket: string, urlPath: string) =>
  new Promise<string>((resolve, reject) => {
    const req = http.get({ socketPath: socket, path: urlPath }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
  });

describe("podman-service.mjs", () => {
  it("start: the Docker API on STATE/podman.sock, on podman.mjs's configuration; a second start refused; stop: gone by its PID", async () => {
    const storage = tempDir("nra-podman-storage-");
    const state = path.join(tempDir("nra-podman-service-"), "state");
    const env = { ...process.env, PODMAN_STORAGE: storage };
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env, timeout: 120_000 });
    const started = cli("start", state);
    expect(started.status, started.stderr).toBe(0);
    const socket = path.join(state, "podman.sock");
    const m = new RegExp(`^DOCKER_HOST=unix://${socket}\\nPODMAN_PID=(\\d+)\\n$`).exec(started.stdout);
    expect(m, started.stdout).not.toBeNull();
    const pid = Number(m![1]);
    try {
      expect(await get(socket, "/_ping")).toBe("OK");
      expect(JSON.parse(await get(socket, "/info")).DockerRootDir).toBe(path.join(storage, "storage"));
      expect(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")).toContain(`CONTAINERS_CONF=${path.join(storage, "containers.conf")}`);
      const again = cli("start", state);
      expect(again.status).toBe(1);
      expect(again.stderr).toBe(`podman-service: already running for ${state} (pid ${pid})\n`);
    } finally {
      expect(cli("stop", state).stderr).toBe(`podman-service: stopped pid ${pid}\n`);
      // podman's overlay driver leaves its folder bind-mounted on itself: unmounted, the storage can go
      spawnSync("umount", [path.join(storage, "storage/overlay")]);
    }
    expect(alive(pid)).toBe(false);
    expect(existsSync(socket) || existsSync(path.join(state, "pid"))).toBe(false);
  });
});
