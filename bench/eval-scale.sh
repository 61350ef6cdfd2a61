#!/usr/bin/env bash
# Benchmark: `kubectl federate eval` at scale. A fresh meshed three-cluster test environment with
# PODS (default 10,000) workload endpoints per cluster created through the API
# (tests/examples/eval_scale_bench.rs), then `eval 'all()'`, `eval "app == 'web'"` and a
# realistic selector from cluster-a, each RUNS times (default 3): wall time, peak RSS (/usr/bin/time -v), endpoints; and
# the floor under them: the three pod lists alone, at once, read and not decoded.
# Goal: <= 1 s and <= 150 MiB for the listing.
#
# PROFILE=release (default) measures the binary users get; PROFILE=debug builds in seconds;
# FEDERATE_BIN=PATH measures that binary instead (nothing is built for it).
# The clusters run without the test environment's Go memory limits (testenv up --no-memory-limit),
# as kube-apiserver does by default: near its limit an API server holding the benchmark's objects
# spends most of its CPU collecting garbage. TEST_MEMORY_LIMITS=1 keeps the limits, to compare.
# FEDERATE_TESTENV_DIR=DIR reuses a running meshed environment instead of starting one.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$PWD/target}
profile=${PROFILE:-release}
pods=${PODS:-10000}
runs=${RUNS:-3}

limit_flag=(--no-memory-limit)
[ -n "${TEST_MEMORY_LIMITS:-}" ] && limit_flag=()
build_flag=()
[ "$profile" = release ] && build_flag=(--release)
# FEDERATE_BIN=PATH times that binary and builds none (a copy taken before editing on).
[ -n "${FEDERATE_BIN:-}" ] || nice -n 10 cargo build --quiet "${build_flag[@]}" -p kubectl-federate
nice -n 10 cargo build --quiet -p fed-tests --bin testenv --example eval_scale_bench
federate=${FEDERATE_BIN:-$target/$profile/kubectl-federate}
testenv=$target/debug/testenv
driver=$target/debug/examples/eval_scale_bench
if [ -n "${FEDERATE_TESTENV_DIR:-}" ]; then
  dir=$FEDERATE_TESTENV_DIR
else
  dir=$(mktemp -d -t eval-bench-XXXXXX)
  trap '"$testenv" down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
  "$testenv" up --clusters 3 "${limit_flag[@]}" --dir "$dir" >/dev/null
fi
kc=$dir/kubeconfig
"$federate" --kubeconfig "$kc" -q mesh cluster-a cluster-b cluster-c >/dev/null 2>&1

echo "== eval at scale ($profile build; $(nproc) cores; $(uname -r); load $(cut -d' ' -f1-3 /proc/loadavg))"
"$driver" --kubeconfig "$kc" --bin "$federate" --pods "$pods" --runs "$runs"
