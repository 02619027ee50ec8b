import { type BaseConfig, normalizeUrl } from "./config.js";

export type Trust = { trusted: boolean; how: string } | { trusted: "unknown"; how: string };

export interface TrustFacts {
  viaDaemon: boolean;
  uid: number;
  user: string;
  groups: string[];
  /** true when our nix.conf view is the daemon's (a host), false in a container talking to the host's socket. */
  sameConfigAsDaemon: boolean;
  /** From `nix store ping --json` (Nix ≥ 2.15): the daemon's own answer. */
  daemonSays?: boolean;
}

/** Decides whether the daemon will honour privileged settings from this user. */
export function decideTrust(f: TrustFacts, base: BaseConfig): Trust {
  if (!f.viaDaemon) return { trusted: true, how: "the store is opened directly, no daemon in between" };
  if (f.daemonSays !== undefined) return { trusted: f.daemonSays, how: "reported by the daemon (nix store ping)" };
  if (!f.sameConfigAsDaemon) return { trusted: "unknown", how: "the daemon's nix.conf is not visible from this container" };
  const matches = base.trustedUsers.some(
    (entry) => entry === "*" || entry === f.user || (entry.startsWith("@") && f.groups.includes(entry.slice(1))),
  );
  return { trusted: matches, how: `trusted-users = ${base.trustedUsers.join(" ")}` };
}

export interface Ignored {
  setting: string;
  fix: string;
}

/**
 * Settings the daemon takes from any client (all others only from a trusted one). Each is checked
 * against a real daemon on Nix 2.8, 2.26 and 2.34 (test/nix/trust.integration.test.ts: an untrusted
 * client sets it, the test observes whether it took effect): the four the daemon's own allow-list
 * names, and those the protocol carries in fields of their own, which the daemon applies for
 * everyone (max-jobs, cores, keep-failed, keep-going, fallback, substitute).
 */
const UNTRUSTED_OK = new Set([
  "build-timeout",
  "max-silent-time",
  "poll-interval",
  "connect-timeout",
  "max-jobs",
  "cores",
  "keep-failed",
  "keep-going",
  "fallback",
  "substitute",
]);
/** Settings the client applies itself, so the daemon's trust does not matter for them. */
const CLIENT_SIDE = new Set([
  "experimental-features",
  "extra-experimental-features",
  "access-tokens",
  "accept-flake-config",
  "flake-registry",
  "warn-dirty",
  "show-trace",
  "eval-cache",
  "allow-import-from-derivation",
  "pure-eval",
  "restrict-eval",
  "allowed-uris",
  "max-call-depth",
  "tarball-ttl",
]);

/**
 * What an untrusted client's settings lose at the daemon, each with the nix.conf line the host's
 * admin must add. Substituters listed in trusted-substituters are allowed for anyone.
 */
export function ignoredByDaemon(
  req: { substituters: string[]; trustedPublicKeys: string[]; extraConf: string; netrc: boolean; hook: boolean },
  base: BaseConfig,
  user: string,
): Ignored[] {
  const out: Ignored[] = [];
  const allowed = new Set([...base.trustedSubstituters, ...base.substituters].map(normalizeUrl));
  const subs = req.substituters.filter((s) => !allowed.has(normalizeUrl(s)));
  if (subs.length) out.push({ setting: `substituters ${subs.join(" ")}`, fix: `extra-trusted-substituters = ${subs.join(" ")}` });
  const keys = req.trustedPublicKeys.filter((k) => !base.trustedPublicKeys.includes(k));
  if (keys.length) out.push({ setting: `trusted-public-keys ${keys.map((k) => k.split(":")[0]).join(" ")}`, fix: `extra-trusted-public-keys = ${keys.join(" ")}` });
  if (req.netrc) out.push({ setting: "netrc-file", fix: `trusted-users = ${user} (or put the netrc in the daemon's netrc-file)` });
  if (req.hook) out.push({ setting: "post-build-hook", fix: `trusted-users = ${user}` });
  for (const raw of req.extraConf.split("\n")) {
    const name = raw.trim().match(/^([A-Za-z0-9_-]+)\s*=/)?.[1];
    if (!name || UNTRUSTED_OK.has(name) || CLIENT_SIDE.has(name)) continue;
    out.push({ setting: `extra-conf ${name}`, fix: `trusted-users = ${user}` });
  }
  return out;
}
