#!/usr/bin/env bash
# with-installer-server.sh FILE URL_PATH STATE_DIR [MORE_URL_PATH=MORE_FILE...] -- RUNNER_CMD...
# For scripts/e2e.sh: serves FILE at http://127.0.0.1:PORT/URL_PATH (the shared test server,
# scripts/lib/http-server.mjs, on a port in 18450–18499) in this network namespace, and each
# MORE_FILE at its MORE_URL_PATH (what an installer downloads in turn, such as the Nix tarball of
# Determinate's installer), runs RUNNER_CMD with `--var E2E_INSTALLER_URL=<FILE's URL>` and
# `--var E2E_SERVER_URL=http://127.0.0.1:PORT` appended, then stops the server by its PID and exits
# with the runner's status. STATE_DIR receives the port, the server's request log (requests) and
# its own output (server.log).
set -uo pipefail
file=$1 url_path=$2 state=$3
shift 3
more=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do more+=("$1"); shift; done
[ "${1:-}" = -- ] || { echo "usage: $0 FILE URL_PATH STATE_DIR [URL_PATH=FILE...] -- CMD..." >&2; exit 2; }
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$state"
rm -f "$state/port"
: >"$state/requests"
# The harness's node witness watches the action's steps, not this server.
env -u NODE_OPTIONS node "$root/scripts/lib/http-server.mjs" files --ports 18450-18499 --max-seconds 600 \
  --port-file "$state/port" --log "$state/requests" "$url_path=$file" "${more[@]}" >"$state/server.log" 2>&1 &
server=$!
child=""
stop() {
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
  kill -TERM "$server" 2>/dev/null
  wait "$server" 2>/dev/null
}
trap 'stop; exit 143' TERM INT
for _ in $(seq 1 100); do
  [ -s "$state/port" ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$state/port" ]; then
  echo "with-installer-server: the installer server did not start (see $state/server.log)" >&2
  stop
  exit 97
fi
url="http://127.0.0.1:$(cat "$state/port")$url_path"
echo "with-installer-server: serving $file at $url (pid $server)"
"$@" --var "E2E_INSTALLER_URL=$url" --var "E2E_SERVER_URL=http://127.0.0.1:$(cat "$state/port")" &
child=$!
wait "$child"
rc=$?
child=""
stop
exit "$rc"
