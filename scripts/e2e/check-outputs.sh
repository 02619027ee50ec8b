#!/usr/bin/env bash
# Runs as a step after the action: reads the action's outputs (handed in as OUT_* env by the
# workflow), checks them against what this job can see for itself, and leaves them for the harness
# in $RESULTS/$JOB_NAME.outputs. Exits non-zero on the first mismatch, which it also writes to
# $RESULTS/$JOB_NAME.failed: act and Forgejo's runner in host mode may drop the last lines a failing
# step prints (they close the step's terminal without reading what is left in it), so the harness
# reads the verdict from that file, not from the runner's log. With EXPECT_NIX set (the mode:
# install job) it expects the action to have installed Nix, and EXPECT_NIX first on PATH.
set -euo pipefail
: "${JOB_NAME:?} ${EXPECT_PLATFORM:?set vars.E2E_PLATFORM} ${RESULTS:?set vars.E2E_RESULTS}"
mkdir -p "$RESULTS"
fail() {
  printf '%s\n' "$*" >"$RESULTS/$JOB_NAME.failed"
  echo "::error::e2e ($JOB_NAME): $*" >&2
  exit 1
}

[ "$OUT_PLATFORM" = "$EXPECT_PLATFORM" ] || fail "output platform is \"$OUT_PLATFORM\", expected \"$EXPECT_PLATFORM\""
case "$OUT_ENVIRONMENT" in image | native | installed) ;; *) fail "output environment is \"$OUT_ENVIRONMENT\"" ;; esac
nix_path=$(command -v nix || true)
if [ -n "${EXPECT_NIX:-}" ]; then
  # mode: install (e2e-install.yml): the action installed Nix under the test prefix, and that Nix,
  # not the host's, is the one later steps find first on PATH.
  [ "$OUT_INSTALLED" = true ] || fail "output installed is \"$OUT_INSTALLED\", expected true (mode: install)"
  [ "$OUT_ENVIRONMENT" = installed ] || fail "output environment is \"$OUT_ENVIRONMENT\", expected installed (mode: install)"
  [ "$nix_path" = "$EXPECT_NIX" ] || fail "the nix first on PATH is \"$nix_path\", expected the installed one, $EXPECT_NIX"
else
  # Nix was on PATH before the action ran (host mode), so the action must not have installed one.
  [ "$OUT_INSTALLED" = false ] || fail "output installed is \"$OUT_INSTALLED\", expected false (Nix was already on PATH)"
  [ "$OUT_ENVIRONMENT" != installed ] || fail "output environment is installed, but Nix was already on PATH"
fi
case "$OUT_CONTAINER" in true | false) ;; *) fail "output container is \"$OUT_CONTAINER\"" ;; esac
seen=$(nix --version | sed -n 's/^nix (Nix) \([0-9][0-9.]*\).*/\1/p')
[ -n "$seen" ] && [ "$OUT_NIX_VERSION" = "$seen" ] || fail "output nix-version is \"$OUT_NIX_VERSION\", this job's nix says \"$seen\""
if [ -f flake.lock ]; then
  [[ "$OUT_NIXPKGS_DATE" =~ ^[0-9]{8}$ || -z "$OUT_NIXPKGS_DATE" ]] || fail "output nixpkgs-date is \"$OUT_NIXPKGS_DATE\""
else
  [ -z "$OUT_NIXPKGS_DATE" ] || fail "output nixpkgs-date is \"$OUT_NIXPKGS_DATE\" but the workspace has no flake.lock"
fi

{
  echo "platform=$OUT_PLATFORM"
  echo "environment=$OUT_ENVIRONMENT"
  echo "nix-version=$OUT_NIX_VERSION"
  echo "installed=$OUT_INSTALLED"
  echo "container=$OUT_CONTAINER"
  echo "nixpkgs-date=$OUT_NIXPKGS_DATE"
  echo "nix-path=$nix_path"
  echo "nix-version-seen=$seen"
} >"$RESULTS/$JOB_NAME.outputs"
echo "outputs read and checked: platform=$OUT_PLATFORM environment=$OUT_ENVIRONMENT installed=$OUT_INSTALLED nix-version=$OUT_NIX_VERSION nix=$nix_path"
