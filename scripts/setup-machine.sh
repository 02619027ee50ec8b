#!/usr/bin/env bash
# Installs what the action's local run and tests need on a Debian machine, skipping what is there.
#   --minimal   the local run only: Debian's nix-bin and the npm dependencies
#   (default)   the tests too: skopeo, docker-registry, nginx, jq, htpasswd, git, iproute2, and a
#               non-root user `nixtest` for the daemon tests, moto's S3 server (pip); for the e2e's
#               container rows podman, runc, containernetworking-plugins (the runners' docker mode,
#               scripts/containers/), debootstrap (the plain Debian image), patchelf (the Nix job
#               images' store paths, the real installer's embedded Nix), zstd (the installer's build)
#               and rsync (gitlab-ci-local, which runs the GitLab jobs: test/e2e/gitlab.ts)
# Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sudo_=""
[ "$(id -u)" -eq 0 ] || sudo_="sudo"

packages=(nix-bin ca-certificates)
[ "${1:-}" = "--minimal" ] || packages+=(skopeo docker-registry nginx jq apache2-utils git iproute2
  podman runc containernetworking-plugins debootstrap patchelf zstd rsync)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts nginx and docker-registry as services listening on every interface; the tests start
  # their own on 127.0.0.1, so the ones installed just now are stopped and left disabled.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    for svc in nginx docker-registry; do
      if printf '%s\n' "${missing[@]}" | grep -qx "$svc"; then $sudo_ systemctl disable --now "$svc" >/dev/null 2>&1 || true; fi
    done
  fi
fi
if [ "${1:-}" != "--minimal" ]; then
  id nixtest >/dev/null 2>&1 || $sudo_ useradd --create-home --shell /bin/sh nixtest
  # moto's S3 server, for the S3 push tests on a Nix built with S3 (test/helpers/s3-server.ts)
  command -v moto_server >/dev/null || python3 -m pip install --quiet 'moto[server]'
fi

cd "$root"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
