import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BaseConfig } from "./config.js";

/*
 * The four settings the action needs, read from the files Nix reads, without starting Nix. Starting
 * `nix show-config` costs as much as the rest of the main step together, and Nix's rules for these
 * files are documented and small (nix.conf(5)): the system file, then the user files in reverse
 * order, then NIX_CONFIG; `name = value` lines, `#` comments, `include`/`!include` relative to the
 * including file, `extra-` appends to a list. Anything this reader is not sure of (a line Nix would
 * reject, a missing `include`, an unreadable file, an include cycle) makes it answer undefined, and
 * the caller asks `nix show-config` instead. test/nix/conf-files.test.ts checks it against
 * `nix show-config` over a table of real setups.
 */

type ListName = keyof BaseConfig;

/** Setting names (and the old aliases Nix still accepts) of the lists the action reads. */
const NAMES: Record<string, ListName> = {
  substituters: "substituters",
  "binary-caches": "substituters",
  "trusted-public-keys": "trustedPublicKeys",
  "binary-cache-public-keys": "trustedPublicKeys",
  "trusted-substituters": "trustedSubstituters",
  "trusted-binary-caches": "trustedSubstituters",
  "trusted-users": "trustedUsers",
};

/** Nix's built-in values, used until a file sets them. */
export const NIX_DEFAULTS: Readonly<BaseConfig> = Object.freeze({
  substituters: ["https://cache.nixos.org/"],
  trustedPublicKeys: ["cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY="],
  trustedSubstituters: [],
  trustedUsers: ["root"],
});

/**
 * Whether the nix at `realPath` reads /etc/nix (or NIX_CONF_DIR): Nix from the store and
 * distributions' packages do; one built by hand may have been configured with another sysconfdir,
 * so for it the action asks `nix show-config` instead of reading files.
 */
export function readsEtcNix(realPath: string): boolean {
  return /^(\/nix\/store|\/usr\/bin|\/bin)\//.test(realPath);
}

/** The machine's nix.conf: what a nix-daemon reads (and only it), and the first file a client reads. */
export function systemConfFile(env: NodeJS.ProcessEnv): string {
  return path.join(env.NIX_CONF_DIR || "/etc/nix", "nix.conf");
}

/**
 * The user's files in the order Nix applies them (the last one wins): NIX_USER_CONF_FILES, else
 * XDG_CONFIG_HOME then XDG_CONFIG_DIRS. Set-but-empty variables count as set, as they do for Nix.
 */
export function userConfFiles(env: NodeJS.ProcessEnv): string[] {
  let files: string[];
  if (env.NIX_USER_CONF_FILES !== undefined) {
    files = env.NIX_USER_CONF_FILES.split(":").filter(Boolean);
  } else {
    const home = env.XDG_CONFIG_HOME ?? `${env.HOME || os.homedir()}/.config`;
    const dirs = (env.XDG_CONFIG_DIRS ?? "/etc/xdg").split(":").filter(Boolean);
    files = [home, ...dirs].map((d) => `${d}/nix/nix.conf`);
  }
  return files.reverse();
}

class Unsure extends Error {}

type Assignment = [name: string, value: string];

/** The `name = value` pairs of `text`, includes expanded in place, as Nix collects them before applying. */
async function assignments(text: string, origin: string, depth: number): Promise<Assignment[]> {
  if (depth > 16) throw new Unsure(`includes nested too deep at ${origin}`);
  const out: Assignment[] = [];
  for (const raw of text.split("\n")) {
    const hash = raw.indexOf("#");
    const tokens = (hash === -1 ? raw : raw.slice(0, hash)).split(/[ \t\r]+/).filter(Boolean);
    if (tokens.length === 0) continue;
    if (tokens[0] === "include" || tokens[0] === "!include") {
      if (tokens.length !== 2) throw new Unsure(`illegal line in ${origin}`);
      // Nix resolves against the including file's folder; NIX_CONFIG has none, and Nix 2.8 rejects it
      if (!path.isAbsolute(tokens[1]) && !path.isAbsolute(origin)) throw new Unsure(`relative include in ${origin}`);
      const file = path.resolve(path.dirname(origin), tokens[1]);
      const included = await readConf(file);
      if (included === undefined) {
        if (tokens[0] === "include") throw new Unsure(`${file} included from ${origin} is missing`);
        continue;
      }
      out.push(...(await assignments(included, file, depth + 1)));
      continue;
    }
    if (tokens.length < 2 || tokens[1] !== "=") throw new Unsure(`illegal line in ${origin}`);
    out.push([tokens[0], tokens.slice(2).join(" ")]);
  }
  return out;
}

/** The file's text; undefined when it does not exist. Any other failure is not ours to judge. */
async function readConf(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new Unsure(`cannot read ${file}: ${code}`);
  }
}

function apply(config: BaseConfig, pairs: Assignment[]): void {
  for (const [name, value] of pairs) {
    const extra = name.startsWith("extra-");
    const key = NAMES[extra ? name.slice("extra-".length) : name];
    if (!key) continue;
    const items = value.split(" ").filter(Boolean);
    config[key] = extra ? [...config[key], ...items] : items;
  }
}

/**
 * The settings in effect for a Nix client started with `env`, or with `systemOnly` those a nix-daemon
 * reads (its nix.conf, no user files, no NIX_CONFIG). undefined: ask `nix show-config`.
 */
export async function readConfFiles(env: NodeJS.ProcessEnv, opts: { systemOnly?: boolean } = {}): Promise<BaseConfig | undefined> {
  // Built-in values differ between Nix versions for a store outside /nix/store.
  if (env.NIX_STORE_DIR || env.NIX_STORE) return undefined;
  const config: BaseConfig = { ...NIX_DEFAULTS };
  const files = [systemConfFile(env), ...(opts.systemOnly ? [] : userConfFiles(env))];
  try {
    const texts = await Promise.all(files.map(readConf));
    for (const [i, text] of texts.entries()) if (text !== undefined) apply(config, await assignments(text, files[i], 0));
    if (!opts.systemOnly && env.NIX_CONFIG !== undefined) apply(config, await assignments(env.NIX_CONFIG, "NIX_CONFIG", 0));
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
  return config;
}
