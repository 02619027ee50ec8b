#!/usr/bin/env bash
# in-private-net.sh STATE_DIR -- CMD...
# Runs CMD in a private network namespace (unshare -n) holding only a loopback interface, with
# Podman's Docker API service started inside it (podman-service.mjs, socket in STATE_DIR) and
# DOCKER_HOST pointing at it; then stops the service by its PID and exits with CMD's status.
#
# Why the service runs in here: a container on `--network host` shares the namespace of the Podman
# process that made it, and the bridge networks Gitea's runner makes per job (and their NAT) are
# made in that namespace too. In here, neither leads anywhere: no traffic leaves the machine. The
# runners reach the service through its Unix socket, which no network namespace stops.
#
# Gitea's and Forgejo's runners in exec mode start a cache server on all interfaces and, offline,
# refuse to start unless they find two "global unicast" addresses: two documentation addresses
# (192.0.2.1, 192.0.2.2) on the namespace's own loopback satisfy them and lead nowhere.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${1:?usage: in-private-net.sh STATE_DIR -- CMD...}
[ "${2:-}" = -- ] || { echo "usage: in-private-net.sh STATE_DIR -- CMD..." >&2; exit 2; }
shift 2
ip=$(command -v ip) || { echo "in-private-net: ip (iproute2) is missing" >&2; exit 2; }
mkdir -p "$state"
exec unshare -n bash -c '
  set -uo pipefail
  here=$1 state=$2 ip=$3; shift 3
  "$ip" link set lo up && "$ip" addr add 192.0.2.1/32 dev lo && "$ip" addr add 192.0.2.2/32 dev lo || exit 97
  out=$(node "$here/podman-service.mjs" start "$state") || exit 98
  eval "$out"
  export DOCKER_HOST
  echo "in-private-net: podman service pid $PODMAN_PID, $DOCKER_HOST" >&2
  "$@" &
  child=$!
  trap "kill -TERM \$child 2>/dev/null" TERM INT
  wait "$child"; rc=$?
  # wait again after a signal: the child may still be exiting
  while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
  node "$here/podman-service.mjs" stop "$state"
  exit "$rc"
' in-private-net "$here" "$state" "$ip" "$@"
