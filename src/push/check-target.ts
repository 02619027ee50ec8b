import * as io from "../step-io.js";
import { InputError } from "../errors.js";
import { type PushTarget, settingProblems } from "../push-target.js";
import { RECORDED_SETTINGS, standInRefusal, storeSettings } from "../nix/store-settings.js";
import { describeNix, type NixVersion } from "../nix/version.js";

/**
 * Main's check of push-to's settings (its query) against the Nix in use, before anything is written:
 * a name this Nix does not take for the store (it would warn "unknown setting" and push without it),
 * a compression method it has no compressor for, or a value it refuses when it opens the store, is
 * bad input naming push-to and the setting. Values are asked of Nix by opening a stand-in local
 * binary cache with the settings such a cache shares with push-to's (file, http(s), s3); an ssh
 * store's values are checked only when the push connects.
 */
export async function checkPushSettings(target: PushTarget, nixVersion: NixVersion | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (target.settings.length === 0) return;
  const known = await storeSettings(env);
  // a Nix without this store (built without S3): the recorded list; its copy says the rest
  const forScheme = known.byScheme.get(target.scheme) ?? new Set(RECORDED_SETTINGS[target.scheme]);
  const nix = describeNix(nixVersion);
  const problems = settingProblems(target, forScheme);
  if (problems.length > 0) {
    throw new InputError(
      problems.map((p) => `${io.inputName("push-to")}: ${p.why} [${target.scheme}// store of ${nix}, per ${known.source}]; fix push-to's query: nothing was set up`).join("\n"),
    );
  }
  if (target.binaryCache) {
    const local = known.byScheme.get("file:") ?? new Set(RECORDED_SETTINGS["file:"]);
    const refusal = await standInRefusal(target.settings.filter(([n]) => local.has(n)), known.hasStoreInfo, env);
    if (refusal && "name" in refusal) {
      const value = target.settings.find(([n]) => n === refusal.name)?.[1] ?? "";
      throw new InputError(`${io.inputName("push-to")}: ${nix} refuses ${refusal.name}=${value} (${refusal.message}); fix push-to's query: nothing was set up`);
    }
    if (refusal) io.warning(`push-to: could not check its settings' values (${nix} did not open a stand-in cache: ${refusal.unclear}); the push will show any it refuses`);
  }
  io.info(`push-to: ${target.settings.length} setting(s) checked against ${nix} (${known.source})`);
}
