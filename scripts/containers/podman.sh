#!/usr/bin/env bash
# podman.sh ARGS...   runs Debian's podman with this repository's own configuration and storage
# (scripts/containers/podman.mjs: the packages it installs when missing, the settings and why).
#   podman.sh --print-env   prints CONTAINERS_CONF=… and CONTAINERS_STORAGE_CONF=…
set -euo pipefail
conf=$(node "$(dirname "${BASH_SOURCE[0]}")/podman.mjs" --print-env)
if [ "${1:-}" = --print-env ]; then echo "$conf"; exit 0; fi
while IFS= read -r line; do export "${line%%=*}=${line#*=}"; done <<<"$conf"
exec podman "$@"
