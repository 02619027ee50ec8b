import { access, constants, readFile, stat } from "node:fs/promises";
import { run } from "../exec.js";
import { which } from "../nix/locate.js";
import { NIX_COMMAND } from "../nix/features.js";

// What a job image needs to run this action's jobs (workflows-templates/runner-image): checked by the
// image workflow's test job, inside the image. The list is plain data; checkOne does the probing.

export type Probe =
  | { kind: "on-path"; command: string }
  | { kind: "executable" | "directory" | "writable" | "readable"; path: string }
  | { kind: "has-root"; path: string }
  | { kind: "flakes" }
  | { kind: "nix-eval" };

export interface Check {
  label: string;
  probe: Probe;
}

export const TOOLS = ["nix", "node", "bash", "git", "tar", "gzip", "zstd", "env", "sh"];

export interface ImagePaths {
  env: string;
  tmp: string;
  passwd: string;
  group: string;
}
export const IMAGE_PATHS: ImagePaths = { env: "/usr/bin/env", tmp: "/tmp", passwd: "/etc/passwd", group: "/etc/group" };

/** Every check, in the order they are reported. The CA bundle is the one Nix and git would use. */
export function imageChecks(env: NodeJS.ProcessEnv, p: ImagePaths = IMAGE_PATHS): Check[] {
  const ca = env.NIX_SSL_CERT_FILE || env.SSL_CERT_FILE || "";
  return [
    ...TOOLS.map((command): Check => ({ label: `${command} is on PATH`, probe: { kind: "on-path", command } })),
    { label: `${p.env} is executable`, probe: { kind: "executable", path: p.env } },
    { label: `${p.tmp} is a directory`, probe: { kind: "directory", path: p.tmp } },
    { label: `${p.tmp} is writable`, probe: { kind: "writable", path: p.tmp } },
    { label: ca ? `the CA bundle ${ca} is readable` : "a CA bundle is set (NIX_SSL_CERT_FILE or SSL_CERT_FILE)", probe: { kind: "readable", path: ca } },
    { label: `${p.passwd} has root`, probe: { kind: "has-root", path: p.passwd } },
    { label: `${p.group} has root`, probe: { kind: "has-root", path: p.group } },
    { label: "flakes enabled", probe: { kind: "flakes" } },
    { label: "nix evaluates 1 + 1", probe: { kind: "nix-eval" } },
  ];
}

/** The experimental-features line of `nix show-config` lists flakes. */
export function flakesEnabled(showConfig: string): boolean {
  const line = showConfig.split("\n").find((l) => l.startsWith("experimental-features = "));
  return line !== undefined && line.slice("experimental-features = ".length).split(/\s+/).includes("flakes");
}

export async function checkOne(probe: Probe, env: NodeJS.ProcessEnv): Promise<boolean> {
  const can = (path: string, mode: number) => access(path, mode).then(() => true, () => false);
  switch (probe.kind) {
    case "on-path":
      return which(probe.command, env) !== undefined;
    case "executable":
      return (await stat(probe.path).then((s) => s.isFile(), () => false)) && can(probe.path, constants.X_OK);
    case "directory":
      return stat(probe.path).then((s) => s.isDirectory(), () => false);
    case "writable":
      return can(probe.path, constants.W_OK);
    case "readable":
      return probe.path !== "" && can(probe.path, constants.R_OK);
    case "has-root":
      return readFile(probe.path, "utf8").then((t) => /^root:/m.test(t), () => false);
    case "flakes": {
      const nix = which("nix", env);
      const r = nix ? await run(nix, [...NIX_COMMAND, "show-config"], { env }) : undefined;
      return r !== undefined && r.code === 0 && flakesEnabled(r.stdout);
    }
    case "nix-eval": {
      const nix = which("nix", env);
      const r = nix ? await run(nix, [...NIX_COMMAND, "eval", "--expr", "1 + 1"], { env }) : undefined;
      return r !== undefined && r.code === 0 && r.stdout.trim() === "2";
    }
  }
}
