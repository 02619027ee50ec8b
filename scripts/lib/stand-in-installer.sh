#!/bin/sh
# A STAND-IN for the Nix installer, served on 127.0.0.1 to the tests (test/install/) and to the e2e
# (the e2e (test/e2e/), for e2e-install.yml). It is not the NixOS or Determinate installer (those download
# Nix from the internet, which neither has): it records each install run in
# $NIX_RUNNER_ACTION_TEST_NIX_PREFIX/calls/N.argv, N.env (both NUL-separated) and N.uid, then
# "installs" Nix by linking Debian's /usr/bin/nix* into the default profile the real installers
# create, under that prefix (which stands for /nix). `… --help` prints the one flag the action looks
# for and records nothing. Files in the prefix steer it: help.txt (what `--help` prints instead),
# fail (exit 3 before installing), daemon-never-listens (its nix-daemon sleeps instead of serving,
# and records its pid). It writes nothing outside the prefix: no /etc/nix/nix.conf, no users, no daemon.
set -eu
prefix="${NIX_RUNNER_ACTION_TEST_NIX_PREFIX:?the stand-in installer needs NIX_RUNNER_ACTION_TEST_NIX_PREFIX}"
for a in "$@"; do
  if [ "$a" = "--help" ]; then
    if [ -e "$prefix/help.txt" ]; then cat "$prefix/help.txt"; else echo "  --extra-conf <EXTRA_CONF>"; fi
    exit 0
  fi
done
mkdir -p "$prefix/calls"
n=0
while [ -e "$prefix/calls/$n.argv" ]; do n=$((n + 1)); done
printf '%s\0' "$@" >"$prefix/calls/$n.argv"
env -0 >"$prefix/calls/$n.env"
id -u >"$prefix/calls/$n.uid"
if [ -e "$prefix/fail" ]; then echo "error: could not create the nixbld group (stand-in told to fail)" >&2; exit 3; fi
bin="$prefix/var/nix/profiles/default/bin"
mkdir -p "$bin"
for f in /usr/bin/nix /usr/bin/nix-*; do ln -sf "$f" "$bin/"; done
if [ -e "$prefix/daemon-never-listens" ]; then
  rm -f "$bin/nix-daemon"
  printf '#!/bin/sh\necho $$ > "%s/daemon.pid"\nexec sleep 300\n' "$prefix" >"$bin/nix-daemon"
  chmod +x "$bin/nix-daemon"
fi
echo "stand-in installer (not the real one): linked Debian's Nix into $bin"
