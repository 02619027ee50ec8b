import * as io from "../step-io.js";
import { access, chmod, constants, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Facts } from "../detect/classify.js";
import type { Inputs } from "../inputs.js";
import type { Trust } from "../nix/trust.js";
import { jobFiles } from "../job-dir.js";
import { save, StateKey } from "../state.js";
import { listStore, storeDirOf } from "../nix/store.js";
import type { PushPlan } from "./plan.js";
import { chooseMethod } from "./select.js";

/** Said once, in main: a push without signing-key looks like it worked, but consumers that check signatures refuse it. */
const unsigned = () =>
  `${io.inputName("push-to")} is set but ${io.inputName("signing-key")} is empty: the paths will be pushed unsigned, and consumers that check ` +
  `signatures (require-sigs, the default) will refuse them; set ${io.inputName("signing-key")} to a secret key whose public half they trust`;

export interface PreparedPush {
  /** Path of the post-build hook script to set for this job, when the hook method is used. */
  hook?: string;
  /** With the hook: the queue it appends to (for the background pusher). */
  queueFile?: string;
  storeDir?: string;
}

/**
 * Main's half of the push: decides how post will find what the job built, and sets that up. The
 * background pusher is started later (`startPusher`), once the job's configuration is in effect.
 */
export async function preparePush(inputs: Inputs, facts: Facts, trust: Trust, dir: string): Promise<PreparedPush> {
  if (!inputs.pushTo) return {};
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!inputs.signingKey) io.warning(unsigned());
  const choice = chooseMethod(inputs.pushPaths, facts, trust);
  const storeDir = storeDirOf(process.env);
  const plan: PushPlan = { method: choice.method, why: choice.why, storeDir, nix: facts.nixVersion };
  let hook: string | undefined;
  const t0 = Date.now();
  if (choice.method === "hook") {
    plan.queueFile = jobFiles(dir).queue;
    hook = jobFiles(dir).hook;
    await writeFile(plan.queueFile, "", { flag: "a", mode: 0o600 });
    await writeFile(hook, hookScript(await absoluteSh(), plan.queueFile), { mode: 0o700 });
    await chmod(hook, 0o700);
  } else if (choice.method === "diff") {
    plan.listingFile = jobFiles(dir).storeListing;
    const names = await listStore(storeDir);
    await writeFile(plan.listingFile, names.join("\n"), { mode: 0o600 });
    io.info(`store listing: ${names.length} entries in ${storeDir} saved to ${plan.listingFile}`);
  }
  io.info(`push: set up the ${choice.method} method in ${Date.now() - t0} ms`);
  io.info(`push: paths will be found by the ${choice.method} method: ${choice.why}`);
  save(StateKey.PushPlan, plan);
  return { hook, queueFile: plan.queueFile, storeDir };
}

/**
 * A hook that only records: it must never fail a build, and it runs in whatever environment Nix
 * gives it (the daemon's, in daemon mode), so everything in it is an absolute path. Some Nix
 * versions (2.8 among them) hand the hook an empty OUT_PATHS; then the derivation is queued and
 * post asks the store for its outputs.
 */
export function hookScript(sh: string, queueFile: string): string {
  const q = `'${queueFile.replace(/'/g, `'\\''`)}'`;
  return [
    `#!${sh}`,
    "# nix-runner-action: queue what this job builds; the post step pushes it.",
    `if [ -n "$OUT_PATHS" ]; then printf '%s\\n' $OUT_PATHS >> ${q}; else printf '%s\\n' "$DRV_PATH" >> ${q}; fi 2>/dev/null`,
    "exit 0",
    "",
  ].join("\n");
}

/** An absolute sh from PATH: Nix images may have no /bin/sh. */
async function absoluteSh(): Promise<string> {
  for (const d of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!d || !path.isAbsolute(d)) continue;
    const candidate = path.join(d, "sh");
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return "/bin/sh";
}
