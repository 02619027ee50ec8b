#!/bin/sh
# A STAND-IN for the Nix installer, served by scripts/e2e.sh to the e2e-install.yml job. It is not
# the NixOS or Determinate installer (those download Nix from the internet, which the e2e run does
# not have): it records each install command line, NUL-separated, in
# $NIX_RUNNER_ACTION_TEST_NIX_PREFIX/stand-in/N.argv, then "installs" Nix by linking Debian's
# /usr/bin/nix* into the default profile the real installers create, under that prefix (which stands
# for /nix). `… --help` prints the one flag the action looks for and records nothing. It writes
# nothing outside the prefix: no /etc/nix/nix.conf, no users, no daemon.
set -eu
prefix="${NIX_RUNNER_ACTION_TEST_NIX_PREFIX:?the stand-in installer needs NIX_RUNNER_ACTION_TEST_NIX_PREFIX}"
for a in "$@"; do
  if [ "$a" = "--help" ]; then echo "  --extra-conf <EXTRA_CONF>"; exit 0; fi
done
mkdir -p "$prefix/stand-in"
n=0
while [ -e "$prefix/stand-in/$n.argv" ]; do n=$((n + 1)); done
printf '%s\0' "$@" >"$prefix/stand-in/$n.argv"
bin="$prefix/var/nix/profiles/default/bin"
mkdir -p "$bin"
for f in /usr/bin/nix /usr/bin/nix-*; do ln -sf "$f" "$bin/"; done
echo "stand-in installer (not the real one): linked Debian's Nix into $bin"
