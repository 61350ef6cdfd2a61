#!/usr/bin/env bash
# Start-up time of `kubectl federate --help`: N runs timed with date +%s%N, mean/min/max in ms,
# both through kubectl (plugin discovery on PATH, what users feel) and of the binary alone.
#
#   bench/startup.sh [BINARY] [N]     BINARY default target/release/kubectl-federate, N default 50
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$root/target/release/kubectl-federate}
n=${2:-50}
[ -x "$bin" ] || { echo "startup: $bin is missing: run scripts/release.sh (or pass a binary)" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$dir/kubectl-federate"

# Runs "$@" N times (after one warm-up run), prints: label mean min max.
measure() {
  local label=$1; shift
  "$@" >/dev/null 2>&1
  local total=0 min= max=0 start end t i
  for ((i = 0; i < n; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    t=$((end - start))
    total=$((total + t))
    if [ -z "$min" ] || [ "$t" -lt "$min" ]; then min=$t; fi
    if [ "$t" -gt "$max" ]; then max=$t; fi
  done
  awk -v l="$label" -v s="$total" -v n="$n" -v lo="$min" -v hi="$max" \
    'BEGIN { printf "%-36s mean %7.2f ms  min %7.2f ms  max %7.2f ms  (n=%d)\n", l, s/n/1e6, lo/1e6, hi/1e6, n }'
}

echo "binary: $bin ($(wc -c < "$bin") bytes)"
PATH="$dir:$PATH" measure "kubectl federate --help" kubectl federate --help
measure "kubectl-federate --help" "$dir/kubectl-federate" --help
measure "kubectl version --client (baseline)" kubectl version --client
