import * as io from "../step-io.js";
import { forgeClient, openOrUpdatePull, owner } from "../bump/forge.js";
import { commitLock, gitIn, lockChanged, pushHead, startFrom } from "../bump/git.js";
import { readBumpInputs } from "../bump/inputs.js";
import { planBump } from "../bump/plan.js";
import { updateInput } from "../bump/update.js";
import { ActionError } from "../errors.js";
import { notUnderstood } from "../nix/answer.js";
import { readNixpkgsDate } from "../nix/flake-lock.js";

/** The bump sub-action: update one flake input, commit the lock, push it or open/update a pull request. */
export async function runBump(): Promise<void> {
  try {
    await bump();
  } catch (err) {
    io.setFailed(err instanceof ActionError ? err.message : `bump failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

async function bump(): Promise<void> {
  const inputs = readBumpInputs(io.getInput, process.env, io.setSecret);
  const git = gitIn(inputs.workspace);
  await startFrom(git, inputs.base);
  const update = await updateInput(inputs.input, inputs.workspace);
  if (!(await lockChanged(git))) {
    io.info(`flake.lock unchanged: input ${inputs.input} is already at its newest revision; nothing to commit`);
    io.setOutput("changed", "false");
    return;
  }
  const date = await readNixpkgsDate(inputs.workspace, inputs.input);
  if (!date) {
    throw new ActionError(
      notUnderstood(update.command, update.version, `the flake.lock it wrote has no locked.lastModified for input ${inputs.input}`, "nothing was committed or pushed"),
    );
  }
  io.info(`${inputs.input} is now at ${date}`);
  io.setOutput("changed", "true");
  io.setOutput("date", date);

  const plan = planBump(inputs, date);
  await commitLock(git, plan.message, inputs.author);
  await pushHead(git, plan.push, inputs.base);
  if (!plan.pull) return;

  const forge = forgeClient(inputs, (url, init) => fetch(url, init));
  const pr = await openOrUpdatePull(forge, inputs.flavour, plan.pull);
  io.info(`${pr.opened ? "opened" : "updated"} pull request #${pr.number}: ${plan.pull.title}`);
  for (const name of pr.missingLabels) {
    io.warning(`label "${name}" does not exist in ${inputs.repository} nor in the ${owner(inputs.repository)} organisation; create it or drop it from the labels input`);
  }
  io.setOutput("pull-request", String(pr.number));
}
