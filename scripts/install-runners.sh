#!/usr/bin/env bash
# Installs the three runners into .tools/<name>/bin (gitignored), reusing binaries that are already
# there: act and Gitea's runner with `go install`, Forgejo's runner built from source by
# ../shared/tools/forgejo-runner/build.sh (the module proxy refuses code.forgejo.org modules).
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

# Forgejo's runner v12, commit 0988a0cb: build.sh builds it from the source tarball beside it. The
# shared folder sits beside the repository (CI clones the repository next to a read-only shared/).
install_forgejo() {
  local bin="$tools/forgejo/bin/forgejo-runner" build
  build="$(cd "$root/.." && pwd)/shared/tools/forgejo-runner/build.sh"
  if [ -x "$bin" ]; then echo "forgejo $bin"; return 0; fi
  if [ ! -f "$build" ]; then
    echo "forgejo unavailable: $build is missing (it builds Forgejo's runner from source; put the shared/ folder beside the repository)"
    return 1
  fi
  mkdir -p "$(dirname "$bin")"
  # Built under a temporary name, so an interrupted build never leaves a binary that would be reused.
  local rc=0
  bash "$build" "$bin.partial" >"$tools/forgejo.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ] && mv "$bin.partial" "$bin"; then echo "forgejo $bin"; return 0; fi
  rm -f "$bin.partial"
  local why; why=$(grep -v '^\s*$' "$tools/forgejo.log" | tail -n1 | cut -c1-240)
  echo "forgejo unavailable: $build exited $rc: ${why:-no message} (full log: $tools/forgejo.log)"
  return 1
}

status=0
install_one act github.com/nektos/act@v0.2.87 || status=1
install_one gitea gitea.com/gitea/runner@v1.0.8 || status=1
install_forgejo || status=1
exit $status
