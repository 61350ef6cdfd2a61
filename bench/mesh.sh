#!/usr/bin/env bash
# Benchmark: `kubectl federate mesh` against the walkthrough's manual steps done with kubectl, for 3
# and for 6 clusters, on one test environment in one run. Prints wall times and the ratio.
#
# Manual, per cluster: apply the ServiceAccount and RBAC, create the token Secret, wait for its
# token, read token and CA, write a kubeconfig; per link: `kubectl create secret generic` and
# `kubectl create -f` of the RCC. The manual run uses its own names (namespace fed-manual, RCCs
# manual-*) so the two never share objects.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$PWD/target}
# Debug build: mesh is bound by API round trips, and a release (LTO) build costs minutes on 2 cores.
cargo build --quiet -p kubectl-federate
cargo build --quiet -p fed-tests --bin testenv
federate=$target/debug/kubectl-federate
testenv=$target/debug/testenv
dir=$(mktemp -d -t federate-bench-XXXXXX)
trap '"$testenv" down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$testenv" up --clusters 6 --dir "$dir" >/dev/null
kc=$dir/kubeconfig
k() { kubectl --kubeconfig "$kc" "$@"; }

# manual and clean_manual: the walkthrough's steps, shared with bench/scale.sh.
source bench/manual_steps.sh

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

all=(cluster-a cluster-b cluster-c cluster-d cluster-e cluster-f)
printf '%-10s %12s %12s %8s\n' clusters "manual (ms)" "mesh (ms)" ratio
for n in 3 6; do
  set -- "${all[@]:0:$n}"
  t0=$(now); manual "$@"; t1=$(now)
  clean_manual "$@"
  t2=$(now); "$federate" --kubeconfig "$kc" mesh "$@" -q >/dev/null 2>&1; t3=$(now)
  m=$(ms "$t0" "$t1"); f=$(ms "$t2" "$t3")
  printf '%-10s %12d %12d %7.1fx\n' "$n" "$m" "$f" "$(echo "$m / $f" | bc -l)"
  # The next size starts from scratch: remove the tool's links too.
  for c in "$@"; do
    others=(); for o in "$@"; do [ "$o" != "$c" ] && others+=("$o"); done
    "$federate" --kubeconfig "$kc" unjoin --context "$c" --remote-cleanup "${others[@]}" -q >/dev/null 2>&1
  done
done
