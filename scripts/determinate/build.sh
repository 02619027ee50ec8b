#!/usr/bin/env bash
# Builds DeterminateSystems' nix-installer 0.23.0 (the crate from the Rust crate registry, pinned by
# its sha256) for the e2e's `installer: determinate` rows, and the Nix binary tarball they serve it
# on 127.0.0.1 (scripts/determinate/nix-tarball.sh: Debian sid's nix-bin 2.34.8).
#
#   scripts/determinate/build.sh OUT_DIR     leaves OUT_DIR/nix-installer and
#                                            OUT_DIR/nix-2.34.8-x86_64-linux.tar.xz
#
# This installer downloads no installer of its own but, at install time, the Nix tarball named by
# --nix-package-url (env NIX_INSTALLER_NIX_PACKAGE_URL); without one it unpacks the tarball its
# build embedded (build-time env NIX_INSTALLER_TARBALL_PATH, include_bytes!). Both are the same file
# here; the e2e tells them apart by its server's request log. Built with `--no-default-features
# --features cli`: the default features add `determinate-nix`, which embeds the closed
# determinate-nixd binary (build-time DETERMINATE_NIXD_BINARY_PATH; not to be had offline nor from
# the crate registry), and `diagnostics`, which reports to install.determinate.systems. Without them
# `install` installs upstream Nix (0.23.0's default; `--determinate` is refused).
# The crate comes through cargo's own configured registry (`cargo install`, the ordinary client;
# no host is named here), its checksum checked by cargo against the registry's index and again here
# against the pin below; `--locked` builds it with the Cargo.lock it ships. CARGO_TARGET_DIR
# defaults to OUT_DIR/target, kept, so a rebuild is quick. The installer is LGPL-2.1; it is a test
# tool, not shipped.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
case $out in /*) ;; *) out=$PWD/$out ;; esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
crate=nix-installer ver=0.23.0
sha=756fcb9d0acecc15254977889b7c03720063911b02ba58c6af75d282919d6ece
command -v cargo >/dev/null || export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
for t in cargo sha256sum; do
  command -v "$t" >/dev/null || { echo "build.sh: $t is not on PATH" >&2; exit 2; }
done
mkdir -p "$out"
tarball=$out/nix-2.34.8-x86_64-linux.tar.xz
[ -s "$tarball" ] || bash "$here/nix-tarball.sh" "$tarball"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}"
w=$(mktemp -d /tmp/nra-determinate-build.XXXXXX)
trap 'rm -rf "$w"' EXIT
NIX_INSTALLER_TARBALL_PATH="$tarball" cargo install "$crate@$ver" --locked --no-default-features --features cli \
  --root "$w" --target-dir "$CARGO_TARGET_DIR"
crate_file=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$crate-$ver.crate" 2>/dev/null | head -n1 || true)
got=$(sha256sum "${crate_file:-/dev/null}" | cut -d' ' -f1)
[ "$got" = "$sha" ] || { echo "build.sh: $crate-$ver.crate (${crate_file:-missing from the cargo cache}) has sha256 $got, expected $sha" >&2; exit 1; }
cp "$w/bin/nix-installer" "$out/nix-installer.partial"
mv "$out/nix-installer.partial" "$out/nix-installer"
"$out/nix-installer" --version
