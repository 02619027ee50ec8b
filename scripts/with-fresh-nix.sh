#!/usr/bin/env bash
# Runs a command on a Nix store that was never used, whatever this machine ran before: in a private
# mount namespace an empty folder is bound over /nix, as on a machine right after
# `apt-get install nix-bin` (Debian's package creates no /nix) or in a job image whose Nix never ran.
# The command and everything it starts (daemons, runners, later nix commands) see only that /nix;
# the host's /nix is untouched (created empty, as the mount point, when missing). The folder is
# removed afterwards. Needs root.
#   scripts/with-fresh-nix.sh COMMAND [ARG...]
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: with-fresh-nix.sh COMMAND [ARG...]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "with-fresh-nix.sh: needs root, for a private mount namespace (unshare -m)" >&2; exit 2; }
fresh=$(mktemp -d /tmp/nra-fresh-nix.XXXXXX)
chmod 755 "$fresh"
trap 'rm -rf "$fresh"' EXIT
mkdir -p /nix
echo "with-fresh-nix: /nix is an empty folder ($fresh) for: $*"
# bash, not sh: dash would drop variables whose names are not identifiers
unshare -m --propagation private bash -ec 'mount --bind "$0" /nix && exec "$@"' "$fresh" "$@"
