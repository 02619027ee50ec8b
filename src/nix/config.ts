import { excerpt, UnknownAnswer } from "./answer.js";
import { type NixVersion, supports } from "./version.js";

/**
 * The spellings of the command that prints the settings in effect, the one this Nix should know
 * first: Nix 2.20 and Lix 2.90 renamed `nix show-config` to `nix config show` (the old name is an
 * alias that warns since); older and unknown versions get the old name, which every version up to
 * 2.34 still answers. The other is what to try when Nix refuses the first (nix/spelling.ts).
 */
export async function configShowArgs(nix: NixVersion | undefined): Promise<string[][]> {
  const both = [["config", "show"], ["show-config"]];
  return (await supports(nix, "configShow")) ? both : both.reverse();
}

/** `nix store info` since Nix 2.20, `nix store ping` before (an alias that warns since) and in Lix, as for configShowArgs. */
export async function storeInfoArgs(nix: NixVersion | undefined): Promise<string[][]> {
  const both = [["store", "info"], ["store", "ping"]];
  return (await supports(nix, "storeInfo")) ? both : both.reverse();
}

/** The settings this job already has before the action adds anything (from `nix show-config --json`). */
export interface BaseConfig {
  substituters: string[];
  trustedPublicKeys: string[];
  trustedSubstituters: string[];
  trustedUsers: string[];
}

export interface ConfRequest {
  substituters: string[];
  trustedPublicKeys: string[];
  extraConf: string;
  accessTokens: string;
  netrcFile?: string;
  postBuildHook?: string;
}

/** A store URL without trailing slashes, as Nix compares substituters. */
export const normalizeUrl = (url: string): string => url.replace(/\/+$/, "");

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
  };
}

/** The settings parseShowConfig reads: every Nix prints each of them (empty or not) in `nix show-config`. */
const READ = ["substituters", "trusted-public-keys", "trusted-substituters", "trusted-users"];

/**
 * Why parseShowConfig cannot have read `text` right, or undefined when it can: a setting it reads
 * is missing, so the answer is not the `name = value` list it knows. Names only, never values
 * (the text may hold access-tokens).
 */
export function showConfigDoubt(text: string): string | undefined {
  const names = new Set(text.split("\n").flatMap((l) => l.match(/^([A-Za-z0-9_-]+) = /)?.[1] ?? []));
  const absent = READ.filter((n) => !names.has(n));
  if (absent.length === 0) return undefined;
  return `no "${absent.join('", "')}" line among ${names.size} "name = value" line(s)`;
}

/**
 * The daemon's answer to `nix store info --json` (`nix store ping --json` before 2.20): whether it
 * trusts this client, `"trusted": 1`/`0` (2.15–2.33) or `true`/`false` (2.34). Any other answer is an
 * UnknownAnswer.
 */
export function parseStoreInfoTrusted(stdout: string): boolean {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    throw new UnknownAnswer(`not JSON (${excerpt(stdout) || "empty"})`);
  }
  const t = (data as { trusted?: unknown } | null)?.trusted;
  if (t === true || t === 1) return true;
  if (t === false || t === 0) return false;
  throw new UnknownAnswer(`"trusted" is ${t === undefined ? "missing" : excerpt(JSON.stringify(t))} (${excerpt(stdout)})`);
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
  // A set in Nix, so this never duplicates; and the base cannot tell us whether nix-command was on,
  // since reading it needs nix-command.
  lines.push("extra-experimental-features = nix-command flakes");
  const subs = missing(req.substituters, base.substituters, normalizeUrl);
  if (subs.length) lines.push(`extra-substituters = ${subs.join(" ")}`);
  const keys = missing(req.trustedPublicKeys, base.trustedPublicKeys);
  if (keys.length) lines.push(`extra-trusted-public-keys = ${keys.join(" ")}`);
  if (req.netrcFile) lines.push(`netrc-file = ${req.netrcFile}`);
  if (req.accessTokens) lines.push(`access-tokens = ${req.accessTokens}`);
  if (req.postBuildHook) lines.push(`post-build-hook = ${req.postBuildHook}`);
  if (req.extraConf) lines.push(req.extraConf);
  return lines.join("\n") + "\n";
}

/**
 * NIX_CONFIG for later steps: whatever the job already had, then `!include` of our file. NIX_CONFIG is
 * applied after every nix.conf, and our line comes last in it, so our `extra-` settings add to the
 * job's own even when the job sets `substituters = …` there. Only a path goes into the environment,
 * never a token. Our line appears once however often the action runs.
 */
export function nixConfigEnv(ours: string, env: NodeJS.ProcessEnv): { withOurs: string; without: string } {
  const line = `!include ${ours}`;
  const kept = (env.NIX_CONFIG ?? "").split("\n").filter((l) => l.trim() !== line);
  while (kept.length > 0 && kept[kept.length - 1].trim() === "") kept.pop();
  const without = kept.join("\n");
  return { withOurs: without ? `${without}\n${line}` : line, without };
}
