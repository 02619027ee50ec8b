import * as runner from "./runner.js";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { classify, type Environment, type Facts, findNixOffPath, ModeError, probeFacts } from "./environment.js";
import { run } from "./exec.js";
import { jobDir } from "./job-dir.js";
import { InputError, type Inputs, readInputs } from "./inputs.js";
import { type BaseConfig, parseShowConfig, renderConf, nixConfigEnv } from "./nix/config.js";
import { readConfFiles, readsEtcNix } from "./nix/conf-files.js";
import { type NixFound, realPathOf } from "./nix/locate.js";
import { readNixpkgsDate } from "./nix/flake-lock.js";
import { decideTrust, ignoredByDaemon, type Trust } from "./nix/trust.js";
import { atLeast } from "./nix/version.js";
import { save, StateKey } from "./state.js";

/** The main step. `nix`: the nix on PATH and its version, when the entry has already started looking. */
export async function runMain(nix?: NixFound): Promise<void> {
  try {
    await setup(nix);
  } catch (err) {
    if (err instanceof InputError || err instanceof ModeError || err instanceof SetupError) {
      runner.setFailed(err.message);
    } else {
      runner.setFailed(`nix-runner-action failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
}

export class SetupError extends Error {}

async function setup(nix?: NixFound): Promise<void> {
  const inputs = await readInputs();
  let facts = await runner.group("Detect", async () => {
    const f = await probeFacts(process.env, { installing: inputs.mode === "install", nix });
    runner.info(JSON.stringify({ ...f }, null, 2));
    return f;
  });
  if (!facts.nixPath && inputs.mode !== "install") {
    // A Nix that is there but off PATH is still the host's or image's Nix, never one to install over.
    const dir = await findNixOffPath();
    if (dir) {
      runner.info(`nix is not on PATH but is installed in ${dir}: adding it to PATH for this job`);
      runner.addPath(dir);
      facts = await probeFacts();
    }
  }
  const envr = classify(facts, inputs.mode);
  if (envr.kind !== "installed" && facts.daemonProblem) throw new SetupError(`Nix cannot reach its store: ${facts.daemonProblem}`);
  if (envr.kind !== "installed" && facts.viaDaemon && !facts.autoPicksDaemon && !process.env.NIX_REMOTE) {
    // Nix would open the store directly (its state dir is writable) and fail on the read-only store or database.
    runner.info("The store cannot be written from this job but a daemon answers: NIX_REMOTE=daemon for this job's steps");
    runner.exportVariable("NIX_REMOTE", "daemon");
  }
  let installed = false;
  if (envr.kind === "installed") {
    const { installNix } = await import("./nix/install.js");
    facts = await runner.group("Install Nix", () => installNix(inputs, facts, envr));
    installed = true;
  } else {
    await checkVersion(inputs, facts);
  }

  // read after an install, so that it is the installed Nix's view
  const filesKnown = facts.nixPath !== undefined && readsEtcNix(realPathOf(facts.nixPath));
  const base = await baseConfig(baseConfigEnv(), { filesKnown });
  const trust = await runner.group("Configure", () => configure(inputs, facts, envr, base, filesKnown));

  const nixpkgsDate = await readNixpkgsDate(process.env.GITHUB_WORKSPACE || process.cwd());
  runner.setOutput("environment", envr.kind);
  runner.setOutput("platform", envr.platform);
  runner.setOutput("nix-version", facts.nixVersion ?? "");
  runner.setOutput("installed", String(installed));
  runner.setOutput("container", String(envr.container));
  runner.setOutput("nixpkgs-date", nixpkgsDate);
  runner.info(
    `environment=${envr.kind} platform=${envr.platform} nix=${facts.nixVersion ?? "?"} container=${envr.container} ` +
      `installed=${installed} trusted=${trust.trusted} nixpkgs-date=${nixpkgsDate || "-"}`,
  );
}

async function checkVersion(inputs: Inputs, facts: Facts): Promise<void> {
  if (!inputs.nixVersion) return;
  const { default: semver } = await import("semver");
  if (!facts.nixVersion || !semver.satisfies(facts.nixVersion, inputs.nixVersion)) {
    throw new SetupError(
      `nix-version: this job's Nix is ${facts.nixVersion ?? "of unknown version"}, which does not satisfy "${inputs.nixVersion}"; ` +
        `the action never replaces a Nix it did not install: use an image or host with a matching Nix, or widen nix-version`,
    );
  }
}

/**
 * Reads the settings in effect before ours, with our own file left out so a second run sees the same
 * base: from the files Nix reads, or from `nix show-config` when they hold anything the reader is not
 * sure of (and then Nix's own error, if it has one, is what the user sees), or when this nix may
 * not read /etc/nix (`filesKnown` false).
 */
async function baseConfig(env: NodeJS.ProcessEnv, opts: { systemOnly?: boolean; filesKnown: boolean }): Promise<BaseConfig> {
  const fromFiles = opts.filesKnown ? await readConfFiles(env, opts) : undefined;
  if (fromFiles) return fromFiles;
  const r = await run("nix", ["--extra-experimental-features", "nix-command", "show-config"], { env });
  if (r.code !== 0) throw new SetupError(`could not read Nix's configuration ('nix show-config' failed: ${r.stderr.trim()})`);
  return parseShowConfig(r.stdout);
}

/**
 * The settings the daemon itself reads: the machine's nix.conf only. The job's NIX_CONFIG and user
 * files reach the client, never the daemon, so a `trusted-users` line there proves nothing.
 */
async function daemonConfig(filesKnown: boolean): Promise<BaseConfig> {
  const env: NodeJS.ProcessEnv = { ...process.env, NIX_USER_CONF_FILES: "" };
  delete env.NIX_CONFIG;
  return baseConfig(env, { systemOnly: true, filesKnown });
}

async function groupsOf(user: string): Promise<string[]> {
  const r = await run("id", ["-Gn", user]);
  return r.code === 0 ? r.stdout.trim().split(/\s+/) : [];
}

async function daemonTrust(facts: Facts, env: NodeJS.ProcessEnv): Promise<boolean | undefined> {
  // `nix store ping --json` reports "trusted" since Nix 2.15; older versions have no way to ask.
  if (!(await atLeast(facts.nixVersion, "2.15.0"))) return undefined;
  const store = env.NIX_REMOTE || "daemon";
  const r = await run("nix", ["--extra-experimental-features", "nix-command", "store", "ping", "--json", "--store", store], { env });
  if (r.code !== 0) return undefined;
  try {
    const t = (JSON.parse(r.stdout) as { trusted?: number | boolean }).trusted;
    return t === undefined ? undefined : Boolean(t);
  } catch {
    return undefined;
  }
}

/** Our conf file's path, and the job's NIX_CONFIG with and without our include of it. */
function confFiles(): { confPath: string; withOurs: string; without: string } {
  const confPath = path.join(jobDir(), "nix.conf");
  return { confPath, ...nixConfigEnv(confPath, process.env) };
}

/** The environment to read the config in effect before ours: our own file left out. */
function baseConfigEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NIX_CONFIG: confFiles().without };
}

