#!/usr/bin/env bash
# Provisions newer Nix versions beside the system's (Debian bookworm's nix-bin 2.8.0), so tests can
# run on each: Debian's own nix-bin builds, unpacked with the libraries they link against, never
# installed. The system's apt sources, dpkg database and libc are not touched.
#
#   scripts/provision-nix.sh [VERSION...]     default: every version below
#
# For each version it prints one line "VERSION BINDIR"; put BINDIR first on PATH to use that Nix
# (nix, nix-build, nix-store, nix-daemon, ... are all there). Results live in .tools/nix/VERSION/
# and are reused by later runs; delete that folder to provision again.
#
# How: apt-get with its own sources list, lists and cache (in a scratch folder) fetches nix-bin and
# the library packages of its dependency closure from the suite that ships the version; dpkg -x
# unpacks them into one root; patchelf points the nix binary at that root's loader and libraries.
# Nix is a multi-call binary that dispatches on the base name of argv[0], and looks for its sibling
# commands (nix-env for nix-channel, ...) next to /proc/self/exe, so the patched binary and its
# links share one folder.
#
# Needs root the first time only if patchelf is missing (installed with apt-get). The Debian mirror
# is the first one in the system's apt sources unless NIX_PROVISION_MIRROR says otherwise
# (scripts/lib/debian-mirror.sh).
set -euo pipefail

# version → Debian suite that ships it; a suite moves on, and then this table must follow
declare -A SUITE=([2.26.3]=trixie [2.34.8]=sid)
ALL=(2.26.3 2.34.8)
COMMANDS=(nix-build nix-store nix-daemon nix-instantiate nix-env nix-shell nix-copy-closure
  nix-collect-garbage nix-channel nix-prefetch-url nix-hash)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=$here/.tools/nix
log() { echo "provision-nix: $*" >&2; }
die() { log "$*"; exit 1; }

# apt-get against the system's lists and dpkg, waiting (bounded) while another process holds a lock.
apt_locked() {
  local i
  for i in $(seq 1 60); do
    if apt-get -o DPkg::Lock::Timeout=10 "$@"; then return 0; fi
    fuser /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock >/dev/null 2>&1 || return 1
    [ "$i" -eq 1 ] && log "apt is busy (another process holds its lock); waiting"
    sleep 5
  done
  return 1
}

ensure_patchelf() {
  command -v patchelf >/dev/null && return
  [ "$(id -u)" -eq 0 ] || die "patchelf is missing; install it (apt-get install patchelf) or run this as root"
  log "installing patchelf"
  if ! apt-cache show patchelf >/dev/null 2>&1; then apt_locked update -qq || die "apt-get update failed"; fi
  DEBIAN_FRONTEND=noninteractive apt_locked install -y -qq --no-install-recommends patchelf >/dev/null ||
    die "apt-get install patchelf failed"
}

# True when DIR/bin/nix answers as VERSION.
works() { [ "$("$1/bin/nix" --version 2>/dev/null)" = "nix (Nix) $2" ]; }

provision() {
  local ver=$1 suite=${SUITE[$1]:-} final=$tools/$1
  [ -n "$suite" ] || die "no Debian suite known for Nix $ver (known: ${ALL[*]})"
  works "$final" "$ver" && return
  rm -rf "$final"
  ensure_patchelf
  log "Nix $ver from Debian $suite: downloading and unpacking"
  work=$(mktemp -d "$tools/.work-$ver.XXXXXX")
  local w=$work
  mkdir -p "$w/lists/partial" "$w/cache/archives/partial" "$w/debs" "$w/out/root" "$w/out/bin"
  local mirror
  mirror=$(bash "$here/scripts/lib/debian-mirror.sh") || die "no Debian mirror to fetch Nix $ver from"
  echo "deb $mirror $suite main" >"$w/sources.list"
  local A=(-o Dir::Etc::sourcelist="$w/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::lists="$w/lists"
    -o Dir::Cache="$w/cache" -o APT::Sandbox::User=root)
  apt-get "${A[@]}" update -qq || die "apt-get update for $suite failed"
  local candidate
  candidate=$(apt-cache "${A[@]}" show nix-bin | awk '$1=="Version:" { print $2; exit }')
  [ "${candidate%%+*}" = "$ver" ] || [ "${candidate%%-*}" = "$ver" ] ||
    die "Debian $suite now ships nix-bin $candidate, not $ver: update SUITE in $0"
  # nix-bin and the packages that carry its libraries; perl's are there only for the perl bindings
  local pkgs
  pkgs=$(apt-cache "${A[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances nix-bin | grep -E '^(nix-bin|lib[^ ]*|zlib1g)$' | grep -v perl | sort -u)
  (cd "$w/debs" && apt-get "${A[@]}" download $pkgs -qq >/dev/null) || die "apt-get download from $suite failed"
  local deb
  for deb in "$w"/debs/*.deb; do dpkg -x "$deb" "$w/out/root"; done

  # Paths written into the binary are the final ones: the folder is renamed into place below.
  local root=$final/root
  mv "$w/out/root/usr/bin/nix" "$w/out/bin/nix"
  local elf
  for elf in "$w/out/bin/nix" "$w"/out/root/usr/libexec/nix-*; do
    [ -f "$elf" ] || continue
    patchelf --set-interpreter "$root/usr/lib64/ld-linux-x86-64.so.2" --force-rpath \
      --set-rpath "$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu" "$elf"
  done
  local c
  for c in "${COMMANDS[@]}"; do ln -s nix "$w/out/bin/$c"; done
  mv "$w/out" "$final"

  # Every library from the unpacked root, none from the host (a mix of two libcs crashes at random).
  local outside
  outside=$("$root/usr/lib64/ld-linux-x86-64.so.2" --list "$final/bin/nix" | grep '=>' | grep -v -F "=> $root/" || true)
  [ -z "$outside" ] || { rm -rf "$final"; die "Nix $ver would load libraries from the host: $outside"; }
  works "$final" "$ver" || { rm -rf "$final"; die "the unpacked Nix $ver does not run: $("$final/bin/nix" --version 2>&1 | head -n3)"; }
  for c in "${COMMANDS[@]}"; do
    "$final/bin/$c" --version 2>/dev/null | grep -q -F "$ver" ||
      { rm -rf "$final"; die "$c of Nix $ver does not answer as itself"; }
  done
  rm -rf "$w"
}

[ $# -gt 0 ] || set -- "${ALL[@]}"
work=""
trap 'rm -rf "$work"' EXIT
mkdir -p "$tools"
# one provisioner at a time: two would unpack into the same folders
exec 9>"$tools/.lock"
flock -w 600 9 || die "another provision-nix.sh has held $tools/.lock for 10 minutes"
for v in "$@"; do
  provision "$v"
  echo "$v $tools/$v/bin"
done
