#!/usr/bin/env bash
# Podman serving the Docker API on a private socket, for the runners' docker mode.
#
#   podman-service.sh start STATE_DIR   starts `podman system service --time=0
#                                       unix://STATE_DIR/podman.sock` with podman.sh's configuration
#                                       (installing podman and runc when missing) and prints
#                                       DOCKER_HOST=unix://… and PODMAN_PID=… (eval-able)
#   podman-service.sh stop STATE_DIR    stops that service by its PID (TERM, KILL after 10 s)
#
# STATE_DIR (e.g. a mktemp -d) holds the socket, the pid file and the service's log. Start the
# service inside the network namespace its containers should have: `--network host` containers
# share the service's namespace, and its bridge networks are made there too (see in-private-net.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmd=${1:-} state=${2:-}
[ -n "$state" ] || { echo "usage: podman-service.sh start|stop STATE_DIR" >&2; exit 2; }
mkdir -p "$state"
state=$(cd "$state" && pwd)

case $cmd in
  start)
    if [ -s "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
      echo "podman-service: already running for $state (pid $(cat "$state/pid"))" >&2; exit 1
    fi
    eval "$(bash "$here/podman.sh" --print-env)"
    export CONTAINERS_CONF CONTAINERS_STORAGE_CONF
    rm -f "$state/podman.sock"
    # setsid: not stopped with the caller's terminal or process group; stopped by its PID.
    setsid podman system service --time=0 "unix://$state/podman.sock" </dev/null >"$state/service.log" 2>&1 &
    pid=$!
    echo "$pid" >"$state/pid"
    for _ in $(seq 1 100); do
      [ -S "$state/podman.sock" ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if [ ! -S "$state/podman.sock" ]; then
      echo "podman-service: the service made no socket within 10 s; its log:" >&2
      sed 's/^/  | /' "$state/service.log" >&2
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$state/pid"
      exit 1
    fi
    echo "DOCKER_HOST=unix://$state/podman.sock"
    echo "PODMAN_PID=$pid" ;;
  stop)
    pid=$(cat "$state/pid" 2>/dev/null || true)
    [ -n "$pid" ] || { echo "podman-service: no pid file in $state" >&2; exit 0; }
    node "$here/../lib/process.mjs" stop --grace-ms 10000 "$pid"
    rm -f "$state/pid" "$state/podman.sock"
    echo "podman-service: stopped pid $pid" >&2 ;;
  *) echo "usage: podman-service.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
