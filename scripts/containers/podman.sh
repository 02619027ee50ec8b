#!/usr/bin/env bash
# podman.sh ARGS...   runs Debian's podman with this repository's own configuration, installing
# podman and runc first when they are missing. Nothing in /etc is read or written: CONTAINERS_CONF
# and CONTAINERS_STORAGE_CONF name files in PODMAN_STORAGE (default .tools/podman, gitignored),
# and podman then reads no other containers.conf. Images and containers live there too, not in
# /var/lib/containers, so other users of Podman on this machine are not touched; images are kept
# across runs (they are made offline by build-images.mjs).
#
#   podman.sh --print-env   prints CONTAINERS_CONF=… and CONTAINERS_STORAGE_CONF=… (eval-able)
#
# What this host needs, found by trying:
#   runtime = "runc"             crun fails on this host's hybrid cgroups (v1 controllers + unified)
#   cgroup_manager = "cgroupfs"  there is no systemd to ask for scopes
#   default_ulimits = []         podman's default RLIMIT_NOFILE exceeds the hard limit here
#   events_logger = "file", log_driver = "k8s-file"   no journald
#   network_backend = "cni"      Debian's containernetworking-plugins; network configs in the storage
#   exit_command_delay = 10      not 300: an exec's conmon lingers that long after its container
# A bridge network (Gitea's runner makes one per job unless --network is given) leaves an empty
# /var/lib/cni/networks/<name> folder behind: CNI's host-local IPAM keeps its state there.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
storage=${PODMAN_STORAGE:-$(cd "$here/../.." && pwd)/.tools/podman}

# apt, waiting (bounded: 5 minutes) for the locks another user's apt may hold.
apt_wait() {
  local i
  for i in $(seq 1 30); do
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=10 "$@"; then return 0; fi
    pgrep -x 'apt-get|apt|dpkg|unattended-upgr' >/dev/null || return 1
    echo "podman.sh: apt is busy (another apt-get or dpkg runs), waiting ($i/30)" >&2
    sleep 10
  done
  return 1
}

ensure_packages() {
  local missing=() p
  for p in podman runc containernetworking-plugins; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || { echo "podman.sh: ${missing[*]} missing, and not root to install them" >&2; return 1; }
  echo "podman.sh: installing ${missing[*]} (Debian)" >&2
  apt_wait update -qq >/dev/null
  apt_wait install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

write_conf() {
  mkdir -p "$storage/storage" "$storage/run" "$storage/tmp" "$storage/volumes" "$storage/cni" "$storage/events"
  local conf="$storage/containers.conf" new
  new=$(cat <<CONF
# Written by scripts/containers/podman.sh; read through CONTAINERS_CONF.
[containers]
default_ulimits = []
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$storage/events/events.log"
tmp_dir = "$storage/tmp"
static_dir = "$storage/storage/libpod"
volume_path = "$storage/volumes"
# conmon of a finished exec (each step the runners run is one) waits this long for the API client
# before cleaning up, and outlives the container and the service meanwhile: Docker's 5 minutes by
# default; the runners inspect an exec as soon as its output ends
exit_command_delay = 10

[network]
network_backend = "cni"
network_config_dir = "$storage/cni"
CONF
)
  [ -f "$conf" ] && [ "$(cat "$conf")" = "$new" ] || printf '%s\n' "$new" >"$conf"
  new=$(cat <<CONF
# Written by scripts/containers/podman.sh; read through CONTAINERS_STORAGE_CONF.
[storage]
driver = "overlay"
graphroot = "$storage/storage"
runroot = "$storage/run"
CONF
)
  conf="$storage/storage.conf"
  [ -f "$conf" ] && [ "$(cat "$conf")" = "$new" ] || printf '%s\n' "$new" >"$conf"
}

ensure_packages
write_conf
export CONTAINERS_CONF="$storage/containers.conf" CONTAINERS_STORAGE_CONF="$storage/storage.conf"
if [ "${1:-}" = --print-env ]; then
  echo "CONTAINERS_CONF=$CONTAINERS_CONF"
  echo "CONTAINERS_STORAGE_CONF=$CONTAINERS_STORAGE_CONF"
  exit 0
fi
exec podman "$@"
