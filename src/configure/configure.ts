import * as io from "../step-io.js";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import type { Environment, Facts } from "../detect/classify.js";
import { ActionError } from "../errors.js";
import { run } from "../exec.js";
import type { Inputs } from "../inputs.js";
import { jobDir, jobFiles } from "../job-dir.js";
import { readConfFiles, readsEtcNix } from "../nix/conf-files.js";
import { notUnderstood, UnknownAnswer } from "../nix/answer.js";
import { type BaseConfig, configShowArgs, nixConfigEnv, parseShowConfig, parseStoreInfoTrusted, renderConf, showConfigDoubt, storeInfoArgs } from "../nix/config.js";
import { realPathOf } from "../nix/locate.js";
import { decideTrust, ignoredByDaemon, type Trust } from "../nix/trust.js";
import { runSpellings } from "../nix/spelling.js";
import { type NixVersion, supports } from "../nix/version.js";
import { save, StateKey } from "../state.js";
import { NIX_COMMAND } from "../nix/features.js";

// Job-scoped configuration: read what is in effect (files or `nix show-config`, and the daemon's
// view), decide trust, then write this job's nix.conf and hand it to later steps.

export interface ConfigView {
  /** The settings in effect before ours (our own file left out, so a second run sees the same). */
  base: BaseConfig;
  /** The settings the daemon reads, when there is one; else `base`. */
  daemonView: BaseConfig;
  trust: Trust;
  /** The daemon reads the nix.conf this job sees (it runs here, or the action installed it). */
  sameConfigAsDaemon: boolean;
}

/** What is in effect before this job's settings, and whether the daemon (if any) trusts this user. */
export async function readConfig(inputs: Inputs, facts: Facts, envr: Environment): Promise<ConfigView> {
  // read after an install, so that it is the installed Nix's view
  const filesKnown = facts.nixPath !== undefined && readsEtcNix(realPathOf(facts.nixPath));
  const baseEnv = baseConfigEnv();
  const [base, groups, daemonSays, daemonOwn] = await Promise.all([
    baseConfig(baseEnv, { filesKnown, version: facts.nixVersion }),
    facts.viaDaemon ? groupsOf(facts.user) : Promise.resolve([]),
    facts.viaDaemon ? daemonTrust(facts, baseEnv) : Promise.resolve(undefined),
    facts.viaDaemon ? daemonConfig(filesKnown, facts.nixVersion) : Promise.resolve(undefined),
  ]);
  const daemonView = daemonOwn ?? base;
  // A daemon the action installed in this container reads this container's nix.conf.
  const sameConfigAsDaemon = envr.kind === "installed" || facts.daemonSharesConfig;
  const trust = decideTrust(
    { viaDaemon: facts.viaDaemon, uid: facts.uid, user: facts.user, groups, sameConfigAsDaemon, daemonSays },
    daemonView,
  );
  if (inputs.signingKey && !inputs.trustedPublicKeys.includes(inputs.signingPublicKey) && !base.trustedPublicKeys.includes(inputs.signingPublicKey)) {
    io.warning(
      `${io.inputName("signing-key")}: its public key ${inputs.signingPublicKey} is not among the trusted keys in effect; ` +
        `jobs reading the cache will refuse what is pushed unless they trust it: add it to ${io.inputName("trusted-public-keys")}`,
    );
  }
  return { base, daemonView, trust, sameConfigAsDaemon };
}

/**
 * Writes this job's nix.conf (0600, in the job's folder) with the inputs and the push's hook, says
 * once what the daemon will ignore, and points later steps at it through NIX_CONFIG.
 */
export async function writeJobConfig(inputs: Inputs, facts: Facts, view: ConfigView, hook: string | undefined): Promise<void> {
  const dir = jobDir();
  const { confPath, withOurs } = confFiles();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secretFiles: string[] = [];
  const netrcFile = inputs.netrc ? await writeNetrc(inputs.netrc, dir, secretFiles) : undefined;
  warnWhatTheDaemonIgnores(inputs, facts, view, netrcFile, hook);
  const text = renderConf(
    {
      substituters: inputs.substituters,
      trustedPublicKeys: inputs.trustedPublicKeys,
      extraConf: inputs.extraConf,
      accessTokens: inputs.accessTokens,
      netrcFile,
      postBuildHook: hook,
    },
    view.base,
  );
  await writeFile(confPath, text, { mode: 0o600 });
  await chmod(confPath, 0o600);
  if (inputs.accessTokens) secretFiles.push(confPath);
  save(StateKey.SecretFiles, secretFiles);
  io.exportVariable("NIX_CONFIG", withOurs);
  io.info(text.replace(/^access-tokens = .*$/m, "access-tokens = ***"));
}

/** The netrc input as a file (0600) in the job's folder; post removes it. */
async function writeNetrc(netrc: string, dir: string, secretFiles: string[]): Promise<string> {
  const file = jobFiles(dir).netrc;
  await writeFile(file, netrc, { mode: 0o600 });
  await chmod(file, 0o600);
  secretFiles.push(file);
  // recorded at once, so a failure further on still leaves post a note to remove it
  save(StateKey.SecretFiles, secretFiles);
  return file;
}

