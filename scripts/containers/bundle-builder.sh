# The builder of bundle.nix (run by /bin/sh, as the machine's Nix builds it): copy, then make
# self-contained. Variables from the derivation: $out, $files, $links.
# shellcheck shell=sh
set -eu
: "${out:?} ${files?} ${links?}"
mkdir -p "$out/lib"
printf '%s\n' "$files" | while read -r src dest; do
  [ -n "$src" ] || continue
  mkdir -p "$(dirname "$out/$dest")"
  if [ -d "$src" ]; then cp -a "$src" "$out/$dest"; else cp -L "$src" "$out/$dest"; fi
done
printf '%s\n' "$links" | while read -r target name; do
  [ -n "$target" ] || continue
  mkdir -p "$(dirname "$out/$name")"
  ln -s "$target" "$out/$name"
done
chmod -R u+w "$out"

is_elf() { [ -f "$1" ] && [ ! -L "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }

# The libraries every ELF program here needs, as the host's loader resolves them (ldd prints the
# whole closure); the loader itself is copied under one name, ld-linux-x86-64.so.2: the one the
# first program asks for (a Nix unpacked by scripts/provision-nix.mjs names its own suite's, whose
# libc it loads), else this machine's.
find "$out" -path "$out/lib" -prune -o -type f -print | while read -r f; do
  is_elf "$f" || continue
  ldd "$f" 2>/dev/null | grep -oE '=> /[^ ]+' | cut -c4- || true
done | sort -u | while read -r lib; do
  [ -e "$out/lib/$(basename "$lib")" ] || cp -L "$lib" "$out/lib/"
done
loader=$(find "$out" -path "$out/lib" -prune -o -type f -print | while read -r f; do
  is_elf "$f" && patchelf --print-interpreter "$f" 2>/dev/null && break
done | head -n1)
cp -L "${loader:-/lib64/ld-linux-x86-64.so.2}" "$out/lib/ld-linux-x86-64.so.2"
chmod -R u+w "$out/lib"

# Programs: our loader and our libraries. Libraries: our libraries, as DT_RPATH (--force-rpath),
# replacing a RUNPATH such as Debian's /usr/lib/nix, which would send the loader to the host's /usr.
find "$out" -type f | while read -r f; do
  is_elf "$f" || continue
  case $f in
    "$out/lib/ld-linux-x86-64.so.2") ;;
    "$out/lib/"*) patchelf --force-rpath --set-rpath "$out/lib" "$f" ;;
    *)
      if patchelf --print-interpreter "$f" >/dev/null 2>&1; then
        patchelf --set-interpreter "$out/lib/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$out/lib" "$f"
      else
        patchelf --force-rpath --set-rpath "$out/lib" "$f"
      fi ;;
  esac
done
