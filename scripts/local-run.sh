#!/usr/bin/env bash
# Sets up this machine (Debian's nix-bin and friends, npm deps) and runs the action's main job
# locally as a runner would: main step, a small nix build, post step pushing to .local-run/cache.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup-machine.sh" --minimal
node "$root/scripts/lib/runner.mjs" ensure-built
exec node "$root/scripts/local-run.mjs" "$@"
