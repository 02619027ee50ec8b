// Stopping an e2e run stops everything it started. A run of one container row (its runner, the
// Podman service in the runner's namespace, the job container, the action's pusher inside it) is
// sent a signal, to vitest's own process only, while the job container runs, its processes stopped
// (SIGSTOP) so that the job cannot end on its own: SIGTERM, as a CI timeout or a `kill` of `npm run e2e` sends, and
// SIGKILL. Either way vitest's own process exits at once and leaves its worker, the process running
// the tests, going on as an orphan, with the row under way: the run's watcher
// (scripts/lib/reaper.mjs) must stop the worker and all the row started. Within 30 s of vitest's
// end no process, container or mount of that run may be left, nor its work folder. (The row's own
// bound, E2E_RUN_TIMEOUT, is set far beyond that, so that only the watcher can pass this test.)
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { alive, stopPids } from "../../scripts/lib/process.mjs";
import { reap } from "../../scripts/lib/reaper.mjs";
import { ROOT } from "./context.js";
import { PODMAN } from "./environments.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const podman = (...args: string[]) => (spawnSync(PODMAN[0], [...PODMAN.slice(1), ...args], { encoding: "utf8" }).stdout ?? "").split("\n").filter(Boolean);
const containers = () => podman("ps", "-a", "--format", "{{.Names}}");

/**
 * Stops (SIGSTOP) every process the run's job containers run (those of podman.mjs's storage, which
 * the test starts without any; found by their libpod-ID cgroup), so that the job cannot end on its
 * own; how many. Not `podman
 * pause`: from outside the runner's network namespace podman cannot join a container's, and refuses.
 */
function freezeContainers(): number {
  const ids = podman("ps", "-a", "--no-trunc", "--format", "{{.ID}}");
  let frozen = 0;
  for (const pid of readdirSync("/proc").filter((p) => ids.length > 0 && /^\d+$/.test(p))) {
    try {
      const cgroup = readFileSync(`/proc/${pid}/cgroup`, "utf8");
      if (!ids.some((id) => cgroup.includes(`/libpod-${id}\n`))) continue;
      // not runc's own init while it starts the container: stopped there, it would hang podman
      if (readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("runc")) continue;
      process.kill(Number(pid), "SIGSTOP");
      frozen++;
    } catch {
      // gone meanwhile
    }
  }
  return frozen;
}

/** PIDs whose environment or command line names `marker` (the run's work folder). */
function processesOf(marker: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      const seen = readFileSync(`/proc/${pid}/environ`, "utf8") + readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (seen.includes(marker)) out.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").slice(0, 160)}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Mount points under `dir`, or of a container's root in podman.sh's storage. */
function mountsOf(dir: string): string[] {
  const storage = path.join(process.env.PODMAN_STORAGE ?? path.join(ROOT, ".tools/podman"), "storage");
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4] ?? "")
    .filter((m) => m.startsWith(`${dir}/`) || m.startsWith(`${storage}/overlay/`) || m.startsWith(`${storage}/overlay-containers/`));
}

it.each(["SIGTERM", "SIGKILL"] as const)("an e2e run sent %s mid-row leaves no process, container, mount or folder of its own", async (signal) => {
  expect(containers(), "containers before the run (another run's?)").toEqual([]);
  const parent = mkdtempSync("/tmp/nra-e2e-stop.");
  const log: string[] = [];
  // vitest's own process, not npx's
  const run = spawn(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--project", "e2e", "test/e2e/e2e.e2e.test.ts"], {
    cwd: ROOT,
    env: { ...process.env, E2E_WORK_PARENT: parent, E2E_ROWS: "^act nix-image 2\\.8 20 good$", E2E_RUN_TIMEOUT: "600" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  run.stdout.on("data", (d: Buffer) => log.push(d.toString()));
  run.stderr.on("data", (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<number | null>((r) => run.on("exit", (code, signal) => r(code ?? (signal ? 128 : null))));
  try {
    // mid-row: a job container runs (the image may have to be made first, minutes on a fresh
    // machine); its processes are stopped
    let frozen = 0;
    for (let i = 0; i < 1200 && frozen === 0 && run.exitCode === null; i++) {
      await sleep(500);
      frozen = freezeContainers();
    }
    expect(frozen, `no job container ran; the run said:\n${log.join("")}`).toBeGreaterThan(0);
    const work = readdirSync(parent).map((d) => path.join(parent, d))[0];
    expect(work, "the run's work folder").toBeDefined();
    process.kill(run.pid as number, signal);
    const code = await Promise.race([exited, sleep(30_000).then(() => "still running")]);
    expect(code, `vitest did not end within 30 s of ${signal}`).not.toBe("still running");
    let left: unknown[] = [];
    for (let i = 0; i < 30; i++) {
      left = [...processesOf(work), ...containers(), ...mountsOf(work), ...readdirSync(parent)];
      if (left.length === 0) break;
      await sleep(1000);
    }
    expect(processesOf(work), "processes of the run").toEqual([]);
    expect(containers(), "containers").toEqual([]);
    expect(mountsOf(work), "mounts").toEqual([]);
    expect(readdirSync(parent), "the run's work folder").toEqual([]);
  } finally {
    // whatever is left when this test fails goes, so that it does not fail the next one
    if (run.pid && alive(-run.pid)) await stopPids([-run.pid], 1000);
    for (const work of readdirSync(parent)) await reap(path.join(parent, work));
    rmSync(parent, { recursive: true, force: true });
  }
}, 900_000);
