#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what it needs, type-checks, lints,
# builds the bundles, runs the unit tests without Nix, the integration tests against real Nix (on
# 2.8, 2.26 and 2.34: the matrix below), then the end-to-end runs on real runners, these two on a
# never-used Nix store.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Each stage's start, in seconds since this script began (the note of a CI run reads its timings here).
stage() { echo "== test.sh: $1 at ${SECONDS} s"; }
# What failed, repeated at the very end, where a CI log's tail shows it.
failed=()
trap 'echo "== test.sh: ended at ${SECONDS} s${failed[*]:+; failed: ${failed[*]}}"' EXIT
stage "setup-machine"
bash scripts/setup-machine.sh
stage "lint"
npm run lint
# The bundles tier builds dist/ from src/ first (test/helpers/build-bundles.ts): the build the e2e,
# the forge suite and .ci/run's dist/ check use.
stage "bundles tier (npm run build first)"
bash scripts/without-nix.sh npm run test:bundles
stage "unit tier"
# The unit tier with no Nix on PATH, as the unprivileged test user when it can read this checkout.
as=()
if [ "$(id -u)" -eq 0 ] && setpriv --reuid="$(id -u nixtest)" --regid="$(id -g nixtest)" --clear-groups \
  test -r package.json -a -x node_modules/.bin/vitest; then as=(--as nixtest); fi
bash scripts/without-nix.sh "${as[@]}" npm run test:unit
# The integration tier and the e2e on a Nix store that was never used (an empty /nix in a private
# mount namespace), as on a fresh machine right after `apt-get install nix-bin`, however often this
# machine ran them before; test files in a shuffled order, so none leans on another's leftovers
# (vitest prints the seed).
# The integration tier once per Nix version, each on a store of its own, with that version first on
# PATH: the system's (Debian's 2.8) and the newest (2.34) run all of it; 2.26 runs every file but the
# shipped workflows under runners (test/workflows: 2 minutes, and what they add beyond the action's
# own steps is the runners, not Nix). README "Tested with" is generated from these reports.
results=$root/.ci-results
rm -rf "$results" && mkdir -p "$results"
SUBSET=(test/steps test/detect test/nix test/install test/push test/keys.integration.test.ts)
declare -A SCOPE=([2.26.3]="${SUBSET[*]}" [2.34.8]="")
status=0
tier() { # VERSION BINDIR [FILE...]: the integration tier on that Nix, its report in $results/VERSION.json
  local v=$1 bin=$2; shift 2
  stage "integration tier on Nix $v (${*:-all files})"
  PATH="$bin:$PATH" bash scripts/with-fresh-nix.sh npx vitest run --project integration --sequence.shuffle \
    --reporter=default --reporter=json --outputFile.json="$results/$v.json" "$@" || { status=1; failed+=("[integration tier on Nix $v]"); }
}
# Provisioned first: some tests (path-info's) run every Nix they find in .tools/nix, so each tier
# must see the same set whether or not an earlier run left them there.
provisioned=$(node scripts/provision-nix.mjs)
system_version=$(nix --version | awk '{ print $NF }')
tier "$system_version" "$(dirname "$(command -v nix)")"
while read -r v bin; do
  # shellcheck disable=SC2086 # the scope is a list of paths without spaces
  tier "$v" "$bin" ${SCOPE[$v]-${SUBSET[*]}}
done <<<"$provisioned"
node scripts/nix-matrix.mjs summary "$results" || { status=1; failed+=("[nix-matrix summary]"); }
[ "$status" -eq 0 ] || exit 1
# The committed action through real runners: act, Gitea's runner and the Forgejo stand-in (Gitea's
# runner with Forgejo's variables), and the GitLab CLI's jobs under gitlab-ci-local, in host mode
# (shell executor) and in job containers on Podman (the images, and
# DeterminateSystems' installer when .tools/ lacks it, are made on the way: about 10 minutes more on
# a fresh machine, see CONTRIBUTING.md). Its report joins the tiers' for the Tested-with table.
stage "e2e"
bash scripts/with-fresh-nix.sh npm run e2e -- --reporter=json --outputFile.json="$results/e2e.json" || { failed+=("[e2e]"); exit 1; }
node scripts/nix-matrix.mjs check "$results" || { status=1; failed+=("[nix-matrix check: results.json]"); }
# The forge suite: a real Gitea server on 127.0.0.1 (built from the Go module proxy into .tools/ when
# missing, about 5 minutes cold), Gitea's runner registered to it in daemon mode, the action mirrored
# there at v1 and used as users write it (docs/testing.md).
stage "forge suite"
bash scripts/with-fresh-nix.sh npm run test:forge || { failed+=("[forge suite]"); exit 1; }
[ "$status" -eq 0 ]
