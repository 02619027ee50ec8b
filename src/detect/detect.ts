import * as io from "../step-io.js";
import { ActionError } from "../errors.js";
import type { Inputs } from "../inputs.js";
import type { NixFound } from "../nix/locate.js";
import { createStateDir } from "../nix/store.js";
import { describeNix, satisfiesRange } from "../nix/version.js";
import { classify, type Environment, type Facts } from "./classify.js";
import { findNixOffPath, probeFacts } from "./facts.js";

export interface Detected {
  facts: Facts;
  envr: Environment;
}

/**
 * The main step's first phase: probe, use a Nix that is installed but off PATH, classify. Where
 * the job's Nix stays (not `installed`), it must reach a store and satisfy nix-version, or the step
 * fails here, before anything is written.
 */
export async function detect(inputs: Inputs, nix?: NixFound): Promise<Detected> {
  let facts = await io.group("Detect", async () => {
    const f = await probeFacts(process.env, { installing: inputs.mode === "install", nix });
    io.info(JSON.stringify({ ...f }, null, 2));
    return f;
  });
  if (!facts.nixPath && inputs.mode !== "install") {
    // A Nix that is there but off PATH is still the host's or image's Nix, never one to install over.
    const dir = await findNixOffPath();
    if (dir) {
      io.info(`nix is not on PATH but is installed in ${dir}: adding it to PATH for this job`);
      io.addPath(dir);
      facts = await probeFacts();
    }
  }
  const envr = classify(facts, inputs.mode);
  if (envr.kind === "installed") return { facts, envr };

  if (facts.daemonProblem) throw new ActionError(`Nix cannot reach its store: ${facts.daemonProblem}`);
  // checked before anything below writes for the job (env file, the state dir)
  await checkVersion(inputs, facts);
  if (facts.viaDaemon && !facts.autoPicksDaemon && !process.env.NIX_REMOTE) {
    // Nix would open the store directly (its state dir is writable) and fail on the read-only store or database.
    io.info("The store cannot be written from this job but a daemon answers: NIX_REMOTE=daemon for this job's steps");
    io.exportVariable("NIX_REMOTE", "daemon");
  }
  // a never-used store this user may create: made now, or Nix 2.26+ would use a chroot store instead
  if (envr.kind === "image" && !facts.viaDaemon && facts.uid !== 0 && facts.storeWritable) {
    const made = await createStateDir(process.env);
    if (made) io.info(`created ${made}: the store is this user's, and Nix 2.26 on would otherwise use a chroot store in ~/.local/share/nix/root`);
  }
  return { facts, envr };
}

async function checkVersion(inputs: Inputs, facts: Facts): Promise<void> {
  if (!inputs.nixVersion) return;
  const nix = facts.nixVersion;
  if (!(await satisfiesRange(nix, inputs.nixVersion))) {
    // a fork is checked as the upstream release it has the features of
    const as = nix?.implementation === "lix" ? `, checked as Nix ${nix.upstream}` : "";
    throw new ActionError(
      `${io.inputName("nix-version")}: this job's Nix is ${describeNix(nix).replace(/^Nix /, "")}${as}, which does not satisfy "${inputs.nixVersion}"; ` +
        `the action never replaces a Nix it did not install: use an image or host with a matching Nix, or widen ${io.inputName("nix-version")}`,
    );
  }
}
