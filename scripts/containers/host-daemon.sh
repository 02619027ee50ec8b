#!/usr/bin/env bash
# The "host's daemon" for shared-store container jobs: a nix-daemon of this machine's Nix serving the
# machine's /nix/store on a private socket, never the system's daemon (as test/helpers/nix.ts's
# startDaemon). Its nix.conf is its own (DIR/nix.conf, through NIX_CONF_DIR): the host admin's file.
#
#   host-daemon.sh start DIR [NIX_CONF_LINES]   prints NIX_DAEMON_SOCKET_PATH=DIR/socket/socket and
#                                               DAEMON_PID=…; mount DIR/socket into the job as
#                                               /nix/var/nix/daemon-socket
#   host-daemon.sh stop DIR                      stops it by its PID
#
# NIX_REMOTE=local in its env: on a store whose state dir it cannot tell from a client's, the
# automatic choice would find the daemon's own socket and connect to itself.
set -euo pipefail
lib=$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)
cmd=${1:-} dir=${2:-}
[ -n "$dir" ] || { echo "usage: host-daemon.sh start DIR [NIX_CONF_LINES] | stop DIR" >&2; exit 2; }
mkdir -p "$dir/socket"
dir=$(cd "$dir" && pwd)
case $cmd in
  start)
    chmod 755 "$dir" "$dir/socket"
    host_conf=$(node "$lib/nix.mjs" config)
    printf '%s\n' "$host_conf" "${3:-}" >"$dir/nix.conf"
    rm -f "$dir/socket/socket"
    setsid env -u NIX_CONFIG NIX_REMOTE=local NIX_CONF_DIR="$dir" NIX_DAEMON_SOCKET_PATH="$dir/socket/socket" \
      nix-daemon </dev/null >"$dir/daemon.log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 100); do [ -S "$dir/socket/socket" ] && break; sleep 0.05; done
    [ -S "$dir/socket/socket" ] || { echo "host-daemon: no socket within 5 s" >&2; cat "$dir/daemon.log" >&2; kill -KILL "$(cat "$dir/pid")"; exit 1; }
    echo "NIX_DAEMON_SOCKET_PATH=$dir/socket/socket"
    echo "DAEMON_PID=$(cat "$dir/pid")" ;;
  stop)
    pid=$(cat "$dir/pid" 2>/dev/null || true)
    [ -n "$pid" ] || exit 0
    node "$lib/process.mjs" stop --grace-ms 5000 "$pid"
    rm -f "$dir/pid" ;;
  *) echo "usage: host-daemon.sh start DIR [NIX_CONF_LINES] | stop DIR" >&2; exit 2 ;;
esac
