import * as io from "./step-io.js";
import { InputError } from "./errors.js";
import { parseNixKey, publicKeyOf } from "./keys.js";
import { PUSH_SCHEMES, type PushTarget, pushTarget } from "./push-target.js";
import { parseSkipUpstream, type Upstream } from "./skip-upstream.js";

export const MODES = ["auto", "image", "native", "install"] as const;
export const INSTALLERS = ["nixos", "determinate", "none"] as const;
export const INITS = ["auto", "systemd", "none"] as const;
export type Mode = (typeof MODES)[number];
export type Installer = (typeof INSTALLERS)[number];
export type Init = (typeof INITS)[number];

/** Every input of action.yml (test/readme.test.ts checks both ways): the CLI reads each from a variable. */
export const INPUT_NAMES = [
  "mode", "substituters", "trusted-public-keys", "extra-conf", "access-tokens", "netrc", "push-to", "signing-key",
  "push-filter", "push-paths", "push-during-build", "push-unattributed", "skip-upstream", "fail-on-push-error", "push-timeout", "installer", "installer-url", "installer-sha256", "init", "nix-version",
] as const;

/**
 * The inputs that carry secrets (masked as they are read; action.yml says "Masked"). Never component
 * inputs, whose values GitLab writes into the job's YAML as clear text; in GitLab they come from
 * masked CI/CD variables, which the CLI's setup unsets for the job's later lines.
 */
export const SECRET_INPUTS = ["access-tokens", "netrc", "signing-key"] as const;

export interface Inputs {
  mode: Mode;
  substituters: string[];
  trustedPublicKeys: string[];
  extraConf: string;
  accessTokens: string;
  netrc: string;
  /** The cache to fill; undefined: no push. */
  pushTo: PushTarget | undefined;
  /**
   * The secret key text, masked as it is read. Never written anywhere: main hands it to the background
   * pusher on its stdin, and post and the pusher give it to nix on an inherited fd (`secret` in exec.ts).
   */
  signingKey: string;
  /** `name:base64` public half of signingKey, derived and checked at read time. */
  signingPublicKey: string;
  pushFilter: string;
  pushPaths: string[];
  failOnPushError: boolean;
  /** push-timeout in ms: the longest post may hold the job (its wait for the pusher and its own copies). */
  pushTimeoutMs: number;
  /** hook method: upload while the job runs (a background pusher) rather than all in post. */
  pushDuringBuild: boolean;
  /**
   * diff method: push every new store path, also those not attributable to this job (other jobs' on a
   * shared daemon). Safe only where the runner runs one job at a time.
   */
  pushUnattributed: boolean;
  /** Upstream caches whose signed paths, while they still serve them, are not pushed (empty: off, the default). */
  skipUpstream: Upstream[];
  installer: Installer;
  installerUrl: string;
  installerSha256: string;
  init: Init;
  nixVersion: string;
}

export const SUBSTITUTER_SCHEMES = ["http:", "https:", "file:", "s3:", "ssh:", "ssh-ng:", "gs:"];

export type Getter = (name: string) => string;
type Masker = (secret: string) => void;

/**
 * Reads and checks every input once. Takes a getter so tests can hand in a plain record; the
 * default reads the INPUT_* variables the runner sets. Throws InputError before anything is written.
 */
