#!/usr/bin/env bash
# Builds tests/calico-selector (a small program over Calico's own selector package,
# github.com/projectcalico/calico/libcalico-go/lib/selector, from the Go module proxy at the
# version go.mod pins) and caches it outside the work tree, keyed by that version and by the
# program's source, next to the strings of Calico's own tokenizer and parser test files, which it
# extracts from the module cache copy at build time.
#
#   tests/calico-selector/build.sh    build what is missing, print the directory holding
#                                     calico-selector, calico-tests.jsonl and Calico's
#                                     HostEndpoint CRD (crd.projectcalico.org_hostendpoints.yaml)
#
# CALICO_SELECTOR_DIR, when set to a directory holding both, is used as is.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-federate

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0

log() { printf 'calico-selector: %s\n' "$*" >&2; }

if [ -n "${CALICO_SELECTOR_DIR:-}" ]; then
  for f in calico-selector calico-tests.jsonl; do
    [ -e "$CALICO_SELECTOR_DIR/$f" ] || { log "CALICO_SELECTOR_DIR=$CALICO_SELECTOR_DIR has no $f"; exit 2; }
  done
  echo "$CALICO_SELECTOR_DIR"; exit 0
fi

version=$(sed -n 's#^\s*github.com/projectcalico/calico \(v[^ ]*\).*#\1#p' "$here/go.mod" | head -1)
[ -n "$version" ] || { log "no github.com/projectcalico/calico version in $here/go.mod"; exit 2; }
source_hash=$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" | sha256sum | cut -c1-12)
bin=$cache/bin/calico-selector-$version-$source_hash

mkdir -p "$bin"
exec 9>"$bin/.lock"
flock 9   # a second caller waits for the first build instead of racing it

if [ ! -x "$bin/calico-selector" ] || [ ! -s "$bin/calico-tests.jsonl" ]; then
  log "building against github.com/projectcalico/calico@$version into $bin"
  start=$SECONDS
  (cd "$here" && go build -trimpath -ldflags "-s -w" -o "$bin/calico-selector.tmp" .)
  module=$(cd "$here" && go list -m -f '{{.Dir}}' github.com/projectcalico/calico)
  tests=("$module"/libcalico-go/lib/selector/tokenizer/*_test.go "$module"/libcalico-go/lib/selector/parser/*_test.go)
  "$bin/calico-selector.tmp" extract "${tests[@]}" > "$bin/calico-tests.jsonl.tmp"
  [ -s "$bin/calico-tests.jsonl.tmp" ] || { log "no strings extracted from ${tests[*]}"; exit 1; }
  mv "$bin/calico-tests.jsonl.tmp" "$bin/calico-tests.jsonl"
  mv "$bin/calico-selector.tmp" "$bin/calico-selector"
  log "built in $((SECONDS - start))s; $(wc -l < "$bin/calico-tests.jsonl") strings from Calico's test files"
fi
# Calico's own HostEndpoint CRD, from the same module, for the tests of `eval` over host endpoints.
crd=crd.projectcalico.org_hostendpoints.yaml
if [ ! -s "$bin/$crd" ]; then
  module=$(cd "$here" && go list -m -f '{{.Dir}}' github.com/projectcalico/calico)
  cp "$module/libcalico-go/config/crd/$crd" "$bin/$crd.tmp" && mv "$bin/$crd.tmp" "$bin/$crd"
fi
echo "$bin"
