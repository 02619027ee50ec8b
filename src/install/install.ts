import * as io from "../step-io.js";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import semver from "semver";
import type { Environment, Facts } from "../detect/classify.js";
import { firstError, run } from "../exec.js";
import type { Inputs } from "../inputs.js";
import { ActionError } from "../errors.js";
import { daemonSocketPath, socketAnswers, startDaemon } from "../nix/daemon.js";
import {
  daemonCommand,
  defaultInstallerUrl,
  effectiveInit,
  exactVersion,
  type InstallCommand,
  installCommand,
  type InstallerKind,
  installerSettingsFromEnv,
  installerSystem,
  laterStepEnv,
  needsOwnDaemon,
  nixLayout,
  parseInstallerHelp,
  privilege,
} from "./installer-command.js";
import { fetchInstaller } from "./installer-download.js";
import { nixVersionOf } from "../nix/locate.js";
import { describeNix, type NixVersion } from "../nix/version.js";
import { daemonPidFile, jobDir, jobFiles } from "../job-dir.js";

/**
 * Knobs for this repository's tests only, never documented for users: the installers' download
 * origin (tests serve a stand-in installer on 127.0.0.1), the folder that stands for /nix, and the
 * daemon wait. Users point at a mirror with the installer-url input.
 */
const TEST_DOWNLOAD_ORIGIN = "NIX_RUNNER_ACTION_TEST_DOWNLOAD_ORIGIN";
const TEST_NIX_PREFIX = "NIX_RUNNER_ACTION_TEST_NIX_PREFIX";
const TEST_DAEMON_TIMEOUT_MS = "NIX_RUNNER_ACTION_TEST_DAEMON_TIMEOUT_MS";

const INSTALL_TIMEOUT_MS = 15 * 60_000;
const DAEMON_TIMEOUT_MS = 30_000;

function installerUrl(inputs: Inputs, installer: "nixos" | "determinate", system: string, env: NodeJS.ProcessEnv): string {
  if (inputs.installerUrl) return inputs.installerUrl;
  const url = new URL(defaultInstallerUrl(installer, system));
  const origin = env[TEST_DOWNLOAD_ORIGIN];
  return origin ? `${origin.replace(/\/+$/, "")}${url.pathname}` : url.toString();
}

type NixLayout = ReturnType<typeof nixLayout>;

/** What an install needs to know before it starts: where it runs, as whom, and with which init. */
interface Plan {
  installer: InstallerKind;
  system: string;
  priv: "root" | "sudo";
  init: "systemd" | "none";
  layout: NixLayout;
  workDir: string;
  env: NodeJS.ProcessEnv;
}

/** Installs Nix where it is absent and returns the facts as they are afterwards. */
export async function installNix(inputs: Inputs, facts: Facts, envr: Environment): Promise<Facts> {
  const plan = planInstall(inputs, facts, envr, process.env);
  await mkdir(plan.workDir, { recursive: true, mode: 0o700 });
  const { layout, env } = plan;
  if (existsSync(path.join(layout.bin, "nix"))) {
    io.info(`Nix is already installed at ${layout.bin} (an earlier run in this job, or an earlier job on this machine): not installing again`);
  } else {
    await runInstaller(inputs, facts, plan);
  }
  // The user profile first, as Nix's own profile script orders them.
  io.addPath(layout.bin);
  io.addPath(layout.userBin);
  for (const [k, v] of Object.entries(laterStepEnv(layout, env, existsSync))) io.exportVariable(k, v);
  const viaDaemon = await daemonFor(plan, facts);
  const nixPath = path.join(layout.bin, "nix");
  const nixVersion = await nixVersionOf(nixPath, env);
  checkVersion(inputs.nixVersion, nixVersion);
  io.info(`Installed ${describeNix(nixVersion)} at ${layout.bin} with the ${plan.installer} installer (init: ${plan.init})`);
  const daemonSocket = existsSync(daemonSocketPath(env));
  return { ...facts, nixPath, nixVersion, daemonSocket, viaDaemon, storeWritable: facts.uid === 0, autoPicksDaemon: viaDaemon };
}

/** The install's plan, or why there can be none here. */
function planInstall(inputs: Inputs, facts: Facts, envr: Environment, env: NodeJS.ProcessEnv): Plan {
  if (inputs.installer === "none") {
    throw new ActionError(
      `installer is "none" and this job has no Nix${inputs.mode === "install" ? " to use (mode: install asks for one)" : " on PATH"}; ` +
        `run the job in an image with Nix (mode: image), on a host with a Nix daemon (mode: native), or allow an installer (installer: nixos)`,
    );
  }
  const system = installerSystem(process.arch, process.platform);
  if (!system) {
    throw new ActionError(`installing Nix is supported on x86_64 and aarch64 Linux; this job runs on ${process.platform}/${process.arch}`);
  }
  const priv = privilege(facts.uid, facts.sudo, facts.user);
  if (priv.how === "none") throw new ActionError(priv.reason);
  return {
    installer: inputs.installer,
    system,
    priv: priv.how,
    init: effectiveInit(inputs.init, envr.init),
    layout: nixLayout(env[TEST_NIX_PREFIX] || "/nix", env.HOME || os.homedir()),
    workDir: jobDir(env),
    env,
  };
}

