#!/usr/bin/env bash
# One of three clusters hung (its kube-apiserver stopped with SIGSTOP), --request-timeout 5s:
# elapsed time of `mesh` and `status -A` over N runs (min/median/max) and the number of failed
# results on links that do not involve the hung cluster. Goal: 0 failures, elapsed <= 6 s.
#
# Usage: bench/faults.sh [RUNS]        (default 10)
#   FEDERATE_BENCH_DIR=DIR       use the test environment already running in DIR (`testenv up --dir DIR`);
#                                otherwise one is started in a fresh temporary directory and stopped after
#   FEDERATE_BIN=PATH            the binary to time (default $CARGO_TARGET_DIR/debug/kubectl-federate)
#   FEDERATE_BASELINE_BIN=PATH   also time this binary (e.g. a build of an earlier commit), side by side
#   FEDERATE_BENCH_TIMEOUT=5s    the request timeout given to every run
# Build first: cargo build -p kubectl-federate -p fed-tests
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
target=${CARGO_TARGET_DIR:-$PWD/target}
bin=${FEDERATE_BIN:-$target/debug/kubectl-federate}
baseline=${FEDERATE_BASELINE_BIN:-}
testenv=$target/debug/testenv
timeout=${FEDERATE_BENCH_TIMEOUT:-5s}
hung=cluster-c
for b in "$bin" "$testenv" ${baseline:+"$baseline"}; do
    [ -x "$b" ] || { echo "error: $b is missing; build first: cargo build -p kubectl-federate -p fed-tests" >&2; exit 2; }
done

dir=${FEDERATE_BENCH_DIR:-}
pid=""
cleanup() {
    [ -n "$pid" ] && kill -CONT "$pid" 2>/dev/null || true
    if [ -z "${FEDERATE_BENCH_DIR:-}" ]; then
        "$testenv" down --dir "$dir" >/dev/null 2>&1 || true
        rm -rf "$dir"
    fi
}
if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/fed-bench-faults.XXXXXX")
    echo "starting a three-cluster test environment in $dir ..." >&2
    "$testenv" up --clusters 3 --dir "$dir" >/dev/null
fi
trap cleanup EXIT
kc=$dir/kubeconfig

"$bin" --kubeconfig "$kc" -q mesh cluster-a cluster-b cluster-c >/dev/null
pid=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(next(c["apiserver"]["pid"] for c in s["clusters"] if c["name"]==sys.argv[2]))' "$dir/state.json" "$hung")
kill -STOP "$pid"
echo "$hung's kube-apiserver (pid $pid) stopped with SIGSTOP; --request-timeout $timeout; $runs runs each" >&2

# healthy_failures FILE KIND: results on links not involving the hung cluster that are not fine.
healthy_failures() {
    python3 - "$1" "$2" "$hung" <<'PY'
import json, sys
path, kind, hung = sys.argv[1:]
try:
    report = json.load(open(path))
except ValueError:
    print(99)  # no report at all
    sys.exit()
links = [l for l in report.get("links", []) if hung not in (l.get("local"), l.get("remote"))]
bad = "failed" if kind == "mesh" else "error"
print(sum(1 for l in links if l.get("outcome") == bad) + (0 if len(links) == 2 else 99))
PY
}

# bench LABEL BIN ARGS...: RUNS timed runs; prints min/median/max and the healthy-link failures.
bench() {
    local label=$1 b=$2 kind=$3
    shift 3
    local ms=() failures=0 out
    out=$(mktemp)
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$b" --kubeconfig "$kc" --request-timeout "$timeout" "$@" -o json >"$out" 2>/dev/null || true
        end=$(date +%s%N)
        ms+=($(((end - start) / 1000000)))
        failures=$((failures + $(healthy_failures "$out" "$kind")))
    done
    rm -f "$out"
    printf '%s\n' "${ms[@]}" | sort -n | awk -v label="$label" -v f="$failures" -v runs="$runs" '
        { v[NR] = $1 }
        END {
            med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%-44s min %6.2f s  median %6.2f s  max %6.2f s  healthy-link failures %d (of %d)\n",
                label, v[1] / 1000, med / 1000, v[NR] / 1000, f, 2 * runs
        }'
}

bench "mesh cluster-a cluster-b cluster-c" "$bin" mesh mesh cluster-a cluster-b cluster-c
bench "status -A" "$bin" status status --all-contexts --allow-loopback
if [ -n "$baseline" ]; then
    bench "baseline: mesh cluster-a cluster-b cluster-c" "$baseline" mesh mesh cluster-a cluster-b cluster-c
    bench "baseline: status -A" "$baseline" status status --all-contexts --allow-loopback
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
