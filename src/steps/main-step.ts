import * as io from "../step-io.js";
import { readConfig, writeJobConfig } from "../configure/configure.js";
import type { Environment, Facts } from "../detect/classify.js";
import { detect } from "../detect/detect.js";
import { ActionError } from "../errors.js";
import { type Inputs, readInputs } from "../inputs.js";
import { jobDir } from "../job-dir.js";
import { readNixpkgsDate } from "../nix/flake-lock.js";
import type { NixFound } from "../nix/locate.js";
import type { Trust } from "../nix/trust.js";
import type { NixVersion } from "../nix/version.js";
import type { PreparedPush } from "../push/prepare.js";
import type { PushTarget } from "../push-target.js";

/** The main step. `nix`: the nix on PATH and its version, when the entry has already started looking. */
export async function runMain(nix?: NixFound): Promise<void> {
  try {
    await main(nix);
  } catch (err) {
    io.setFailed(
      err instanceof ActionError
        ? err.message
        : `nix-runner-action failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
}

async function main(nix?: NixFound): Promise<void> {
  const inputs = await readInputs();
  const { facts: found, envr } = await detect(inputs, nix);
  const installed = envr.kind === "installed";
  const facts = installed ? await io.group("Install Nix", () => install(inputs, found, envr)) : found;
  // before anything of the job's is written: push-to's settings as this Nix takes them
  if (inputs.pushTo) await checkPushTo(inputs.pushTo, facts.nixVersion);
  const trust = await io.group("Configure", async () => {
    const view = await readConfig(inputs, facts, envr);
    const push = await preparePush(inputs, facts, view.trust);
    await writeJobConfig(inputs, facts, view, push.hook);
    if (push.queueFile && push.storeDir && inputs.pushDuringBuild) await startPusher(inputs, envr, push.queueFile, push.storeDir);
    return view.trust;
  });
  const nixpkgsDate = await readNixpkgsDate(process.env.GITHUB_WORKSPACE || process.cwd());

  const outputs = {
    environment: envr.kind,
    platform: envr.platform,
    "nix-version": facts.nixVersion?.version ?? "",
    "nix-implementation": facts.nixVersion?.implementation ?? "",
    installed: String(installed),
    container: String(envr.container),
    "nixpkgs-date": nixpkgsDate,
  };
  for (const [name, value] of Object.entries(outputs)) io.setOutput(name, value);
  io.info(
    `environment=${envr.kind} platform=${envr.platform} nix=${facts.nixVersion?.version ?? "?"} container=${envr.container} ` +
      `installed=${installed} trusted=${trust.trusted} nixpkgs-date=${nixpkgsDate || "-"} nix-implementation=${facts.nixVersion?.implementation ?? "-"}`,
  );
}

// The install and the push are chunks of their own, loaded only when a job needs them.
async function install(inputs: Inputs, facts: Facts, envr: Environment): Promise<Facts> {
  const { installNix } = await import("../install/install.js");
  return installNix(inputs, facts, envr);
}

/** With the job's nix.conf in effect (NIX_CONFIG is exported to this process too), so the pusher's nix sees it. */
async function startPusher(inputs: Inputs, envr: Environment, queueFile: string, storeDir: string): Promise<void> {
  const [{ startPusher: start }, { limitsFrom }, { lifetimeFor }] = await Promise.all([
    import("../push/background.js"),
    import("../push/limits.js"),
    import("../push/lifetime.js"),
  ]);
  await start(inputs, queueFile, storeDir, jobDir(), limitsFrom(process.env, inputs.pushTimeoutMs), lifetimeFor(envr.platform, process.env, Date.now(), process.ppid));
}

async function checkPushTo(target: PushTarget, nixVersion: NixVersion | undefined): Promise<void> {
  const { checkPushSettings } = await import("../push/check-target.js");
  await checkPushSettings(target, nixVersion);
}

async function preparePush(inputs: Inputs, facts: Facts, trust: Trust): Promise<PreparedPush> {
  const { preparePush: prepare } = await import("../push/prepare.js");
  return prepare(inputs, facts, trust, jobDir());
}
