#!/usr/bin/env bash
# Makes a Nix binary tarball in the layout of releases.nixos.org's nix-VERSION-SYSTEM.tar.xz, the
# one DeterminateSystems' nix-installer 0.23.0 unpacks (embedded at build time, or fetched from
# --nix-package-url / NIX_INSTALLER_NIX_PACKAGE_URL at install time), from Debian sid's nix-bin
# 2.34.8 as scripts/provision-nix.mjs unpacks it. What the installer reads of it
# (src/action/base/{fetch_and_unpack_nix,move_unpacked_nix,setup_default_profile}.rs and
# src/action/common/configure_nix.rs of the crate):
#   - an xz-compressed tar with exactly one top folder nix-*;
#   - nix-*/store/ holding the store paths, among them exactly one *-nix-X.Y.Z (whose bin/ has
#     nix-store and nix-env, run to load the database and fill the default profile) and exactly one
#     *-nss-cacert-*.* (whose etc/ssl/certs/ca-bundle.crt becomes NIX_SSL_CERT_FILE);
#   - nix-*/.reginfo, the database of those paths (nix-store --dump-db), fed to nix-store --load-db.
# The Nix is made one self-contained store path: the patched binary, the libraries it loads copied
# beside it (patchelf points it at them), the multi-call links, and the profile scripts the
# installer's shell hooks source (etc/profile.d/nix-daemon.sh). The CA bundle is this machine's
# (Debian's ca-certificates), named after its package version.
#
#   scripts/determinate/nix-tarball.sh OUT.tar.xz
#
# Needs on PATH: nix-build, nix-store (any Nix; NIX_CONFIG may need `build-users-group =`),
# patchelf, xz; Nix 2.34.8 from scripts/provision-nix.mjs (run here if missing, about 40 s).
set -euo pipefail
out=${1:?usage: nix-tarball.sh OUT.tar.xz}
case $out in /*) ;; *) out=$PWD/$out ;; esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ver=2.34.8 sys=x86_64-linux
for t in nix-build nix-store patchelf xz ldd; do
  command -v "$t" >/dev/null || { echo "nix-tarball.sh: $t is not on PATH" >&2; exit 2; }
done
export NIX_CONFIG="${NIX_CONFIG:-}
$(node "$here/scripts/lib/nix.mjs" config)"

bindir=$(node "$here/scripts/provision-nix.mjs" "$ver" | awk -v v="$ver" '$1 == v { print $2 }')
[ -x "$bindir/nix" ] || { echo "nix-tarball.sh: provision-nix.mjs gave no Nix $ver" >&2; exit 1; }
root=$(dirname "$bindir")/root
nixbin=$(readlink -f "$bindir/nix")
[ -f "$root/usr/share/doc/nix-bin/examples/nix-daemon.sh" ] || { echo "nix-tarball.sh: no nix-daemon.sh in $root" >&2; exit 1; }

w=$(mktemp -d /tmp/nra-nix-tarball.XXXXXX)
trap 'rm -rf "$w"' EXIT
# the libraries the binary loads (its own loader last, so it is sid's, not this machine's)
ldd "$nixbin" | grep -oE '/[^ ]+\.so[^ ]*' | grep -v 'ld-linux' | sort -u >"$w/libs"
[ -s "$w/libs" ] || { echo "nix-tarball.sh: ldd found no libraries for $nixbin" >&2; exit 1; }
cat >"$w/nix.nix" <<NIX
derivation {
  name = "nix-$ver"; system = "$sys"; builder = "/bin/sh";
  args = [ "-c" ''
    set -e; PATH=/usr/bin:/bin
    mkdir -p \$out/bin \$out/lib \$out/etc/profile.d
    while read -r l; do cp -L "\$l" \$out/lib/; done < $w/libs
    cp -L $root/usr/lib64/ld-linux-x86-64.so.2 \$out/lib/
    cp -L $nixbin \$out/bin/nix; chmod u+w \$out/bin/nix
    patchelf --set-interpreter \$out/lib/ld-linux-x86-64.so.2 --force-rpath --set-rpath \$out/lib \$out/bin/nix
    for n in $(for c in "$bindir"/*; do [ "${c##*/}" = nix ] || printf '%s ' "${c##*/}"; done); do ln -s nix \$out/bin/\$n; done
    cp $root/usr/share/doc/nix-bin/examples/nix-daemon.sh $root/usr/share/doc/nix-bin/examples/nix.sh \$out/etc/profile.d/
  '' ];
}
NIX
nixp=$(nix-build "$w/nix.nix" --no-out-link)
got=$("$nixp/bin/nix" --version)
[ "$got" = "nix (Nix) $ver" ] || { echo "nix-tarball.sh: the store path's nix says '$got', not $ver" >&2; exit 1; }
# nothing outside the path may be loaded: its closure is itself
outside=$("$nixp/lib/ld-linux-x86-64.so.2" --list "$nixp/bin/nix" | grep '=>' | grep -v -F "=> $nixp/" || true)
[ -z "$outside" ] || { echo "nix-tarball.sh: $nixp/bin/nix loads libraries from outside: $outside" >&2; exit 1; }

ca_ver=$(dpkg-query -W -f '${Version}' ca-certificates 2>/dev/null | tr -c 'A-Za-z0-9\n' .)
mkdir -p "$w/nss-cacert-debian.${ca_ver:-unknown}/etc/ssl/certs"
cp -L /etc/ssl/certs/ca-certificates.crt "$w/nss-cacert-debian.${ca_ver:-unknown}/etc/ssl/certs/ca-bundle.crt"
cacert=$(nix-store --add "$w/nss-cacert-debian.${ca_ver:-unknown}")

closure=$(nix-store -qR "$nixp" "$cacert")
nix-store --dump-db $closure >"$w/reginfo"
top=nix-$ver-$sys
mkdir -p "$(dirname "$out")"
tar cf - --owner=0 --group=0 --mode=u+rw,uga+r --mtime=1970-01-01 --absolute-names --hard-dereference \
  --transform "s,^$w/reginfo,$top/.reginfo," --transform "s,^/nix/store,$top/store,S" \
  "$w/reginfo" $closure | xz -T2 -3 -c >"$out.partial"
mv "$out.partial" "$out"
echo "nix-tarball.sh: $out ($(du -h "$out" | cut -f1)): $(tar tJf "$out" | awk -F/ '$2 == "store" && $3 != "" { print $3 }' | sort -u | tr '\n' ' ')"
