import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as io from "../step-io.js";
import { ActionError } from "../errors.js";
import { readNixpkgsDate } from "../nix/flake-lock.js";
import { plainArchive } from "../publish/archive.js";
import { readPublishInputs } from "../publish/inputs.js";
import { loginArgs, loginFailure, planTags, pushArgs, registryHost, type SkopeoOptions, summary, tagArgs } from "../publish/plan.js";
import { skopeoCommand, skopeoRunner } from "../publish/skopeo.js";

/** The publish-image sub-action: push the image once to its date tag, then add the other tags by digest. */
export async function runPublish(): Promise<void> {
  try {
    await publish();
  } catch (err) {
    io.setFailed(err instanceof ActionError ? err.message : `publish-image failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

async function publish(): Promise<void> {
  const inputs = readPublishInputs(io.getInput, io.setSecret);
  const dateTag = inputs.dateTag || (await readNixpkgsDate(process.env.GITHUB_WORKSPACE || process.cwd()));
  if (!dateTag) throw new ActionError("no date tag: flake.lock has no nixpkgs input with a lastModified date; lock nixpkgs or pass the date-tag input");
  const plan = planTags(inputs.image, dateTag, inputs.extraTags);
  const skopeo = skopeoRunner(skopeoCommand(process.env));
  const registry = registryHost(inputs.image);

  // auth file, digest file and the plain archive: 0700, removed however the step ends
  const dir = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), "publish-image-"));
  try {
    const o: SkopeoOptions = { authfile: path.join(dir, "auth.json"), insecure: inputs.insecure, retryTimes: inputs.retryTimes };
    await writeFile(o.authfile, "{}\n", { mode: 0o600 });
    if (inputs.username) {
      const login = await skopeo(loginArgs(o, registry, inputs.username), { input: inputs.password });
      const said = (login.stdout + login.stderr).trim();
      if (said) io.info(said);
      if (login.code !== 0) throw new ActionError(loginFailure(said, registry, inputs.username));
    }

    const archive = await plainArchive(inputs.archive, dir);
    const digestfile = path.join(dir, "digest");
    io.info(`Pushing ${plan.first}`);
    if ((await skopeo(pushArgs(o, archive, plan.first, digestfile), { echo: true })).code !== 0) {
      throw new ActionError(`pushing ${plan.first} failed (see skopeo's message above)`);
    }
    const digest = (await readFile(digestfile, "utf8")).trim();
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new ActionError(`skopeo wrote "${digest.slice(0, 80)}" to its digest file, not a sha256 digest`);
    for (const tag of plan.byDigest) {
      io.info(`Tagging ${inputs.image}@${digest} as ${tag}`);
      if ((await skopeo(tagArgs(o, inputs.image, digest, tag), { echo: true })).code !== 0) {
        throw new ActionError(`adding the tag ${tag} to ${inputs.image}@${digest} failed (see skopeo's message above)`);
      }
    }
    io.setOutput("digest", digest);
    io.setOutput("date-tag", dateTag);
    io.appendSummary(summary(inputs.image, plan, digest));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
