#!/usr/bin/env bash
# Builds krew from the Go module proxy and caches it by version outside the work tree (like
# build.sh), as `kubectl-krew` so that kubectl finds it as `kubectl krew` once its directory is on
# PATH. Only the krew install test needs it; nothing fetched is committed.
#
#   tests/gobin/krew.sh    build krew if missing, print the directory holding kubectl-krew
#
# KREW_BIN_DIR, when set to a directory holding an executable kubectl-krew, is used as is.
set -euo pipefail

# v0.5.0 needs go >= 1.25 and builds with Go 1.26 (testenv.md §6.2); its tag has no replace directives.
# krew/go.mod pins it (with go.sum) so the build is reproducible; keep the two in step.
KREW_VERSION=v0.5.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

cache=${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-federate
bin=$cache/bin/krew-$KREW_VERSION

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0

log() { printf 'gobin: %s\n' "$*" >&2; }

if [ -n "${KREW_BIN_DIR:-}" ]; then
  [ -x "$KREW_BIN_DIR/kubectl-krew" ] || { log "KREW_BIN_DIR=$KREW_BIN_DIR has no executable kubectl-krew"; exit 2; }
  echo "$KREW_BIN_DIR"; exit 0
fi

mkdir -p "$bin"
exec 9>"$bin/.lock"
flock 9   # a second caller waits for the first build instead of racing it

if [ ! -x "$bin/kubectl-krew" ]; then
  log "building krew $KREW_VERSION into $bin"
  start=$SECONDS
  # Built inside krew/ (a module requiring sigs.k8s.io/krew) rather than `go install krew@version`:
  # the latter asks the proxy for the module's version list, which the proxy here refuses (403).
  (cd "$here/krew" && go build -trimpath -ldflags "-s -w -X sigs.k8s.io/krew/internal/version.gitTag=$KREW_VERSION" \
    -o "$bin/kubectl-krew.tmp" sigs.k8s.io/krew/cmd/krew)
  mv "$bin/kubectl-krew.tmp" "$bin/kubectl-krew"
  log "built krew in $((SECONDS - start))s"
fi
echo "$bin"
