import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { filesContaining } from "./push.js";

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  cmd: string;
}

/** Every process on the machine now (ones that end while we look are left out). */
export function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (f[0] === "Z") continue;
      out.push({ pid: Number(d), ppid: Number(f[1]), pgid: Number(f[2]), cmd: readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").join(" ") });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** `roots` and every process below them (detached groups included: they keep their parent). */
export function treeOf(roots: number[], all = processes()): Proc[] {
  const seen = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (seen.has(p.pid) || !seen.has(p.ppid)) continue;
      seen.add(p.pid);
      grew = true;
    }
  }
  return all.filter((p) => seen.has(p.pid));
}

/** What fd 3 of `pid` is ("pipe:[…]", "socket:[…]", a path), "gone" if the process ended meanwhile, or undefined. */
export function fd3(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/3`);
  } catch {
    // an exiting process closes its files before it is reaped (a zombie, or already gone)
    return existsSync(`/proc/${pid}`) && !exiting(pid) ? undefined : "gone";
  }
}

/** Whether the process is on its way out: a zombie, or its memory (and so its cmdline) already released. */
function exiting(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return /^\d+ \(.*\) [ZX] /s.test(stat) || readFileSync(`/proc/${pid}/cmdline`).length === 0;
  } catch {
    return true;
  }
}

/**
 * Where `needle` (the base64 of a secret key) shows now: in the argv or environment of one of
 * `procs`, or in a file under one of `dirs`. Empty means nowhere. The runner hands a step its inputs
 * as INPUT_* variables, so the step's own process (`stepPid`) may hold it there, and only there.
 * That includes a child the step has forked but not yet exec'd: until its execve it is a copy of the
 * step (same argv, same environ, which /proc reads from its memory), and what it runs gets the
 * env without INPUT_* (src/exec.ts childEnv). Seen once in a CI run, under the step's own cmdline.
 */
export function keyExposure(needle: string, procs: Proc[], dirs: string[], stepPid?: number): string[] {
  const found: string[] = [];
  const stepCmd = procs.find((p) => p.pid === stepPid)?.cmd;
  const isStep = (p: Proc): boolean => p.pid === stepPid || (p.ppid === stepPid && stepCmd !== undefined && p.cmd === stepCmd);
  for (const p of procs) {
    for (const what of ["cmdline", "environ"]) {
      try {
        let text = readFileSync(`/proc/${p.pid}/${what}`, "latin1");
        if (what === "environ" && isStep(p)) text = text.replace(/(^|\0)INPUT_SIGNING-KEY=[^\0]*/g, "");
        if (text.includes(needle)) found.push(`/proc/${p.pid}/${what} (${p.cmd.slice(0, 80)})`);
      } catch {
        /* gone */
      }
    }
  }
  for (const d of dirs) found.push(...filesContaining(d, needle));
  return found;
}
