import os from "node:os";
import path from "node:path";

/** The settings this job already has before the action adds anything (from `nix show-config --json`). */
export interface BaseConfig {
  substituters: string[];
  trustedPublicKeys: string[];
  trustedSubstituters: string[];
  trustedUsers: string[];
  experimentalFeatures: string[];
}

export interface ConfRequest {
  substituters: string[];
  trustedPublicKeys: string[];
  extraConf: string;
  accessTokens: string;
  netrcFile?: string;
  postBuildHook?: string;
}

const normalize = (url: string): string => url.replace(/\/+$/, "");

/**
 * Parses `nix show-config` text (`name = value` lines). The text form, not --json: Nix 2.8's JSON
 * gives experimental-features as enum numbers, the text gives names in every version.
 */
export function parseShowConfig(text: string): BaseConfig {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = line.match(/^([A-Za-z0-9_-]+) = (.*)$/);
    if (m) values.set(m[1], m[2]);
  }
  const list = (name: string): string[] => (values.get(name) ?? "").split(/\s+/).filter(Boolean);
  return {
    substituters: list("substituters"),
    trustedPublicKeys: list("trusted-public-keys"),
    trustedSubstituters: list("trusted-substituters"),
    trustedUsers: list("trusted-users"),
    experimentalFeatures: list("experimental-features"),
  };
}

/** Values of `wanted` not already in `have` (URLs compared without trailing slashes), in order, once each. */
export function missing(wanted: string[], have: string[], key: (s: string) => string = (s) => s): string[] {
  const seen = new Set(have.map(key));
  const out: string[] = [];
  for (const w of wanted) {
    if (seen.has(key(w))) continue;
    seen.add(key(w));
    out.push(w);
  }
  return out;
}

/**
 * The job's nix.conf. Only `extra-` settings for lists, so the image's or host's own caches and keys
 * stay; values already in effect are left out, so the result holds each once.
 */
export function renderConf(req: ConfRequest, base: BaseConfig): string {
  const lines = ["# nix-runner-action: settings for this job only (removed with the job's temp dir)"];
  const features = missing(["nix-command", "flakes"], base.experimentalFeatures);
  if (features.length) lines.push(`extra-experimental-features = ${features.join(" ")}`);
  const subs = missing(req.substituters, base.substituters, normalize);
  if (subs.length) lines.push(`extra-substituters = ${subs.join(" ")}`);
  const keys = missing(req.trustedPublicKeys, base.trustedPublicKeys);
  if (keys.length) lines.push(`extra-trusted-public-keys = ${keys.join(" ")}`);
  if (req.netrcFile) lines.push(`netrc-file = ${req.netrcFile}`);
  if (req.accessTokens) lines.push(`access-tokens = ${req.accessTokens}`);
  if (req.postBuildHook) lines.push(`post-build-hook = ${req.postBuildHook}`);
  if (req.extraConf) lines.push(req.extraConf);
  return lines.join("\n") + "\n";
}

/** Nix's own default list of user config files (XDG), used when NIX_USER_CONF_FILES is unset. */
export function defaultUserConfFiles(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? os.homedir();
  const configHome = env.XDG_CONFIG_HOME || path.join(home, ".config");
  const dirs = (env.XDG_CONFIG_DIRS || "/etc/xdg").split(":").filter(Boolean);
  return [configHome, ...dirs].map((d) => path.join(d, "nix", "nix.conf"));
}

/**
 * NIX_USER_CONF_FILES with our file first (the first file wins in Nix) and the user's own files kept
 * after it. Our file appears once however often the action runs.
 */
export function userConfFiles(ours: string, env: NodeJS.ProcessEnv): { withOurs: string; without: string } {
  const current = env.NIX_USER_CONF_FILES !== undefined ? env.NIX_USER_CONF_FILES.split(":") : defaultUserConfFiles(env);
  const others = current.filter((f) => f !== "" && f !== ours);
  return { withOurs: [ours, ...others].join(":"), without: others.join(":") };
}
