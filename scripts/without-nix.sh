#!/usr/bin/env bash
# Runs a command with no Nix on PATH: PATH becomes one folder of links to every program on the
# current PATH except nix and nix-* (Debian's nix-bin lives in /usr/bin beside everything else,
# so no PATH entry can simply be dropped). As root, `--as USER` runs it as that user too.
#   scripts/without-nix.sh [--as USER] COMMAND [ARG...]
set -euo pipefail
as=""
if [ "${1:-}" = "--as" ]; then as=${2:?--as needs a user}; shift 2; fi
[ $# -gt 0 ] || { echo "usage: without-nix.sh [--as USER] COMMAND [ARG...]" >&2; exit 2; }
bin=$(mktemp -d /tmp/nra-without-nix.XXXXXX)
trap 'rm -rf "$bin"' EXIT
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    n=${f##*/}
    case $n in nix | nix-*) continue ;; esac
    [ -x "$f" ] && [ ! -d "$f" ] && [ ! -e "$bin/$n" ] && ln -s "$f" "$bin/$n"
  done
done
chmod 755 "$bin"
if command -v nix >/dev/null 2>&1 && PATH=$bin command -v nix >/dev/null 2>&1; then
  echo "without-nix.sh: nix is still reachable" >&2; exit 1
fi
echo "without-nix: PATH is $bin (no nix)${as:+, as $as}"
if [ -n "$as" ]; then
  exec_as=(setpriv --reuid="$(id -u "$as")" --regid="$(id -g "$as")" --init-groups env "HOME=$(getent passwd "$as" | cut -d: -f6)" "USER=$as")
else
  exec_as=()
fi
PATH=$bin "${exec_as[@]}" "$@"
