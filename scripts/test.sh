#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what it needs, type-checks, lints,
# builds the bundles, runs the unit and integration tests against real Nix, then the end-to-end
# runs on real runners.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup-machine.sh
npm run lint
npm run build
npx vitest run
# The committed action through real runners: act, Gitea's runner and Forgejo's runner.
npm run e2e
