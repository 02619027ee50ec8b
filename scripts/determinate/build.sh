#!/usr/bin/env bash
# Builds DeterminateSystems' nix-installer 0.23.0 (the crate on crates.io, pinned by its sha256)
# for the e2e's `installer: determinate` rows, and the Nix binary tarball they serve it on
# 127.0.0.1 (scripts/determinate/nix-tarball.sh: Debian sid's nix-bin 2.34.8).
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
# crates.io), and `diagnostics`, which reports to install.determinate.systems. Without them
# `install` installs upstream Nix (0.23.0's default; `--determinate` is refused).
# The crate comes from ~/.cargo/registry's cache when it is there with the pinned sha256, else from
# static.crates.io; its Cargo.lock pins the dependencies (cargo fetches them from crates.io).
# CARGO_TARGET_DIR defaults to OUT_DIR/target, kept, so a rebuild is quick. The installer is
# LGPL-2.1; it is a test tool, not shipped.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
case $out in /*) ;; *) out=$PWD/$out ;; esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
crate=nix-installer ver=0.23.0
sha=756fcb9d0acecc15254977889b7c03720063911b02ba58c6af75d282919d6ece
command -v cargo >/dev/null || export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
for t in cargo curl tar sha256sum; do
  command -v "$t" >/dev/null || { echo "build.sh: $t is not on PATH" >&2; exit 2; }
done
mkdir -p "$out"
tarball=$out/nix-2.34.8-x86_64-linux.tar.xz
[ -s "$tarball" ] || bash "$here/nix-tarball.sh" "$tarball"

w=$(mktemp -d /tmp/nra-determinate-build.XXXXXX)
trap 'rm -rf "$w"' EXIT
cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$crate-$ver.crate" 2>/dev/null | head -n1 || true)
if [ -n "$cached" ] && [ "$(sha256sum "$cached" | cut -d' ' -f1)" = "$sha" ]; then
  cp "$cached" "$w/crate.tar.gz"
else
  curl -fsSL --max-time 120 -o "$w/crate.tar.gz" "https://static.crates.io/crates/$crate/$crate-$ver.crate"
fi
got=$(sha256sum "$w/crate.tar.gz" | cut -d' ' -f1)
[ "$got" = "$sha" ] || { echo "build.sh: $crate-$ver.crate has sha256 $got, expected $sha" >&2; exit 1; }
# unpacked at a fixed place, so that the kept target folder's fingerprints still match next time
rm -rf "$out/src" && mkdir -p "$out/src" && tar -xzf "$w/crate.tar.gz" -C "$out/src"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}"
(cd "$out/src/$crate-$ver" && NIX_INSTALLER_TARBALL_PATH="$tarball" \
  cargo build --release --locked --no-default-features --features cli)
cp "$CARGO_TARGET_DIR/release/nix-installer" "$out/nix-installer.partial"
mv "$out/nix-installer.partial" "$out/nix-installer"
"$out/nix-installer" --version
