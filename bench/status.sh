#!/usr/bin/env bash
# Times `kubectl federate status --all-contexts` on a healthy three-cluster mesh: N runs, then
# mean/min/max in milliseconds. The budget is one second (mean); exit 1 when it is exceeded.
#
# Usage: bench/status.sh [RUNS]        (default 20)
#   FEDERATE_BENCH_DIR=DIR   use the test environment already running in DIR (`testenv up --dir DIR`);
#                            otherwise one is started in a fresh temporary directory and stopped after
#   FEDERATE_BIN=PATH        the binary to time (default ./target/debug/kubectl-federate)
#   FEDERATE_BENCH_BUDGET_MS the budget for the mean (default 1000)
# Build first: cargo build -p kubectl-federate -p fed-tests
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-20}
bin=${FEDERATE_BIN:-./target/debug/kubectl-federate}
testenv=./target/debug/testenv
budget=${FEDERATE_BENCH_BUDGET_MS:-1000}
for b in "$bin" "$testenv"; do
    [ -x "$b" ] || { echo "error: $b is missing; build first: cargo build -p kubectl-federate -p fed-tests" >&2; exit 2; }
done

dir=${FEDERATE_BENCH_DIR:-}
if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/fed-bench-status.XXXXXX")
    trap '"$testenv" down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
    echo "starting a three-cluster test environment in $dir ..." >&2
    "$testenv" up --clusters 3 --dir "$dir" >/dev/null
fi
kc=$dir/kubeconfig

"$bin" --kubeconfig "$kc" -q mesh cluster-a cluster-b cluster-c >/dev/null
# A warm-up run, which must find the mesh healthy (loopback warnings allowed).
if ! "$bin" --kubeconfig "$kc" -q status --all-contexts >/dev/null; then
    echo "error: the mesh is not healthy; see: $bin --kubeconfig $kc status --all-contexts" >&2
    exit 1
fi

ms=()
for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$bin" --kubeconfig "$kc" -q status --all-contexts >/dev/null
    end=$(date +%s%N)
    ms+=($(((end - start) / 1000000)))
done

printf '%s\n' "${ms[@]}" | awk -v runs="$runs" -v budget="$budget" '
    NR == 1 { min = $1; max = $1 }
    { sum += $1; if ($1 < min) min = $1; if ($1 > max) max = $1 }
    END {
        mean = sum / NR
        printf "kubectl federate status --all-contexts (3 clusters, 6 links), %d runs: mean %.0f ms, min %d ms, max %d ms\n", runs, mean, min, max
        if (mean > budget) { printf "error: the mean exceeds the %d ms budget\n", budget > "/dev/stderr"; exit 1 }
    }'