/** Fetches the installer and runs it; it must leave a nix where the layout says. */
async function runInstaller(inputs: Inputs, facts: Facts, plan: Plan): Promise<void> {
  const { installer, system, workDir, env } = plan;
  const url = installerUrl(inputs, installer, system, env);
  if (url.startsWith("http:") && !inputs.installerSha256) {
    io.warning(
      `installer-url: ${url} is plain http and not pinned, and the installer runs as root: anyone on the way can change it. ` +
        `Set installer-sha256 (the output of sha256sum on the binary), or serve it over https`,
    );
  }
  const fetched = await fetchInstaller({ installer, system, url, sha256: inputs.installerSha256, workDir, env });
  const cmd = await commandFor(fetched.path, inputs, facts, plan);
  for (const note of cmd.notes) io.warning(`installer: ${note}`);
  const r = await run(cmd.argv[0], cmd.argv.slice(1), { env: { ...env, ...cmd.env }, echo: true, timeoutMs: INSTALL_TIMEOUT_MS });
  if (r.code !== 0) {
    throw new ActionError(
      `the Nix installer ${r.timedOut ? `ran longer than ${INSTALL_TIMEOUT_MS / 60_000} minutes and was stopped` : `failed (exit ${r.code}): ${firstError(r)}`}; ` +
        `its full output is in the "Install Nix" group of this log`,
    );
  }
  if (!existsSync(path.join(plan.layout.bin, "nix"))) {
    throw new ActionError(`the Nix installer reported success, but there is no nix at ${plan.layout.bin}; see its output in the "Install Nix" group of this log`);
  }
}

/** The installer's command line, for what this installer binary says it offers (its --help). */
async function commandFor(binary: string, inputs: Inputs, facts: Facts, plan: Plan): Promise<InstallCommand> {
  const help = await run(binary, ["install", "linux", "--help"], { env: plan.env, timeoutMs: 60_000 });
  return installCommand({
    installer: plan.installer,
    binary,
    init: plan.init,
    privilege: plan.priv,
    user: facts.user,
    container: facts.container,
    substituters: inputs.substituters,
    trustedPublicKeys: inputs.trustedPublicKeys,
    nixVersion: inputs.nixVersion,
    system: plan.system,
    offers: parseInstallerHelp(help.code === 0 ? help.stdout + help.stderr : ""),
    settings: installerSettingsFromEnv(plan.env),
  });
}

/**
 * Whether later steps reach the store through a daemon; starts one for the job where no init
 * system does and the user is not root.
 */
async function daemonFor(plan: Plan, facts: Facts): Promise<boolean> {
  const { env, init } = plan;
  if (!needsOwnDaemon(init, facts.uid)) return init === "systemd" && facts.uid !== 0;
  const socket = daemonSocketPath(env);
  if (await socketAnswers(socket)) {
    io.info(`A Nix daemon already listens on ${socket}`);
    return true;
  }
  const argv = daemonCommand(path.join(plan.layout.bin, "nix-daemon"), plan.priv, env);
  const timeout = Number(env[TEST_DAEMON_TIMEOUT_MS]) || DAEMON_TIMEOUT_MS;
  const d = await startDaemon(argv, socket, jobFiles(plan.workDir).daemonLog, timeout, env);
  // Where a later step (or a person) finds the daemon this job started, to stop it by its PID.
  await writeFile(daemonPidFile(env), `${d.pid}\n`);
  io.info(`Started nix-daemon (pid ${d.pid}) for this job: there is no init system, and "${facts.user}" is not root; its log: ${d.log}`);
  return true;
}

/** nix-version, when given, must be what the installer installed. */
function checkVersion(wanted: string, installed: NixVersion | undefined): void {
  if (!wanted || (installed && semver.satisfies(installed.upstream, wanted, { includePrerelease: true }))) return;
  const pinned = exactVersion(wanted);
  throw new ActionError(
    `nix-version: the installer installed ${describeNix(installed)}, which does not satisfy "${wanted}". ` +
      (pinned
        ? `The installer was asked for ${pinned} and did not install it: check that this installer release can install it`
        : `Installers bring their own Nix; name one exact version (e.g. nix-version: 2.24.10) to have it fetched, or use an installer release (installer-url) whose Nix matches`),
  );
}