async function configure(inputs: Inputs, facts: Facts, envr: Environment, base: BaseConfig, filesKnown: boolean): Promise<Trust> {
  const dir = jobDir();
  const { confPath, withOurs } = confFiles();
  const baseEnv = baseConfigEnv();

  const [groups, daemonSays, daemonView] = await Promise.all([
    facts.viaDaemon ? groupsOf(facts.user) : Promise.resolve([]),
    facts.viaDaemon ? daemonTrust(facts, baseEnv) : Promise.resolve(undefined),
    facts.viaDaemon ? daemonConfig(filesKnown) : Promise.resolve(base),
  ]);
  // A daemon the action installed in this container reads this container's nix.conf.
  const sameConfigAsDaemon = envr.kind === "installed" || facts.daemonSharesConfig;
  const trust = decideTrust(
    { viaDaemon: facts.viaDaemon, uid: facts.uid, user: facts.user, groups, sameConfigAsDaemon, daemonSays },
    daemonView,
  );

  if (inputs.signingKey && !inputs.trustedPublicKeys.includes(inputs.signingPublicKey) && !base.trustedPublicKeys.includes(inputs.signingPublicKey)) {
    runner.warning(
      `signing-key: its public key ${inputs.signingPublicKey} is not among the trusted keys in effect; ` +
        `jobs reading the cache will refuse what is pushed unless they trust it: add it to trusted-public-keys`,
    );
  }

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secretFiles: string[] = [];
  let netrcFile: string | undefined;
  if (inputs.netrc) {
    netrcFile = path.join(dir, "netrc");
    await writeFile(netrcFile, inputs.netrc, { mode: 0o600 });
    await chmod(netrcFile, 0o600);
    secretFiles.push(netrcFile);
    // recorded at once, so a failure further on still leaves post a note to remove it
    save(StateKey.SecretFiles, secretFiles);
  }
  const { preparePush } = await import("./push/prepare.js");
  const push = await preparePush(inputs, facts, envr, trust, dir);

  if (trust.trusted !== true) {
    const ignored = ignoredByDaemon(
      {
        substituters: inputs.substituters,
        trustedPublicKeys: inputs.trustedPublicKeys,
        extraConf: inputs.extraConf,
        netrc: Boolean(netrcFile),
        hook: push.hook !== undefined,
      },
      daemonView,
      facts.user,
    );
    if (ignored.length > 0) {
      const verdict =
        trust.trusted === "unknown"
          ? `may not trust user "${facts.user}" (trust could not be determined: ${trust.how}); if it does not, it will ignore`
          : `does not trust user "${facts.user}", so it will ignore`;
      runner.warning(
        `The Nix daemon ${verdict}: ${ignored.map((i) => i.setting).join("; ")}. ` +
          `To honour them, the host admin adds to /etc/nix/nix.conf and restarts nix-daemon: ${[...new Set(ignored.map((i) => i.fix))].join(" | ")}`,
      );
    }
  }

  if (netrcFile && facts.viaDaemon && !sameConfigAsDaemon) {
    runner.warning(
      `netrc: the Nix daemon runs outside this container and cannot read ${netrcFile}, so substitution from private caches ` +
        `will not use it; put the credentials in the daemon's own netrc-file on the host instead`,
    );
  }

  const text = renderConf(
    {
      substituters: inputs.substituters,
      trustedPublicKeys: inputs.trustedPublicKeys,
      extraConf: inputs.extraConf,
      accessTokens: inputs.accessTokens,
      netrcFile,
      postBuildHook: push.hook,
    },
    base,
  );
  await writeFile(confPath, text, { mode: 0o600 });
  await chmod(confPath, 0o600);
  if (inputs.accessTokens) secretFiles.push(confPath);
  save(StateKey.SecretFiles, secretFiles);
  runner.exportVariable("NIX_CONFIG", withOurs);
  runner.info(text.replace(/^access-tokens = .*$/m, "access-tokens = ***"));
  return trust;
}
