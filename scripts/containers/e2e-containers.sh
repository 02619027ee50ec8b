#!/usr/bin/env bash
# End to end in containers: the action, as committed (action.yml + dist/), run by the three runners
# in DOCKER MODE on Podman (not host mode, which scripts/e2e.sh covers), offline, with job images
# made by build-images.sh. Groundwork for issue 13.
#
# First the real NixOS installer (built from source by ../shared/tools/nix-installer/build.sh,
# kept in .tools/nix-installer) on its own in the plain Debian image: refuses without --init none,
# installs with it. Then for each runner (act, Gitea's `runner exec`, Forgejo's `forgejo-runner exec`):
#   - .gitea/workflows/e2e.yml in localhost/nra-nix-job (a direct job and one calling the reusable
#     workflow): the runner's exit code, the outputs a later step read (environment=image,
#     container=true, the runner's platform), the build, and the post step's signed push into a
#     file:// cache, checked from outside with `nix store verify` against this run's key;
#   - .gitea/workflows/e2e-container-probe.yml: what the job sees (platform variables, container
#     signals, workspace), printed for the record;
#   - e2e.yml in localhost/nra-nix-job-shared (the shared-store container: the host's store and
#     database read-only and the daemon socket of host-daemon.sh mounted, a daemon trusting root):
#     environment=native, container=true, the build through the daemon and the push;
#   - .gitea/workflows/e2e-container-install.yml in localhost/nra-debian (no Nix, mode auto): the
#     real installer, served on 127.0.0.1 in the runner's namespace and pinned, installs Nix
#     (environment=installed), the job builds with it and the post step pushes;
#   - afterwards: no container or volume left in podman.sh's storage, the Podman service stopped;
#     at the end no conmon left and the host's /etc/nix/nix.conf byte-identical.
# The cache, the results and the per-run folders sit in one folder per case, which the harness
# mounts into the job container at the same path (act: --container-options "-v D:D"; Gitea's and
# Forgejo's runners: --container-opts "-v D:D"), so the workflows' absolute paths hold inside.
#
# Each runner runs in in-private-net.sh: a private network namespace with only loopback, the
# Podman service started inside it and job containers on `--network host` (that namespace), so
# nothing a job does can reach another machine. The runner's own docker socket mount is turned
# off (--container-daemon-socket -): the jobs need no Docker.
#
# Prints one PASS/FAIL line per check and "e2e-containers: N passed, M failed"; exits non-zero on
# any failure. Knobs: E2E_ONLY, the runners and setups to run (of "act gitea forgejo shared
# installer"; unset: all; "act" alone runs the Nix job image under act), E2E_KEEP=1 (keep the work
# folder), E2E_RUN_TIMEOUT=600 (seconds per runner invocation).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
run_timeout=${E2E_RUN_TIMEOUT:-600}
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS  $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }
say() { echo "----  $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
finish() { echo "e2e-containers: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
podman=(bash "$here/podman.sh")

export NIX_CONFIG="build-users-group =
sandbox = false
substituters ="
work=$(mktemp -d /tmp/nra-e2e-ctr.XXXXXX)
started_pgids=()
cleanup() {
  local g
  for g in "${started_pgids[@]}"; do
    if kill -0 -- "-$g" 2>/dev/null; then kill -TERM -- "-$g" 2>/dev/null; sleep 2; kill -KILL -- "-$g" 2>/dev/null; fi
  done
  if [ "${E2E_KEEP:-}" = 1 ]; then echo "e2e-containers: work folder kept at $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'echo "e2e-containers: interrupted"; exit 130' INT TERM
want() { [ -z "${E2E_ONLY:-}" ] && return 0; local w; for w in $E2E_ONLY; do [ "$1" = "$w" ] && return 0; done; return 1; }

[ -f "$root/dist/main/index.js" ] || { fail "prerequisite: dist/ is not built"; finish; }
host_conf_before=$(sha256sum /etc/nix/nix.conf 2>/dev/null || echo "no /etc/nix/nix.conf")
say "runners (scripts/install-runners.sh)"
declare -A bin=()
while read -r name path _; do [ -x "$path" ] && bin[$name]=$path; echo "      $name: $path"; done < <(bash "$root/scripts/install-runners.sh" 2>&1)

say "job images (build-images.sh, kept when built before)"
t0=$SECONDS
if ! bash "$here/build-images.sh" nix shared | sed 's/^/      /'; then fail "build-images.sh nix shared"; finish; fi
nix_version=$(nix --version | sed -n 's/^nix (Nix) \([0-9.]*\).*/\1/p')
image=localhost/nra-nix-job:$nix_version image_shared=localhost/nra-nix-job-shared:$nix_version
echo "      images ready in $((SECONDS - t0)) s"

say "keys and snapshot"
salt="$(date +%s)-$$"
key_name="nra-e2e-ctr-$salt"
nix-store --generate-binary-cache-key "$key_name" "$work/key.sec" "$work/key.pub"
nix-store --generate-binary-cache-key "nra-e2e-ctr-wrong-$salt" "$work/wrong.sec" "$work/wrong.pub"
chmod 600 "$work/key.sec" "$work/wrong.sec"
public_key=$(cat "$work/key.pub") wrong_key=$(cat "$work/wrong.pub")
# The runners copy their working directory into the job (same-repo actions/checkout is skipped),
# so they get a snapshot of this tree as a small git repository of its own.
repo="$work/repo"
mkdir -p "$repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -xf - -C "$repo"
(cd "$repo" && git init -q && git add -A && git -c user.name=e2e -c user.email=e2e@localhost commit -qm snapshot &&
  git remote add origin http://127.0.0.1:18400/e2e/nix-runner-action.git) || { fail "snapshot of the worktree"; finish; }

verify_cache() { timeout -k 5 120 nix --extra-experimental-features nix-command store verify --store "file://$1" --trusted-public-keys "$2" -r "$3" >/dev/null 2>&1; }
refused() { ! verify_cache "$@"; }

# run CASE RUNNER WORKFLOW PLATFORM IMAGE [EXTRA_CONTAINER_OPTIONS] -> $rc, log in $work/CASE/log
# Set for one call by the caller (and reset after it): run_vars, more --var flags; run_serve=(FILE
# URL_PATH), FILE served on 127.0.0.1 in the runner's namespace, its URL as vars.E2E_INSTALLER_URL.
run_vars=() run_serve=()
run() {
  local case=$1 runner=$2 workflow=$3 platform=$4 image=$5 dir="$work/$1"
  local opts="-v $dir:$dir${6:+ $6}"
  mkdir -p "$dir/home" "$dir/results" "$dir/cache"
  local vars=(--var "E2E_PLATFORM=$platform" --var "E2E_CACHE=$dir/cache" --var "E2E_PUBLIC_KEY=$public_key"
    --var "E2E_SALT=$salt-$case" --var "E2E_RESULTS=$dir/results" "${run_vars[@]}")
  local key_from_file=(bash -c 'E2E_SIGNING_KEY=$(cat "$1") && export E2E_SIGNING_KEY && shift && exec "$@"' _ "$work/key.sec")
  local cmd
  case $runner in
    act)
      printf 'E2E_SIGNING_KEY=%s\n' "$(cat "$work/key.sec")" >"$dir/secrets"; chmod 600 "$dir/secrets"
      cmd=("${bin[act]}" workflow_dispatch -W "$workflow" -P "ubuntu-latest=$image" --pull=false --no-cache-server
        --action-offline-mode --network host --container-daemon-socket - --container-options "$opts"
        --secret-file "$dir/secrets" --env-file /dev/null --var-file /dev/null "${vars[@]}") ;;
    gitea)
      cmd=("${key_from_file[@]}" "${bin[gitea]}" exec -W "$workflow" --image "$image" --event workflow_dispatch
        --network host --container-daemon-socket - --container-opts "$opts"
        --env-file /dev/null --env GITEA_ACTIONS=true -s E2E_SIGNING_KEY "${vars[@]}") ;;
    forgejo)
      cmd=("${key_from_file[@]}" "${bin[forgejo]}" exec -W "$workflow" --image "$image" --event workflow_dispatch
        --network host --container-daemon-socket - --container-opts "$opts"
        --env-file /dev/null --env GITEA_ACTIONS=true -s E2E_SIGNING_KEY "${vars[@]}") ;;
  esac
  local envv=(env -i "PATH=$PATH" "HOME=$dir/home" "USER=$(id -un)" "LANG=C.UTF-8" "TERM=dumb" "TMPDIR=$dir" "NIX_CONFIG=$NIX_CONFIG")
  local t0=$SECONDS
  if [ "${#run_serve[@]}" -eq 2 ]; then
    # inside the namespace: 127.0.0.1 there is the job container's too (--network host)
    cmd=(bash "$root/scripts/e2e/with-installer-server.sh" "${run_serve[0]}" "${run_serve[1]}" "$dir/server" -- "${cmd[@]}")
  fi
  (cd "$repo" && exec setsid "${envv[@]}" timeout -k 20 "$run_timeout" bash "$here/in-private-net.sh" "$dir/podman" -- "${cmd[@]}") </dev/null >"$dir/log" 2>&1 &
  local pid=$!
  started_pgids+=("$pid")
  wait "$pid"; rc=$?
  echo "      $case: runner exited $rc after $((SECONDS - t0)) s"
  if kill -0 -- "-$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null; fail "$case: processes left running (killed)"; fi
  # What the run left: the service's pid file is removed when it was stopped; containers are listed.
  check "$case: the Podman service was stopped" test ! -e "$dir/podman/pid"
  local left; left=$("${podman[@]}" ps -a --format '{{.Names}}')
  if [ -z "$left" ]; then pass "$case: no container left"; else
    fail "$case: containers left: $(echo $left) (removed now)"; "${podman[@]}" rm -f $left >/dev/null
  fi
  # act's and Gitea's runners keep a volume act-toolcache (/opt/hostedtoolcache) across jobs on
  # purpose, where the action caches the installer it downloaded: removed, so every case starts
  # from nothing, as on a fresh runner.
  left=$("${podman[@]}" volume ls -q)
  if [ -n "$left" ]; then echo "      $case: volumes the runner keeps: $(echo $left) (removed)"; "${podman[@]}" volume rm -f $left >/dev/null; fi
}

tail_log() { tail -n "${2:-30}" "$1/log" | sed 's/^/      | /'; }

# good CASE RUNNER PLATFORM IMAGE ENVIRONMENT [CONTAINER_OPTIONS]: e2e.yml, expect success
good() {
  local case=$1 runner=$2 platform=$3 img=$4 environment=$5 job path out dir="$work/$1"
  say "$runner: e2e.yml in $img (expect success, environment=$environment, platform=$platform)"
  run "$case" "$runner" .gitea/workflows/e2e.yml "$platform" "$img" "${6:-}"
  if [ "$rc" -eq 0 ]; then pass "$case: runner exited 0"; else fail "$case: runner exited $rc"; tail_log "$dir" 40; fi
  grep -h -m1 '| environment=' "$dir/log" | sed 's/^/      action said: /'
  for job in direct reusable; do
    out="$dir/results/$job.outputs"
    check "$case/$job: later step read environment=$environment" grep -qx "environment=$environment" "$out"
    check "$case/$job: later step read container=true" grep -qx "container=true" "$out"
    check "$case/$job: later step read platform=$platform" grep -qx "platform=$platform" "$out"
    check "$case/$job: the nix on PATH is the image's /bin/nix" grep -qE '^nix-path=/bin/nix$' "$out"
    if [ -s "$dir/results/$job.path" ]; then
      path=$(cat "$dir/results/$job.path")
      pass "$case/$job: built $(basename "$path")"
      check "$case/$job: nix store verify -r in the cache with the run's key" verify_cache "$dir/cache" "$public_key" "$path"
      check "$case/$job: and refused under another key" refused "$dir/cache" "$wrong_key" "$path"
    else
      fail "$case/$job: no store path recorded"
    fi
  done
}

# probe CASE RUNNER PLATFORM IMAGE: what the job sees, for the record
probe() {
  local case=$1 runner=$2 platform=$3 img=$4 dir="$work/$1"
  say "$runner: e2e-container-probe.yml in $img"
  run "$case" "$runner" .gitea/workflows/e2e-container-probe.yml "$platform" "$img"
  if [ "$rc" -eq 0 ]; then pass "$case: runner exited 0"; else fail "$case: runner exited $rc"; tail_log "$dir" 40; fi
  if [ -f "$dir/results/probe.txt" ]; then sed 's/^/      probe: /' "$dir/results/probe.txt"; else fail "$case: no probe.txt"; fi
  check "$case: outputs environment=image container=true platform=$platform" \
    grep -qx "outputs environment=image container=true platform=$platform nix-version=.*" "$dir/results/probe.txt"
  check "$case: the image's nix.conf (a store file behind /etc/nix/nix.conf) is unchanged after the action" \
    grep -qx "nix.conf-store-file=unchanged" "$dir/results/probe.txt"
}

# installed CASE RUNNER PLATFORM: e2e-container-install.yml in the plain Debian image, mode auto,
# the real installer served on 127.0.0.1 and pinned
installed() {
  local case=$1 runner=$2 platform=$3 dir="$work/$1" out="$work/$1/results/install.outputs"
  say "$runner: e2e-container-install.yml in $image_debian (mode auto, the real NixOS installer; expect success)"
  run_vars=(--var "E2E_INSTALLER_SHA256=$installer_sha")
  run_serve=("$installer" /mirror/nix-installer)
  run "$case" "$runner" .gitea/workflows/e2e-container-install.yml "$platform" "$image_debian"
  run_vars=() run_serve=()
  if [ "$rc" -eq 0 ]; then pass "$case: runner exited 0"; else fail "$case: runner exited $rc"; tail_log "$dir" 40; fi
  grep -h -m1 '| environment=' "$dir/log" | sed 's/^/      action said: /'
  check "$case: the action downloaded the installer once from 127.0.0.1" test "$(cat "$dir/server/requests" 2>/dev/null)" = "GET /mirror/nix-installer 200"
  check "$case: later step read environment=installed" grep -qx "environment=installed" "$out"
  check "$case: later step read installed=true" grep -qx "installed=true" "$out"
  check "$case: later step read container=true" grep -qx "container=true" "$out"
  check "$case: later step read platform=$platform" grep -qx "platform=$platform" "$out"
  check "$case: later step read the embedded Nix's version, $installer_nix" grep -qx "nix-version=$installer_nix" "$out"
  if [ -s "$dir/results/install.path" ]; then
    local path; path=$(cat "$dir/results/install.path")
    pass "$case: built $(basename "$path") with the installed Nix"
    # the path is in the container's store, gone with it: the cache is checked against itself
    check "$case: nix store verify -r in the cache with the run's key" verify_cache "$dir/cache" "$public_key" "$path"
    check "$case: and refused under another key" refused "$dir/cache" "$wrong_key" "$path"
  else
    fail "$case: no store path recorded"
  fi
}

# The real NixOS installer (../shared/tools/nix-installer/build.sh, kept in .tools/nix-installer),
# first checked on its own in the plain Debian image: it refuses without --init none (no systemd
# there) and installs with it.
installer="$root/.tools/nix-installer/nix-installer" installer_nix="" installer_sha=""
image_debian=localhost/nra-debian:bookworm
if want installer; then
  say "the real NixOS installer (built once, then kept) in $image_debian"
  t0=$SECONDS
  if [ ! -x "$installer" ]; then
    mkdir -p "$root/.tools/nix-installer"
    CARGO_TARGET_DIR="$root/.tools/nix-installer/target" nice -n 10 bash "$root/../shared/tools/nix-installer/build.sh" "$installer.partial" \
      >"$root/.tools/nix-installer/build.log" 2>&1 && mv "$installer.partial" "$installer"
  fi
  bash "$here/build-images.sh" debian | sed 's/^/      /'
  if [ -x "$installer" ]; then
    installer_sha=$(sha256sum "$installer" | cut -d' ' -f1)
    echo "      $("$installer" --version) ready in $((SECONDS - t0)) s, sha256 $installer_sha"
    t0=$SECONDS
    "${podman[@]}" run --rm --network none -v "$installer:/opt/nix-installer:ro" "$image_debian" bash -c '
      /opt/nix-installer install linux --no-confirm >/tmp/no-init.log 2>&1; echo "without-init-none=$?"
      grep -c "systemd" /tmp/no-init.log | sed "s/^/mentions-systemd=/"
      /opt/nix-installer install linux --init none --no-confirm >/tmp/install.log 2>&1; echo "with-init-none=$?"
      /nix/var/nix/profiles/default/bin/nix --version' >"$work/installer-check.txt" 2>&1
    sed 's/^/      /' "$work/installer-check.txt"
    echo "      (installer check: $((SECONDS - t0)) s)"
    check "installer: refuses without --init none, naming systemd" grep -qx 'mentions-systemd=[1-9][0-9]*' "$work/installer-check.txt"
    check "installer: installs with --init none --no-confirm" grep -qx 'with-init-none=0' "$work/installer-check.txt"
    installer_nix=$(sed -n 's/^nix (Nix) //p' "$work/installer-check.txt")
    check "installer: the installed nix runs (${installer_nix:-none})" test -n "$installer_nix"
  else
    fail "installer: build.sh failed (see .tools/nix-installer/build.log)"
  fi
fi

# The shared-store container's "host daemon": a nix-daemon of this machine on a private socket,
# trusting root (the job's user), serving this machine's store, which the job gets read-only.
hd="$work/host-daemon"
shared_opts="-v /nix/store:/nix/store:ro -v /nix/var/nix/db:/nix/var/nix/db:ro -v $hd/socket:/nix/var/nix/daemon-socket"
if want shared; then
  if out=$(bash "$here/host-daemon.sh" start "$hd" "trusted-users = root"); then
    echo "      host daemon: $(echo $out)"
  else
    fail "host-daemon.sh start"
  fi
fi

for r in act gitea forgejo; do
  want "$r" || continue
  [ -n "${bin[$r]:-}" ] || { fail "$r: not installed (scripts/install-runners.sh)"; continue; }
  good "$r-nix" "$r" "$r" "$image" image
  probe "$r-probe" "$r" "$r" "$image"
  if want shared; then good "$r-shared" "$r" "$r" "$image_shared" native "$shared_opts"; fi
  if want installer && [ -n "$installer_nix" ]; then installed "$r-install" "$r" "$r"; fi
done
say "teardown"
check "the host's /etc/nix/nix.conf is byte-identical after the run" test "$(sha256sum /etc/nix/nix.conf 2>/dev/null || echo "no /etc/nix/nix.conf")" = "$host_conf_before"
# conmon processes of this storage (one per container and per exec) end by themselves
# exit_command_delay (10 s, podman.sh) after their exec; any still there after 60 s is reported
# and stopped by its PID.
storage_root=$(sed -n 's/^graphroot = "\(.*\)"$/\1/p' "$("${podman[@]}" --print-env | sed -n 's/^CONTAINERS_STORAGE_CONF=//p')")
ours() { local p; for p in /proc/[0-9]*; do [ "$(cat "$p/comm" 2>/dev/null)" = conmon ] && tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "-b $storage_root/" && echo "${p#/proc/}"; done; }
for _ in $(seq 1 60); do [ -z "$(ours)" ] && break; sleep 1; done
left=$(ours)
if [ -z "$left" ]; then pass "no conmon of this storage left running"; else
  fail "conmon left running: $(echo $left) (stopped now)"; kill $left 2>/dev/null
fi
if want shared; then
  bash "$here/host-daemon.sh" stop "$hd"
  check "host daemon stopped" bash -c '! kill -0 "$1" 2>/dev/null' _ "$(sed -n 's/^DAEMON_PID=//p' <<<"$out")"
fi
finish
