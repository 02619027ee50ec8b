#!/usr/bin/env bash
# Installs the runners into .tools/<name>/bin (gitignored), reusing binaries that are already there:
# act and Gitea's runner with `go install` from the Go module proxy. Forgejo's runner is in no
# registry this project installs from (the proxy refuses every code.forgejo.org module): the tests'
# Forgejo cases run Gitea's runner as its stand-in (scripts/lib/runners.mjs).
# Prints one line per runner: name and path, or name and "unavailable: why". Exits 1 if any is missing.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools"
# Go as installed on these machines may not be on a non-login shell's PATH.
command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"
if ! command -v go >/dev/null 2>&1; then
  echo "go is not installed: the runners are built from Go sources (install Go 1.24 or newer)" >&2
  exit 1
fi

install_one() { # name module@version
  local name=$1 spec=$2 bin="$tools/$1/bin"
  if [ -x "$bin/act" ] || [ -x "$bin/runner" ]; then echo "$name $(ls "$bin"/* | head -n1)"; return 0; fi
  mkdir -p "$bin"
  if GOBIN="$bin" go install "$spec" >"$tools/$name.log" 2>&1; then
    echo "$name $(ls "$bin"/* | head -n1)"; return 0
  fi
  # The proxy may serve the module but not its version list, which `go install` asks for; build it
  # from the downloaded module instead.
  local dir
  if dir=$(cd "$tools" && go mod download -json "$spec" 2>>"$tools/$name.log" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p') && [ -n "$dir" ] &&
     (cd "$dir" && GOBIN="$bin" GOFLAGS=-mod=mod go install . >>"$tools/$name.log" 2>&1); then
    echo "$name $(ls "$bin"/* | head -n1)"; return 0
  fi
  # Say why on the same line (e.g. the proxy's "403 Forbidden"), so a harness can show it as is.
  echo "$name unavailable: $(grep -v '^\s*$' "$tools/$name.log" | tail -n1 | cut -c1-240) (full log: $tools/$name.log)"
  return 1
}

status=0
install_one act github.com/nektos/act@v0.2.87 || status=1
install_one gitea gitea.com/gitea/runner@v1.0.8 || status=1
exit $status
