#!/usr/bin/env bash
# End to end in containers: the action, as committed (action.yml + dist/), run by the three runners
# in DOCKER MODE on Podman (not host mode, which scripts/e2e.sh covers), offline, with job images
# made by build-images.sh. Groundwork for issue 13: for now the Nix job image only.
#
# For each runner (act, Gitea's `runner exec`, Forgejo's `forgejo-runner exec`):
#   - .gitea/workflows/e2e.yml in localhost/nra-nix-job (a direct job and one calling the reusable
#     workflow): the runner's exit code, the outputs a later step read (environment=image,
#     container=true, the runner's platform), the build, and the post step's signed push into a
#     file:// cache, checked from outside with `nix store verify` against this run's key;
#   - .gitea/workflows/e2e-container-probe.yml: what the job sees (platform variables, container
#     signals, workspace), printed for the record;
#   - afterwards: no container left in podman.sh's storage, the Podman service stopped.
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
# any failure. Knobs: E2E_ONLY="act gitea forgejo", E2E_KEEP=1 (keep the work folder),
# E2E_RUN_TIMEOUT=600 (seconds per runner invocation).
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
say "runners (scripts/install-runners.sh)"
declare -A bin=()
while read -r name path _; do [ -x "$path" ] && bin[$name]=$path; echo "      $name: $path"; done < <(bash "$root/scripts/install-runners.sh" 2>&1)

say "job images (build-images.sh, kept when built before)"
t0=$SECONDS
if ! bash "$here/build-images.sh" nix | sed 's/^/      /'; then fail "build-images.sh nix"; finish; fi
image=$("${podman[@]}" images --format '{{.Repository}}:{{.Tag}}' | grep -m1 '^localhost/nra-nix-job:') || { fail "no localhost/nra-nix-job image"; finish; }
echo "      $image ready in $((SECONDS - t0)) s"

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

# run CASE RUNNER WORKFLOW PLATFORM -> $rc, log in $work/CASE/log
run() {
  local case=$1 runner=$2 workflow=$3 platform=$4 dir="$work/$1"
  mkdir -p "$dir/home" "$dir/results" "$dir/cache"
  local vars=(--var "E2E_PLATFORM=$platform" --var "E2E_CACHE=$dir/cache" --var "E2E_PUBLIC_KEY=$public_key"
    --var "E2E_SALT=$salt-$case" --var "E2E_RESULTS=$dir/results")
  local key_from_file=(bash -c 'E2E_SIGNING_KEY=$(cat "$1") && export E2E_SIGNING_KEY && shift && exec "$@"' _ "$work/key.sec")
  local cmd
  case $runner in
    act)
      printf 'E2E_SIGNING_KEY=%s\n' "$(cat "$work/key.sec")" >"$dir/secrets"; chmod 600 "$dir/secrets"
      cmd=("${bin[act]}" workflow_dispatch -W "$workflow" -P "ubuntu-latest=$image" --pull=false --no-cache-server
        --action-offline-mode --network host --container-daemon-socket - --container-options "-v $dir:$dir"
        --secret-file "$dir/secrets" --env-file /dev/null --var-file /dev/null "${vars[@]}") ;;
    gitea)
      cmd=("${key_from_file[@]}" "${bin[gitea]}" exec -W "$workflow" --image "$image" --event workflow_dispatch
        --network host --container-daemon-socket - --container-opts "-v $dir:$dir"
        --env-file /dev/null --env GITEA_ACTIONS=true -s E2E_SIGNING_KEY "${vars[@]}") ;;
    forgejo)
      cmd=("${key_from_file[@]}" "${bin[forgejo]}" exec -W "$workflow" --image "$image" --event workflow_dispatch
        --network host --container-daemon-socket - --container-opts "-v $dir:$dir"
        --env-file /dev/null --env GITEA_ACTIONS=true -s E2E_SIGNING_KEY "${vars[@]}") ;;
  esac
  local envv=(env -i "PATH=$PATH" "HOME=$dir/home" "USER=$(id -un)" "LANG=C.UTF-8" "TERM=dumb" "TMPDIR=$dir" "NIX_CONFIG=$NIX_CONFIG")
  local t0=$SECONDS
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
}

tail_log() { tail -n "${2:-30}" "$1/log" | sed 's/^/      | /'; }

good() { # case runner platform
  local case=$1 runner=$2 platform=$3 dir="$work/$1" job path out
  say "$runner: e2e.yml in $image (expect success, platform=$platform)"
  run "$case" "$runner" .gitea/workflows/e2e.yml "$platform"
  if [ "$rc" -eq 0 ]; then pass "$case: runner exited 0"; else fail "$case: runner exited $rc"; tail_log "$dir" 40; fi
  for job in direct reusable; do
    out="$dir/results/$job.outputs"
    check "$case/$job: later step read environment=image" grep -qx "environment=image" "$out"
    check "$case/$job: later step read container=true" grep -qx "container=true" "$out"
    check "$case/$job: later step read platform=$platform" grep -qx "platform=$platform" "$out"
    check "$case/$job: the nix on PATH is the image's store path" grep -qE '^nix-path=/bin/nix$' "$out"
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

probe() { # case runner platform
  local case=$1 runner=$2 platform=$3 dir="$work/$1"
  say "$runner: e2e-container-probe.yml in $image"
  run "$case" "$runner" .gitea/workflows/e2e-container-probe.yml "$platform"
  if [ "$rc" -eq 0 ]; then pass "$case: runner exited 0"; else fail "$case: runner exited $rc"; tail_log "$dir" 40; fi
  if [ -f "$dir/results/probe.txt" ]; then sed 's/^/      probe: /' "$dir/results/probe.txt"; else fail "$case: no probe.txt"; fi
  check "$case: outputs environment=image container=true platform=$platform" \
    grep -qx "outputs environment=image container=true platform=$platform nix-version=.*" "$dir/results/probe.txt"
}

for r in act gitea forgejo; do
  want "$r" || continue
  [ -n "${bin[$r]:-}" ] || { fail "$r: not installed (scripts/install-runners.sh)"; continue; }
  good "$r-nix" "$r" "$r"
  probe "$r-probe" "$r" "$r"
done
finish
