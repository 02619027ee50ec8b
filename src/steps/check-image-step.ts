import * as io from "../step-io.js";
import { run } from "../exec.js";
import { which } from "../nix/locate.js";
import { checkOne, imageChecks } from "../publish/image-check.js";

/** The check-image sub-action: every check reported, the step failed when one fails. */
export async function runCheckImage(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    let failed = 0;
    for (const c of imageChecks(env)) {
      if (await checkOne(c.probe, env)) io.info(`ok: ${c.label}`);
      else {
        failed++;
        io.error(c.probe.kind === "flakes" ? "flakes are not enabled in the image's nix.conf" : `image check failed: ${c.label}`);
      }
    }
    const nix = which("nix", env);
    if (nix) io.info((await run(nix, ["--version"], { env })).stdout.trim());
    if (failed > 0) io.setFailed(`${failed} image check${failed > 1 ? "s" : ""} failed (see above)`);
  } catch (err) {
    io.setFailed(`check-image failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}
