#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what it needs, type-checks, lints,
# builds the bundles, runs the unit tests without Nix, the integration tests against real Nix,
# then the end-to-end runs on real runners, these two on a never-used Nix store.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup-machine.sh
npm run lint
npm run build
# The unit tier with no Nix on PATH, as the unprivileged test user when it can read this checkout.
as=()
if [ "$(id -u)" -eq 0 ] && setpriv --reuid="$(id -u nixtest)" --regid="$(id -g nixtest)" --clear-groups \
  test -r package.json -a -x node_modules/.bin/vitest; then as=(--as nixtest); fi
bash scripts/without-nix.sh "${as[@]}" npm run test:unit
# The integration tier and the e2e on a Nix store that was never used (an empty /nix in a private
# mount namespace), as on a fresh machine right after `apt-get install nix-bin`, however often this
# machine ran them before; test files in a shuffled order, so none leans on another's leftovers
# (vitest prints the seed).
bash scripts/with-fresh-nix.sh npx vitest run --project integration --sequence.shuffle
# The committed action through real runners: act, Gitea's runner, Forgejo's runner, in host mode and
# in job containers on Podman (the images, and the real NixOS installer when .tools/ lacks it, are
# made on the way: about 10 minutes more on a fresh machine, see CONTRIBUTING.md).
bash scripts/with-fresh-nix.sh npm run e2e
