# A store path made from programs of the machine it is built on, self-contained: the programs, the
# shared libraries `ldd` lists for them copied into $out/lib, and every ELF file patched (patchelf)
# to use $out/lib's loader and libraries. What nixpkgs would build from source for a dockerTools
# image, taken here from Debian's binaries, because nothing can be downloaded: after this, nothing
# in $out refers to the machine's /lib or /usr.
#
#   files    lines "SOURCE DEST": a host file (copied, symlinks followed) or folder (copied as is)
#            to $out/DEST
#   links    lines "TARGET NAME": symlinks $out/NAME -> TARGET (e.g. "nix bin/nix-store")
#   sources  a digest of the host files, so that other host binaries give another store path
#
# Built with the machine's Nix (no sandbox, as root): builder = /bin/sh reads the host's files.
{ name, files, links ? "", sources ? "" }:
derivation {
  inherit name files links sources;
  system = "x86_64-linux";
  builder = "/bin/sh";
  args = [ ./bundle-builder.sh ];
  PATH = "/usr/bin:/bin";
}