export async function readInputs(get: Getter = (n) => io.getInput(n), mask: Masker = (s) => io.setSecret(s)): Promise<Inputs> {
  const errors: string[] = [];
  const check = async <T>(f: () => T | Promise<T>, fallback: T): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e.message);
      return fallback;
    }
  };

  const mode = await check(() => oneOf(get, "mode", MODES, "auto"), "auto");
  const installer = await check(() => oneOf(get, "installer", INSTALLERS, "nixos"), "nixos");
  const init = await check(() => oneOf(get, "init", INITS, "auto"), "auto");
  const failOnPushError = await check(() => boolInput(get, "fail-on-push-error"), false);
  const pushDuringBuild = await check(() => boolInput(get, "push-during-build", true), true);
  const pushUnattributed = await check(() => boolInput(get, "push-unattributed"), false);
  const pushTimeoutMs = await check(() => minutesInput(get, "push-timeout", PUSH_TIMEOUT_DEFAULT_MIN), PUSH_TIMEOUT_DEFAULT_MIN * 60_000);
  const substituters = await check(() => storeUrls(get, "substituters", SUBSTITUTER_SCHEMES), []);
  const trustedPublicKeys = await check(() => publicKeys(get), []);
  const signing = await check(() => signingKey(get, mask), { key: "", pub: "" });
  const pushTo = await check<PushTarget | undefined>(() => pushUrl(get), undefined);
  const pushFilter = await check(() => regex(get, "push-filter"), "");
  const skipUpstream = await check(() => skipUpstreamInput(get), []);
  const extraConf = await check(() => confLines(get, "extra-conf"), "");
  const accessTokens = await check(() => tokens(get, mask), "");
  const netrc = await check(() => netrcText(get, mask), "");
  const installerUrl = await check(() => installerUrlInput(get), "");
  const installerSha256 = await check(() => sha256(get), "");
  const nixVersion = await check(() => nixVersionRange(get), "");
  const pushPaths = words(get("push-paths"));

  if (errors.length > 0) throw new InputError(errors.join("\n"));
  return {
    mode,
    substituters,
    trustedPublicKeys,
    extraConf,
    accessTokens,
    netrc,
    pushTo,
    signingKey: signing.key,
    signingPublicKey: signing.pub,
    pushFilter,
    pushPaths,
    failOnPushError,
    pushTimeoutMs,
    pushDuringBuild,
    pushUnattributed,
    skipUpstream,
    installer,
    installerUrl,
    installerSha256,
    init,
    nixVersion,
  };
}

/** nix-version: a semver range, or empty. */
async function nixVersionRange(get: Getter): Promise<string> {
  const range = get("nix-version").trim();
  if (!range) return "";
  // semver only when there is a range to check: loading it is most of what reading inputs costs
  const { default: semver } = await import("semver");
  if (semver.validRange(range) === null) throw new InputError(`${io.inputName("nix-version")}: "${range}" is not a semver range; write e.g. ">=2.18" or "2.24.x"`);
  return range;
}

export function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

function oneOf<T extends string>(get: Getter, name: string, allowed: readonly T[], dflt: T): T {
  const value = get(name).trim() || dflt;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`${io.inputName(name)} must be one of ${allowed.join(", ")} (got "${value}")`);
  }
  return value as T;
}

/** The same values @actions/core's getBooleanInput accepts (YAML 1.2 core schema), read through the getter tests replace. */
export function boolInput(get: Getter, name: string, dflt = false): boolean {
  const value = get(name).trim();
  if (value === "") return dflt;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(`${io.inputName(name)} must be true or false (got "${value}")`);
}

/** push-timeout's default, in minutes: long enough for a few GB to a nearby cache, short of holding a runner for hours. */
export const PUSH_TIMEOUT_DEFAULT_MIN = 15;
/** The longest push-timeout taken: a day (Node's timers stop at 24.8 days; no CI job runs that long). */
export const PUSH_TIMEOUT_MAX_MIN = 24 * 60;

/** A positive number of minutes (decimals allowed: 0.5 is 30 s), as ms; `dflt` minutes when empty. */
export function minutesInput(get: Getter, name: string, dflt: number): number {
  const value = get(name).trim();
  if (value === "") return dflt * 60_000;
  const n = /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n > 0)) {
    throw new InputError(`${io.inputName(name)} must be a number of minutes, got "${value}"; write e.g. ${dflt} (the default) or 2.5`);
  }
  if (n > PUSH_TIMEOUT_MAX_MIN) {
    throw new InputError(`${io.inputName(name)} must be at most ${PUSH_TIMEOUT_MAX_MIN} minutes (a day), got "${value}"`);
  }
  // whole ms, at least 1: what timers take
  return Math.max(1, Math.round(n * 60_000));
}

function parseStoreUrl(name: string, text: string, schemes: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${io.inputName(name)}: "${text}" is not a URL; write it like https://cache.example.org or file:///srv/cache`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new InputError(
      `${io.inputName(name)}: "${text}" uses ${url.protocol}// which is not supported here; use one of ${schemes.map((s) => s + "//").join(", ")}`,
    );
  }
  if (url.protocol === "file:" && (url.host !== "" || !url.pathname.startsWith("/"))) {
    throw new InputError(`${io.inputName(name)}: "${text}" must be an absolute file URL with three slashes, like file:///srv/nix-cache`);
  }
  return url;
}

function storeUrls(get: Getter, name: string, schemes: string[]): string[] {
  const urls = words(get(name));
  for (const u of urls) parseStoreUrl(name, u, schemes);
  return urls;
}

