#!/usr/bin/env bash
# Benchmark: `kubectl federate rotate` against `kubectl federate mesh` on the same clusters, for 3
# and for 6 clusters, on one test environment in one run. Prints wall times and the ratio.
#
# Per size: a fresh `mesh` (creates every link), then `rotate` of the same clusters (mints a new
# credential per cluster, rewrites the n·(n-1) link Secrets, verifies every link with the checks of
# `status`, revokes the old credentials), then a second `rotate` (the steady state of a periodic
# job). Both modes: `--token secret` (waits for the token controller) and `--token request`.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$PWD/target}
# Debug build: both commands are bound by API round trips, and a release (LTO) build costs minutes
# on 2 cores.
cargo build --quiet -p kubectl-federate
cargo build --quiet -p fed-tests --bin testenv
federate=$target/debug/kubectl-federate
testenv=$target/debug/testenv
dir=$(mktemp -d -t federate-bench-XXXXXX)
trap '"$testenv" down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$testenv" up --clusters 6 --dir "$dir" >/dev/null
kc=$dir/kubeconfig
f() { "$federate" --kubeconfig "$kc" "$@"; }

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

all=(cluster-a cluster-b cluster-c cluster-d cluster-e cluster-f)
printf '%-8s %-8s %6s %10s %12s %13s %7s\n' mode clusters links "mesh (ms)" "rotate (ms)" "rotate again" ratio
for mode in secret request; do
  for n in 3 6; do
    set -- "${all[@]:0:$n}"
    t0=$(now); f mesh "$@" --token "$mode" -q >/dev/null; t1=$(now)
    f rotate "$@" -q >/dev/null; t2=$(now)
    f rotate "$@" -q >/dev/null; t3=$(now)
    m=$(ms "$t0" "$t1"); r=$(ms "$t1" "$t2"); r2=$(ms "$t2" "$t3")
    printf '%-8s %-8s %6d %10d %12d %13d %6.1fx\n' "$mode" "$n" $((n * (n - 1))) "$m" "$r" "$r2" "$(echo "$r / $m" | bc -l)"
    # The next size starts from scratch.
    for c in "$@"; do
      others=(); for o in "$@"; do [ "$o" != "$c" ] && others+=("$o"); done
      f unjoin --context "$c" --remote-cleanup "${others[@]}" -q >/dev/null
    done
  done
done
