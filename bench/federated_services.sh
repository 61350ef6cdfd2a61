#!/usr/bin/env bash
# Benchmark: federated services at 3 clusters x 5,000 backing endpoints.
#
# 1. The pure part (criterion): endpoint computation, Endpoints object and EndpointSlice planning
#    over 15,000 addresses: cargo bench -p libfed --bench federated.
# 2. The live part, on a fresh meshed three-cluster test environment
#    (tests/examples/federated_services_bench.rs): `svc sync --once` initial and no-change
#    (wall, peak RSS from /usr/bin/time -v), the watching controller's initial sync, change
#    propagation p50/p99 from a backing Endpoints change in cluster-b to the federated Endpoints
#    and their mirrored slices in cluster-a (seen through watches; timed both from the driver's
#    write starting and from the change being visible in cluster-b's watch), the backing write
#    alone, the controller's peak memory (VmHWM), and Kubernetes' mirroring alone: for the
#    controller's Endpoints, and side by side for Endpoints the driver writes itself with no
#    controller running (what any controller that writes Endpoints, Calico Enterprise's too, pays).
#
# PROFILE=release (default) measures the binary users get; PROFILE=debug builds in seconds;
# FEDERATE_BIN=PATH measures that binary instead (nothing is built for it).
# The clusters run without the test environment's Go memory limits (testenv up --no-memory-limit),
# as kube-apiserver does by default: near its limit an API server holding the benchmark's objects
# spends most of its CPU collecting garbage. TEST_MEMORY_LIMITS=1 keeps the limits, to compare.
# SKIP_CRITERION=1 runs only the live part. CHANGES=N sets the number of propagated changes.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$PWD/target}
profile=${PROFILE:-release}
changes=${CHANGES:-50}

if [ -z "${SKIP_CRITERION:-}" ]; then
  echo "== pure computation (criterion, 3 x 5,000 endpoints)"
  nice -n 10 cargo bench --quiet -p libfed --bench federated -- --warm-up-time 1 --measurement-time 5 2>&1 \
    | grep -E '^federated/|time:' || true
fi

limit_flag=(--no-memory-limit)
[ -n "${TEST_MEMORY_LIMITS:-}" ] && limit_flag=()
build_flag=()
[ "$profile" = release ] && build_flag=(--release)
# FEDERATE_BIN=PATH times that binary and builds none (a copy taken before editing on).
[ -n "${FEDERATE_BIN:-}" ] || nice -n 10 cargo build --quiet "${build_flag[@]}" -p kubectl-federate
nice -n 10 cargo build --quiet -p fed-tests --bin testenv --example federated_services_bench
federate=${FEDERATE_BIN:-$target/$profile/kubectl-federate}
testenv=$target/debug/testenv
driver=$target/debug/examples/federated_services_bench
dir=$(mktemp -d -t fedsvc-bench-XXXXXX)
trap '"$testenv" down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$testenv" up --clusters 3 "${limit_flag[@]}" --dir "$dir" >/dev/null
kc=$dir/kubeconfig
"$federate" --kubeconfig "$kc" -q mesh cluster-a cluster-b cluster-c >/dev/null 2>&1

echo "== live ($profile build of kubectl-federate; $(nproc) cores; $(uname -r))"
"$driver" --kubeconfig "$kc" --bin "$federate" --per-cluster 5000 --per-service 1000 --changes "$changes"
