#!/usr/bin/env bash
# Prints the Debian mirror this machine's apt uses (the first URI of its deb822 .sources or one-line
# lists, the security archive left out), for debootstrap in build-images.sh: it uses the mirror the
# machine was set up with, never one named here. NIX_PROVISION_MIRROR, when set, wins. No mirror
# found: exit 1. scripts/lib/debian-mirror.mjs is the same for Node (scripts/provision-nix.mjs).
set -euo pipefail
if [ -n "${NIX_PROVISION_MIRROR:-}" ]; then echo "$NIX_PROVISION_MIRROR"; exit 0; fi
for f in /etc/apt/sources.list.d/*.sources; do
  [ -r "$f" ] || continue
  uri=$(awk 'tolower($1)=="uris:" { for (i = 2; i <= NF; i++) print $i }' "$f" | grep -v -- '-security' | head -n1 || true)
  [ -n "$uri" ] && { echo "$uri"; exit 0; }
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -r "$f" ] || continue
  uri=$(awk '$1=="deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f" | grep -v -- '-security' | head -n1 || true)
  [ -n "$uri" ] && { echo "$uri"; exit 0; }
done
echo "debian-mirror: no Debian mirror in /etc/apt/sources.list or /etc/apt/sources.list.d/: set NIX_PROVISION_MIRROR to one" >&2
exit 1
