#!/usr/bin/env bash
# Installs what the action's local run and tests need on a Debian machine, skipping what is there:
# Debian's nix-bin, skopeo, docker-registry, nginx, jq, htpasswd; a non-root user for daemon tests;
# the npm dependencies. Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sudo_=""
[ "$(id -u)" -eq 0 ] || sudo_="sudo"

packages=(nix-bin skopeo docker-registry nginx jq apache2-utils git ca-certificates)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's nginx package starts a server on port 80 when installed; tests start their own on 127.0.0.1.
id nixtest >/dev/null 2>&1 || $sudo_ useradd --create-home --shell /bin/sh nixtest

cd "$root"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
