#!/usr/bin/env node
// The CLI for GitLab CI jobs (`nix-runner-action setup` in before_script, `push` in after_script):
// src/steps/cli-step.ts. This entry first checks the Node it runs on, importing nothing else and
// using only syntax that old versions parse, so that an old Node says why it cannot go on.
import { nodeTooOld } from "./node-check.js";

const tooOld = nodeTooOld(process.versions.node, process.execPath);
if (tooOld) {
  process.stderr.write("ERROR: " + tooOld + "\n");
  process.exitCode = 1;
} else {
  void import("./steps/cli-step.js").then(function (cli) {
    return cli.cliMain(process.argv.slice(2));
  });
}
