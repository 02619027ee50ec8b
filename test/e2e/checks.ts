// What the rows' kinds check, shared by the runners' kinds (kinds.ts) and GitLab's (gitlab.ts): each
// check a test of its own under the row's name, known before the row runs; what it compares against is
// read from the run.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { context, verifyCache } from "./context.js";
import type { Setup } from "./environments.js";
import type { Run } from "./run.js";
import type { Row } from "./rows.js";

export interface Check {
  name: string;
  test: (r: Run, s: Setup) => void;
}
export interface KindSpec {
  /** What the row runs, for the log. */
  title: (row: Row) => string;
  run: (row: Row, s: Setup) => Promise<Run>;
  checks: (row: Row) => Check[];
}

export const check = (name: string, test: Check["test"]): Check => ({ name, test });
export const lines = (text: string) => text.split("\n");
export const tail = (r: Run, n = 40) => `\n--- last lines of ${r.dir}/log ---\n${r.log.split("\n").slice(-n).join("\n")}`;
/** The value of KEY=VALUE in an outputs file of the run. */
export const value = (r: Run, file: string, key: string) => lines(r.read(file)).find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
export const hasLine = (r: Run, file: string, line: string) => expect(lines(r.read(file)), `${file} of ${r.dir}`).toContain(line);
export const nixVersionOf = (got: string | undefined, version: string) => expect(got ?? "", "nix-version").toMatch(new RegExp(`^${version.replace(".", "\\.")}(\\.|$)`));

// -- the checks the kinds share ----------------------------------------------------------------
export const runnerPassed = check("runner exited 0", (r) => expect(r.rc, `the runner's exit status${tail(r)}`).toBe(0));
export const runnerFailed = check("runner failed the job", (r) => {
  expect(r.rc, `runner exit ${r.rc}, expected a failed job${tail(r, 30)}`).not.toBe(0);
  expect(r.rc, "timed out, not failed").not.toBe(124);
});
export const keyMasked = check("the signing key never appears in the log (masked)", (r) => {
  const secret = context().key.secret.split(":")[1];
  expect(r.log.includes(secret), "the key's secret half is in the runner's log").toBe(false);
});

/** Witness lines "vXX.Y.Z <script>": every line for BUNDLE from Node MAJOR, at least COUNT. */
export function ranUnder(row: Row, count: number, which = ""): Check[] {
  return (["main", "post"] as const).map((b) =>
    check(`${b} ran under node ${row.node}${which}`, (r) => {
      const seen = lines(r.read("node-witness")).filter((l) => l.endsWith(`/dist/${b}/index.js`));
      expect(seen.length, `witness lines for dist/${b}/index.js`).toBeGreaterThanOrEqual(count);
      expect(seen.filter((l) => !l.startsWith(`v${row.node}.`)), "lines of another Node").toEqual([]);
    }),
  );
}

/** What the post step pushed of a job's build (results/JOB.path): signed by the run's key, verified with it, refused under another. */
export function builtAndPushed(job: string, how = ""): Check[] {
  const built = (r: Run) => {
    const p = r.read(`results/${job}.path`).trim();
    expect(p, "no store path recorded (build step did not run or failed)").not.toBe("");
    return p;
  };
  return [
    check(`${job}: built its store path${how}`, (r) => void built(r)),
    check(`${job}: pushed (post step; push in after_script) a narinfo signed by the run's key`, (r) => {
      const narinfo = path.join(r.dir, "cache", `${path.basename(built(r)).slice(0, 32)}.narinfo`);
      expect(existsSync(narinfo), narinfo).toBe(true);
      expect(readFileSync(narinfo, "utf8")).toMatch(new RegExp(`^Sig: ${context().key.name}:`, "m"));
    }),
    check(`${job}: nix store verify -r in the cache with the run's key`, (r) => expect(verifyCache(path.join(r.dir, "cache"), context().key.pub, built(r))).toBe(true)),
    check(`${job}: nix store verify refuses the same cache under another key`, (r) => expect(verifyCache(path.join(r.dir, "cache"), context().wrongKey.pub, built(r))).toBe(false)),
  ];
}

/** A container row's outputs: the environment it must lead to and container=true. */
export function containerOutputs(row: Row, file: string, job: string): Check[] {
  if (row.env === "host") return [];
  return [
    check(`${job}: later step read the environment of ${row.env}`, (r, s) => hasLine(r, file, `environment=${s.container?.environment}`)),
    check(`${job}: later step read container=true`, (r) => hasLine(r, file, "container=true")),
  ];
}

/** After a container row: its Podman service stopped by its PID, no container left, this machine's nix.conf as it was. */
export function containerAfter(row: Row): Check[] {
  if (row.env === "host") return [];
  return [
    check("the Podman service was stopped by its PID", (r) => expect(r.after?.serviceStopped, `podman service pid ${r.after?.podmanPid ?? "none"}`).toBe(true)),
    check("no container left", (r) => expect(r.after?.containers, "left (removed now)").toEqual([])),
    check("this machine's /etc/nix/nix.conf is byte-identical after the run", (r) => expect(r.after?.confSame).toBe(true)),
  ];
}
export const nothingLeft = check("nothing of the runner's process group left running after it exited", (r) => expect(r.leftRunning).toBe(false));

/** What the action must, and must not, have said in this environment. */
export function said(row: Row): Check[] {
  // the lines depend on the environment, known once it is set up: one check each way
  return [
    check("the action said what this environment calls for", (r, s) => {
      for (const line of s.said) expect(r.log, `the action should have said: ${line}`).toContain(line);
    }),
    check("the action never said what this environment rules out", (r, s) => {
      for (const line of s.unsaid) expect(r.log, `the action should never say: ${line}`).not.toContain(line);
    }),
  ].filter(() => row.env.startsWith("shared"));
}
