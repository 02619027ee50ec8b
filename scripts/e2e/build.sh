#!/usr/bin/env bash
# Runs as a step after the action: builds the salted fixture with the new CLI (`nix build` only
# works here because the action's job-scoped config enables nix-command on Nix 2.8), and leaves the
# store path in $RESULTS/$JOB_NAME.path for the harness, which checks the cache for it after the job.
set -euo pipefail
: "${JOB_NAME:?} ${SALT:?set vars.E2E_SALT} ${RESULTS:?set vars.E2E_RESULTS}"
fixture=test/fixtures/e2e/salted.nix
args=(-f "$fixture" --argstr salt "$SALT" --argstr job "$JOB_NAME")
# a `result` link in the workspace, as a user's build leaves: through a daemon that cannot run the
# job's hook (the diff method), only what the job's GC roots hold is pushed
nix build "${args[@]}" --out-link result
out=$(nix path-info "${args[@]}")
grep -q "$JOB_NAME $SALT" "$out" || { echo "::error::$out does not hold the salt" >&2; exit 1; }
mkdir -p "$RESULTS"
echo "$out" >"$RESULTS/$JOB_NAME.path"
echo "built $out"
