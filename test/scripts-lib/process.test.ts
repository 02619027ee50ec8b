// scripts/lib/process.mjs as bash calls it: the one way test/, bench/ and scripts/ stop what they started.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { alive } from "../../scripts/lib/process.mjs";
import { ROOT } from "../../scripts/lib/runner.mjs";

const CLI = path.join(ROOT, "scripts/lib/process.mjs");
const stop = (...args: string[]) => spawnSync(process.execPath, [CLI, "stop", ...args], { encoding: "utf8", timeout: 20_000 });

/**
 * A shell leading a process group of its own, with a child; `ignoreTerm`: both ignore SIGTERM. Started
 * through `setsid -f`, so this process is not its parent: a parent that does not reap (this one, blocked
 * in spawnSync) would keep it a zombie, which counts as alive.
 */
function group(ignoreTerm: boolean): number {
  const trap = ignoreTerm ? "trap '' TERM; " : "";
  const script = `echo $$; exec >/dev/null 2>&1; ${trap}sleep 30 & ${trap}sleep 30; wait`;
  return Number(spawnSync("setsid", ["-f", "sh", "-c", script], { encoding: "utf8" }).stdout.trim());
}

describe("process.mjs stop", () => {
  it("stops a whole process group (-PGID) that exits on SIGTERM, without waiting out the grace period", () => {
    const pgid = group(false);
    // a grace period past stop()'s own 20 s bound: a program that waited it out is killed there (status null)
    expect(stop("--grace-ms", "60000", `-${pgid}`).status).toBe(0);
    expect(alive(-pgid)).toBe(false);
  });

  it("kills a group that ignores SIGTERM once the grace period is over", async () => {
    const pgid = group(true);
    const t0 = Date.now();
    expect(stop("--grace-ms", "300", `-${pgid}`).status).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    // SIGKILL was sent as the program ended: give the kernel a moment to deliver it
    for (let i = 0; i < 20 && alive(-pgid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(-pgid)).toBe(false);
  });

  it("a PID already gone is no error; no PID, or a PID that is not a number, is a usage error", () => {
    expect(stop("999999999").status).toBe(0);
    expect(stop().status).toBe(2);
    expect(stop("--grace-ms", "1", "x").stderr).toMatch(/^usage: process\.mjs stop/);
  });
});
