#!/usr/bin/env bash
# For provision-nix.sh until it is JavaScript: prints the Debian mirror (scripts/lib/debian-mirror.mjs).
exec node "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.mjs"
