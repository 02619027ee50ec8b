#!/usr/bin/env bash
# Makes the job images the container runs use, offline (nothing is pulled: no registry is
# reachable), into podman.sh's storage. Each stands for a setup our users run:
#
#   nix      localhost/nra-nix-job:<nix version>
#            THE NIX JOB IMAGE, what teams build with nixpkgs' dockerTools (`runs-on: nix`): every
#            program lives in /nix/store (Nix in /nix/store/<hash>-nix-<version>/, node, bash,
#            coreutils, grep, sed, tar, gzip, zstd, findutils, git, CA certificates, as the job image
#            template has them: check-image checks them), /bin holds symlinks
#            into the store, the store's database knows its paths, /etc/nix/nix.conf is a read-only
#            symlink into the store, jobs run as root (single-user Nix, no daemon) and NIX_CONFIG
#            in the image's env turns off build users and the sandbox and turns on flakes.
#            The store paths are Debian's programs made self-contained by bundle.nix, built with
#            this machine's Nix (Debian's nix-bin), as nixpkgs would build them from source.
#   shared   localhost/nra-nix-job-shared:<nix version>
#            A CONTAINER ON THE HOST'S DAEMON, the shared-store setup: the same image without its
#            own /nix. The job is started with the host's /nix/store and /nix/var/nix/db mounted
#            read-only and the host daemon's socket at /nix/var/nix/daemon-socket/socket; the
#            image sets NIX_REMOTE=daemon. Its programs are the `nix` image's store paths, which
#            are in this machine's store (they were built there), so they resolve through the mount.
#   shared-noremote   localhost/nra-nix-job-shared-noremote:<nix version>
#            The same shared-store image WITHOUT NIX_REMOTE in its env, as an image made for the
#            host's store by a team that forgot it: the action must see the read-only store and the
#            daemon's socket and set NIX_REMOTE=daemon for the job's steps itself.
#   debian   localhost/nra-debian:bookworm
#            A PLAIN DEBIAN CONTAINER WITHOUT NIX, as a team's debian:bookworm or ubuntu job image:
#            `debootstrap --variant=minbase bookworm` from Debian's archive, plus the machine's
#            node at /usr/local/bin/node (the runners run a JavaScript action with the job
#            container's own `node`, as node:20-bookworm-slim or the runners' default images have).
#
#   build-images.sh [--force] nix|shared|shared-noremote|debian|all...   (default: all)
# The Nix images carry the nix first on PATH (Debian's /usr/bin/nix, 2.8, or with a BINDIR of
# scripts/provision-nix.sh first on PATH that version: the tags say which) and are built with it.
# The shared images' store paths are (re)built in this machine's store every time, kept or not:
# the job sees them through the host's /nix/store, which may be a fresh one (with-fresh-nix.sh).
# An image made by the same scripts is kept unless --force. Prints one line per image: tag, seconds taken.
# Needs root, Debian's nix-bin, patchelf, debootstrap (installed when missing) and node.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
images="$root/.tools/images"
podman=(bash "$here/podman.sh")
force=false
[ "${1:-}" = --force ] && { force=true; shift; }
[ $# -gt 0 ] || set -- all
export NIX_CONFIG="${NIX_CONFIG:-}
$(node "$root/scripts/lib/nix.mjs" config)"
mkdir -p "$images/roots"
w=$(mktemp -d /tmp/nra-images.XXXXXX)
trap 'rm -rf "$w"' EXIT

nix_version=$(nix --version | sed -n 's/^nix (Nix) \([0-9.]*\).*/\1/p')
tag_nix=localhost/nra-nix-job:$nix_version
tag_shared=localhost/nra-nix-job-shared:$nix_version
tag_noremote=localhost/nra-nix-job-shared-noremote:$nix_version
tag_debian=localhost/nra-debian:bookworm

# Images are labelled with a digest of the scripts that make them: one made by older scripts is
# made again.
recipe=$(cat "$here/build-images.sh" "$here/bundle.nix" "$here/bundle-builder.sh" | sha256sum | cut -c1-16)
have() { [ "$("${podman[@]}" image inspect --format '{{index .Labels "nra.recipe"}}' "$1" 2>/dev/null)" = "$recipe" ]; }
exists() { "${podman[@]}" image exists "$1"; }
upstream_version() { dpkg-query -W -f='${Version}' "$1" | sed 's/^[0-9]*://; s/-[^-]*$//; s/+dfsg.*//'; }

# bundle NAME FILES LINKS -> the store path (rooted in .tools/images/roots/NAME)
bundle() {
  local name=$1 files=$2 links=$3 digest
  digest=$(printf '%s\n' "$files" | while read -r src _; do [ -n "$src" ] && find "$src" -type f -print0 | sort -z | xargs -0 sha256sum; done | sha256sum | cut -c1-32)
  nix-build "$here/bundle.nix" --argstr name "$name" --argstr files "$files" --argstr links "$links" \
    --argstr sources "$digest" -o "$images/roots/$name" >/dev/null 2>"$w/$name.log" ||
    { echo "build-images: bundle $name failed:" >&2; cat "$w/$name.log" >&2; return 1; }
  readlink -f "$images/roots/$name"
}

# deb_bundle PKG [FILES] [LINKS]: the package's programs in /bin, /usr/bin, /sbin, /usr/sbin as bin/NAME; a symlink
# to a program beside it stays a symlink. FILES and LINKS: more lines for bundle().
deb_bundle() {
  local pkg=$1 files="" links="" f
  while read -r f; do
    [ -f "$f" ] || continue
    if [ -L "$f" ]; then
      local t; t=$(readlink "$f")
      case $t in */*) [ -e "$(dirname "$f")/$(basename "$t")" ] && links+="$(basename "$t") bin/$(basename "$f")"$'\n' ;;
        *) links+="$t bin/$(basename "$f")"$'\n' ;; esac
    else
      files+="$f bin/$(basename "$f")"$'\n'
    fi
  done < <(dpkg -L "$pkg" | grep -E '^/(usr/)?s?bin/[^/]+$')
  files+=${2:-}
  links+=${3:-}
  bundle "$pkg-$(upstream_version "$pkg")" "$files" "$links"
}

# The store paths of the Nix job image, their closure in $w/closure, the env in $w/env.
nix_store_paths() {
  local nixp nodep bashp gitp cacert conf p
  # named as nixpkgs names it, so the action reads the version from the path
  # libnss_dns: Nix loads it before it builds (without it: "unable to load nss_dns backend")
  nixp=$(bundle "nix-$nix_version" "$(readlink -f "$(command -v nix)") bin/nix
$(readlink -f /lib/x86_64-linux-gnu/libnss_dns.so.2) lib/libnss_dns.so.2" \
    "../../bin/nix libexec/nix/build-remote
$(for n in nix-build nix-channel nix-collect-garbage nix-copy-closure nix-daemon nix-env nix-hash nix-instantiate nix-prefetch-url nix-shell nix-store; do echo "nix bin/$n"; done)")
  nodep=$(bundle "nodejs-$(node --version | tr -d v)" "$(readlink -f "$(command -v node)") bin/node" "")
  bashp=$(deb_bundle bash "" "bash bin/sh")  # as nixpkgs' bash has it; /bin/sh runs builders
  gitp=$(deb_bundle git "/usr/lib/git-core libexec/git-core
/usr/share/git-core/templates share/git-core/templates")
  cacert=$(bundle "nss-cacert-$(upstream_version ca-certificates)" "/etc/ssl/certs/ca-certificates.crt etc/ssl/certs/ca-bundle.crt" "")
  # The image's own nix.conf, as a dockerTools image has it: a file in the store. Offline here, so
  # no substituter (a real image lists https://cache.nixos.org/).
  printf '%s\n' "# the Nix job image's nix.conf (scripts/containers/build-images.sh)" \
    "build-users-group =" "sandbox = false" "experimental-features = nix-command flakes" "substituters =" \
    "trusted-public-keys = cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=" >"$w/nix.conf"
  conf=$(nix-store --add "$w/nix.conf")
  nix-store -r --add-root "$images/roots/nix.conf" --indirect "$conf" >/dev/null
  local all=("$nixp" "$nodep" "$bashp" "$gitp" "$cacert" "$conf")
  for p in coreutils grep sed tar gzip findutils zstd; do all+=("$(deb_bundle "$p")"); done
  printf '%s\n' "${all[@]}" >"$w/top"
  nix-store -qR "${all[@]}" >"$w/closure"
  {
    echo "NIXP=$nixp" ; echo "GITP=$gitp"; echo "CACERT=$cacert"; echo "CONF=$conf"
  } >"$w/env"
}

# root_fs DIR WITH_STORE: the image's file system (the store and its database only WITH_STORE=true)
root_fs() {
  local r=$1 with_store=$2 p f
  # shellcheck disable=SC1091
  . "$w/env"
  mkdir -p "$r"/{bin,usr/bin,etc/nix,etc/ssl/certs,tmp,root,nix/var/nix,var/tmp,run}
  chmod 1777 "$r/tmp" "$r/var/tmp"; chmod 700 "$r/root"
  # /bin: a symlink per program of every top-level store path, as buildEnv's pathsToLink = [ "/bin" ]
  while read -r p; do
    [ -d "$p/bin" ] || continue
    for f in "$p"/bin/*; do ln -sfn "$f" "$r/bin/$(basename "$f")"; done
  done <"$w/top"
  ln -s "$(readlink "$r/bin/env")" "$r/usr/bin/env"
  ln -s "$CONF" "$r/etc/nix/nix.conf"
  ln -s "$CACERT/etc/ssl/certs/ca-bundle.crt" "$r/etc/ssl/certs/ca-bundle.crt"
  ln -s ca-bundle.crt "$r/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/var/empty:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
  printf 'hosts: files dns\npasswd: files\ngroup: files\n' >"$r/etc/nsswitch.conf"
  if [ "$with_store" = true ]; then
    mkdir -p "$r/nix/store"
    xargs -a "$w/closure" cp -a -t "$r/nix/store/"
    # the store database, as dockerTools makes it: the closure's registration loaded into a db at
    # the image's /nix/var/nix/db
    xargs -a "$w/closure" nix-store --dump-db >"$w/reginfo"
    NIX_REMOTE="local?root=$r" nix-store --load-db <"$w/reginfo"
    rm -rf "$r/nix/var/nix/temproots" "$r/nix/var/nix/gc.lock"
  fi
}

# docker_archive DIR TAG ENV_JSON: `podman load` of a docker-archive holding DIR as its one layer,
# the format dockerTools.buildImage writes
docker_archive() {
  local r=$1 tag=$2 env_json=$3 a="$w/archive"
  rm -rf "$a"; mkdir -p "$a/layer"
  tar -C "$r" --numeric-owner --owner=0 --group=0 -cf "$a/layer/layer.tar" .
  local diff; diff=$(sha256sum "$a/layer/layer.tar" | cut -d' ' -f1)
  TAG=$tag DIFF=$diff ENVJ=$env_json RECIPE=$recipe node -e '
    const fs = require("fs"), crypto = require("crypto");
    const config = JSON.stringify({ architecture: "amd64", os: "linux", created: "1970-01-01T00:00:01Z",
      config: { Env: JSON.parse(process.env.ENVJ), Cmd: ["/bin/bash"], WorkingDir: "/root",
        Labels: { "nra.recipe": process.env.RECIPE } },
      rootfs: { type: "layers", diff_ids: ["sha256:" + process.env.DIFF] } });
    const name = crypto.createHash("sha256").update(config).digest("hex") + ".json";
    fs.writeFileSync(process.argv[1] + "/" + name, config);
    fs.writeFileSync(process.argv[1] + "/manifest.json",
      JSON.stringify([{ Config: name, RepoTags: [process.env.TAG], Layers: ["layer/layer.tar"] }]));
  ' "$a"
  tar -C "$a" -cf "$w/image.tar" .
  if exists "$tag"; then "${podman[@]}" rmi -f "$tag" >/dev/null; fi
  "${podman[@]}" load -q -i "$w/image.tar" >/dev/null
  rm -rf "$a" "$w/image.tar"
}

image_env() { # NIX_REMOTE value or ""
  . "$w/env"
  NIXR=$1 GITP=$GITP NIXP=$NIXP node -e '
    const e = ["PATH=/bin:/usr/bin", "HOME=/root", "USER=root",
      "NIX_CONFIG=build-users-group =\nsandbox = false\nexperimental-features = nix-command flakes",
      "SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.crt", "NIX_SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.crt",
      // Debian built its nix-bin with /usr/libexec and /usr/bin compiled in (the build hook is
      // /usr/libexec/nix/build-remote); nixpkgs would compile in the store path. Nix reads these
      // two variables before its compiled-in paths.
      "NIX_LIBEXEC_DIR=" + process.env.NIXP + "/libexec", "NIX_BIN_DIR=" + process.env.NIXP + "/bin",
      "GIT_EXEC_PATH=" + process.env.GITP + "/libexec/git-core",
      "GIT_TEMPLATE_DIR=" + process.env.GITP + "/share/git-core/templates"];
    if (process.env.NIXR) e.push("NIX_REMOTE=" + process.env.NIXR);
    console.log(JSON.stringify(e));'
}

build_nix() {
  local t0=$SECONDS
  if ! $force && have "$tag_nix"; then echo "$tag_nix kept"; return; fi
  [ -s "$w/closure" ] || nix_store_paths
  root_fs "$w/nix-root" true
  docker_archive "$w/nix-root" "$tag_nix" "$(image_env "")"
  chmod -R u+w "$w/nix-root"; rm -rf "$w/nix-root"
  echo "$tag_nix built in $((SECONDS - t0)) s"
}

build_shared() { # TAG NIX_REMOTE
  local t0=$SECONDS tag=$1
  [ -s "$w/closure" ] || nix_store_paths
  if ! $force && have "$tag"; then echo "$tag kept (its store paths are in this store)"; return; fi
  root_fs "$w/shared-root" false
  docker_archive "$w/shared-root" "$tag" "$(image_env "$2")"
  rm -rf "$w/shared-root"
  echo "$tag built in $((SECONDS - t0)) s"
}

build_debian() {
  local t0=$SECONDS
  if ! $force && have "$tag_debian"; then echo "$tag_debian kept"; return; fi
  # debootstrap's root is kept as a tarball (about 40 s and Debian's archive to make again)
  local base="$images/debian-bookworm-minbase.tar" r="$w/debian-root"
  if [ ! -s "$base" ] || $force; then
    if ! command -v debootstrap >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends debootstrap >/dev/null
    fi
    local mirror
    mirror=$(bash "$here/../lib/debian-mirror.sh") || return 1
    debootstrap --variant=minbase bookworm "$r" "$mirror" >"$w/debootstrap.log" 2>&1 ||
      { echo "build-images: debootstrap failed:" >&2; tail -n 20 "$w/debootstrap.log" >&2; return 1; }
    rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/*
    tar -C "$r" --numeric-owner -cf "$base.partial" . && mv "$base.partial" "$base"
    rm -rf "$r"
  fi
  mkdir -p "$r" && tar -C "$r" --numeric-owner -xf "$base"
  install -m 755 "$(readlink -f "$(command -v node)")" "$r/usr/local/bin/node"
  chroot "$r" /usr/local/bin/node --version >/dev/null
  tar -C "$r" --numeric-owner -cf "$w/debian.tar" .
  if exists "$tag_debian"; then "${podman[@]}" rmi -f "$tag_debian" >/dev/null; fi
  "${podman[@]}" import -q --change 'CMD ["/bin/bash"]' --change "LABEL nra.recipe=$recipe" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$w/debian.tar" "$tag_debian" >/dev/null
  rm -rf "$r" "$w/debian.tar"
  echo "$tag_debian built in $((SECONDS - t0)) s"
}

for what in "$@"; do
  case $what in
    nix) build_nix ;;
    shared) build_shared "$tag_shared" daemon ;;
    shared-noremote) build_shared "$tag_noremote" "" ;;
    debian) build_debian ;;
    all) build_nix; build_shared "$tag_shared" daemon; build_shared "$tag_noremote" ""; build_debian ;;
    *) echo "usage: build-images.sh [--force] nix|shared|shared-noremote|debian|all..." >&2; exit 2 ;;
  esac
done