function publicKeys(get: Getter): string[] {
  const keys = words(get("trusted-public-keys"));
  for (const k of keys) {
    const parsed = parseNixKey(k, 32);
    if (typeof parsed === "string") {
      throw new InputError(
        `${io.inputName("trusted-public-keys")}: ${parsed}; give the public key as printed by 'nix key convert-secret-to-public' (name:base64 of 32 bytes)`,
      );
    }
  }
  return keys;
}

async function signingKey(get: Getter, mask: Masker): Promise<{ key: string; pub: string }> {
  const key = get("signing-key").trim();
  if (key === "") return { key: "", pub: "" };
  mask(key);
  mask(key.slice(key.indexOf(":") + 1));
  const parsed = parseNixKey(key, 64);
  if (typeof parsed === "string") {
    throw new InputError(
      `${io.inputName("signing-key")}: ${parsed}; pass the secret key file made by 'nix key generate-secret' (or nix-store --generate-binary-cache-key), usually from a secret`,
    );
  }
  const pub = await publicKeyOf(parsed);
  if (pub === undefined) {
    throw new InputError(
      `${io.inputName("signing-key")}: the key "${parsed.name}" is damaged (its public half does not match its seed); generate it again with 'nix key generate-secret'`,
    );
  }
  return { key, pub };
}

function pushUrl(get: Getter): PushTarget | undefined {
  const text = get("push-to").trim();
  if (text === "") return undefined;
  return pushTarget(text, parseStoreUrl("push-to", text, PUSH_SCHEMES));
}

function skipUpstreamInput(get: Getter): Upstream[] {
  const parsed = parseSkipUpstream(get("skip-upstream"));
  if (typeof parsed === "string") throw new InputError(`${io.inputName("skip-upstream")}: ${parsed}`);
  return parsed;
}

function regex(get: Getter, name: string): string {
  const text = get(name).trim();
  if (text === "") return "";
  try {
    new RegExp(text);
  } catch (e) {
    throw new InputError(`${io.inputName(name)}: "${text}" is not a valid regular expression (${(e as Error).message}); escape special characters like \\. or \\+`);
  }
  return text;
}

function confLines(get: Getter, name: string): string {
  const text = get(name);
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (!/^(include|!include)\s+\S/.test(line) && !/^[A-Za-z0-9_-]+\s*=/.test(line)) {
      throw new InputError(`${io.inputName(name)}: line ${i + 1} ("${line}") is not a nix.conf line; write "setting = value", one per line`);
    }
  });
  return text.trim();
}

function tokens(get: Getter, mask: Masker): string {
  const text = get("access-tokens").trim();
  if (text === "") return "";
  mask(text);
  for (const t of words(text)) {
    mask(t);
    if (t.includes("=")) mask(t.slice(t.indexOf("=") + 1));
    if (!/^[^=\s]+=\S+$/.test(t)) {
      throw new InputError(`${io.inputName("access-tokens")}: each entry must be host=token (e.g. github.com=ghp_…), separated by spaces; one entry is not`);
    }
  }
  return words(text).join(" ");
}

function netrcText(get: Getter, mask: Masker): string {
  const text = get("netrc");
  if (text.trim() === "") return "";
  mask(text.trim());
  // the values after `password` and `account`, not every word: masking "machine" would blank logs
  const w = words(text);
  w.forEach((word, i) => {
    if ((word === "password" || word === "account") && w[i + 1]) mask(w[i + 1]);
  });
  if (!/\b(machine|default)\b/.test(text)) {
    throw new InputError(`${io.inputName("netrc")}: the text has no "machine" or "default" entry; write "machine cache.example.org login USER password TOKEN"`);
  }
  return text.trim() + "\n";
}

function installerUrlInput(get: Getter): string {
  const text = get("installer-url").trim();
  if (text === "") return "";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${io.inputName("installer-url")}: "${text}" is not a URL; give the full https:// address of the installer binary on your mirror`);
  }
  if (!["http:", "https:", "file:"].includes(url.protocol)) {
    throw new InputError(`${io.inputName("installer-url")}: "${text}" must be an http://, https:// or file:// URL`);
  }
  return text;
}

function sha256(get: Getter): string {
  const text = get("installer-sha256").trim().toLowerCase();
  if (text === "") return "";
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new InputError(`${io.inputName("installer-sha256")}: expected 64 hex characters (the output of sha256sum), got "${text}"`);
  }
  return text;
}

