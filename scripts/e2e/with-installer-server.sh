#!/usr/bin/env bash
# with-installer-server.sh FILE URL_PATH STATE_DIR -- RUNNER_CMD...
# For scripts/e2e.sh: serves FILE at http://127.0.0.1:PORT/URL_PATH (the shared test server,
# scripts/lib/http-server.mjs, on a port in 18450–18499) in this network namespace, runs RUNNER_CMD
# with `--var E2E_INSTALLER_URL=<that URL>` appended, then stops the server by its PID and exits
# with the runner's status. STATE_DIR receives the port, the server's request log (requests) and
# its own output (server.log).
set -uo pipefail
file=$1 url_path=$2 state=$3
[ "${4:-}" = -- ] || { echo "usage: $0 FILE URL_PATH STATE_DIR -- CMD..." >&2; exit 2; }
shift 4
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$state"
rm -f "$state/port"
: >"$state/requests"
# The harness's node witness watches the action's steps, not this server.
env -u NODE_OPTIONS node "$root/scripts/lib/http-server.mjs" files --ports 18450-18499 --max-seconds 600 \
  --port-file "$state/port" --log "$state/requests" "$url_path=$file" >"$state/server.log" 2>&1 &
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
"$@" --var "E2E_INSTALLER_URL=$url" &
child=$!
wait "$child"
rc=$?
child=""
stop
exit "$rc"