/** Says once which of the job's settings a daemon that does not trust the user, or cannot read them, ignores. */
function warnWhatTheDaemonIgnores(inputs: Inputs, facts: Facts, view: ConfigView, netrcFile: string | undefined, hook: string | undefined): void {
  const { trust } = view;
  if (trust.trusted !== true) {
    const ours = { substituters: inputs.substituters, trustedPublicKeys: inputs.trustedPublicKeys, extraConf: inputs.extraConf, netrc: Boolean(netrcFile), hook: hook !== undefined };
    const ignored = ignoredByDaemon(ours, view.daemonView, facts.user);
    if (ignored.length > 0) {
      const verdict =
        trust.trusted === "unknown"
          ? `may not trust user "${facts.user}" (trust could not be determined: ${trust.how}); if it does not, it will ignore`
          : `does not trust user "${facts.user}", so it will ignore`;
      io.warning(
        `The Nix daemon ${verdict}: ${ignored.map((i) => i.setting).join("; ")}. ` +
          `To honour them, the host admin adds to /etc/nix/nix.conf and restarts nix-daemon: ${[...new Set(ignored.map((i) => i.fix))].join(" | ")}`,
      );
    }
  }
  if (netrcFile && facts.viaDaemon && !view.sameConfigAsDaemon) {
    io.warning(
      `netrc: the Nix daemon runs outside this container and cannot read ${netrcFile}, so substitution from private caches ` +
        `will not use it; put the credentials in the daemon's own netrc-file on the host instead`,
    );
  }
}

/**
 * Reads the settings in effect before ours, with our own file left out so a second run sees the same
 * base: from the files Nix reads, or from `nix show-config` when they hold anything the reader is not
 * sure of (and then Nix's own error, if it has one, is what the user sees), or when this nix may
 * not read /etc/nix (`filesKnown` false).
 */
async function baseConfig(
  env: NodeJS.ProcessEnv,
  opts: { systemOnly?: boolean; filesKnown: boolean; version: NixVersion | undefined },
): Promise<BaseConfig> {
  const fromFiles = opts.filesKnown ? await readConfFiles(env, opts) : undefined;
  if (fromFiles) return fromFiles;
  const asked = { nix: "nix", before: NIX_COMMAND, spellings: await configShowArgs(opts.version), after: [], version: opts.version };
  const { result: r, spelling: cmd } = await runSpellings(asked, { env });
  if (r.code !== 0) throw new ActionError(`could not read Nix's configuration ('nix ${cmd.join(" ")}' failed: ${r.stderr.trim()})`);
  const unclear = showConfigDoubt(r.stdout);
  if (unclear) {
    io.warning(
      notUnderstood(`nix ${cmd.join(" ")}`, opts.version, unclear, "the action goes on as if the settings it could not read were empty, so its trust decision and warnings about ignored settings may be wrong"),
    );
  }
  return parseShowConfig(r.stdout);
}

/**
 * The settings the daemon itself reads: the machine's nix.conf only. The job's NIX_CONFIG and user
 * files reach the client, never the daemon, so a `trusted-users` line there proves nothing.
 */
async function daemonConfig(filesKnown: boolean, version: NixVersion | undefined): Promise<BaseConfig> {
  const env: NodeJS.ProcessEnv = { ...process.env, NIX_USER_CONF_FILES: "" };
  delete env.NIX_CONFIG;
  return baseConfig(env, { systemOnly: true, filesKnown, version });
}

async function groupsOf(user: string): Promise<string[]> {
  const r = await run("id", ["-Gn", user]);
  return r.code === 0 ? r.stdout.trim().split(/\s+/) : [];
}

async function daemonTrust(facts: Facts, env: NodeJS.ProcessEnv): Promise<boolean | undefined> {
  // `nix store ping --json` reports "trusted" since Nix 2.15 and in Lix (1/0; true/false from 2.34
  // on, read alike below); older versions have no way to ask.
  if (!(await supports(facts.nixVersion, "storeTrusted"))) return undefined;
  const store = env.NIX_REMOTE || "daemon";
  const asked = { nix: "nix", before: NIX_COMMAND, spellings: await storeInfoArgs(facts.nixVersion), after: ["--json", "--store", store], version: facts.nixVersion };
  const { result: r, spelling: cmd } = await runSpellings(asked, { env });
  if (r.code !== 0) return undefined;
  try {
    return parseStoreInfoTrusted(r.stdout);
  } catch (e) {
    if (!(e instanceof UnknownAnswer)) throw e;
    io.warning(notUnderstood(`nix ${cmd.join(" ")} --json`, facts.nixVersion, e.message, "trust is decided from the daemon's trusted-users instead, when this job can read them"));
    return undefined;
  }
}

/** Our conf file's path, and the job's NIX_CONFIG with and without our include of it. */
function confFiles(): { confPath: string; withOurs: string; without: string } {
  const confPath = jobFiles().nixConf;
  return { confPath, ...nixConfigEnv(confPath, process.env) };
}

/** The environment to read the config in effect before ours: our own file left out. */
function baseConfigEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NIX_CONFIG: confFiles().without };
}
