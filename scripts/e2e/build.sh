#!/usr/bin/env bash
# Runs as a step after the action: builds the salted fixture with the new CLI (`nix build` only
# works here because the action's job-scoped config enables nix-command on Nix 2.8), and leaves the
# store path in $RESULTS/$JOB_NAME.path for the harness, which checks the cache for it after the job.
set -euo pipefail
: "${JOB_NAME:?} ${SALT:?set vars.E2E_SALT} ${RESULTS:?set vars.E2E_RESULTS}"
fixture=test/fixtures/e2e/salted.nix
args=(-f "$fixture" --argstr salt "$SALT" --argstr job "$JOB_NAME")
nix build "${args[@]}" --no-link
out=$(nix path-info "${args[@]}")
grep -q "$JOB_NAME $SALT" "$out" || { echo "::error::$out does not hold the salt" >&2; exit 1; }
mkdir -p "$RESULTS"
echo "$out" >"$RESULTS/$JOB_NAME.path"
echo "built $out"
