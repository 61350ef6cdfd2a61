#!/usr/bin/env bash
# Scale benchmark: for N = 2, 4, 8, 12, 16 clusters (one environment of the largest N, the first N
# clusters used for each size), prints
#   - `mesh` first run (nothing exists) and re-run (everything right), `status -A`, and `rotate`
#     when the binary has that subcommand, in ms;
#   - the API requests each made (`-v` counts them) and the tool's peak memory (the most of the
#     three runs, from /usr/bin/time -v);
#   - the walkthrough's manual kubectl steps for the same N (bench/manual_steps.sh, as in
#     bench/mesh.sh) and the ratio manual / mesh first run.
# Heavy: the 16-cluster environment takes minutes to start and ~6 GiB; run it once.
#
# Usage: bench/scale.sh [N...]          (default: 2 4 8 12 16)
#   FEDERATE_BIN=PATH   the binary to time; nothing is built (default: a debug build of this
#                       workspace, built first, with testenv)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2 4 8 12 16)
max=0
for n in "${sizes[@]}"; do [ "$n" -gt "$max" ] && max=$n; done

target=${CARGO_TARGET_DIR:-$PWD/target}
if [ -z "${FEDERATE_BIN:-}" ]; then
    # Debug build: mesh and status are bound by API round trips (see the README's figures).
    cargo build --quiet -p kubectl-federate -p fed-tests --bin kubectl-federate --bin testenv
fi
federate=${FEDERATE_BIN:-$target/debug/kubectl-federate}
testenv=$target/debug/testenv
dir=$(mktemp -d -t federate-scale-XXXXXX)
trap '"$testenv" down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg) before start" >&2
"$testenv" up --clusters "$max" --dir "$dir" >/dev/null 2>"$dir/up.log" || { cat "$dir/up.log" >&2; exit 1; }
cat "$dir/up.log" >&2
kc=$dir/kubeconfig
k() { kubectl --kubeconfig "$kc" "$@"; }
source bench/manual_steps.sh

mapfile -t all < <(k config get-contexts -o name | sort)
now() { date +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }

# Runs the tool with -v under /usr/bin/time; sets t (ms), req (API requests), rss (peak KiB).
# Returns the tool's exit code.
timed() {
    local t0 t1 code=0
    t0=$(now)
    /usr/bin/time -v -o "$dir/time.txt" "$federate" --kubeconfig "$kc" -v "$@" >/dev/null 2>"$dir/err.txt" || code=$?
    t1=$(now)
    t=$(ms "$t0" "$t1")
    req=$(sed -n 's/^api requests: \([0-9]*\).*/\1/p' "$dir/err.txt" | tail -1)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
    return $code
}

has_rotate=false
"$federate" rotate --help >/dev/null 2>&1 && has_rotate=true

printf '%3s %6s %10s %10s %10s %10s %21s %8s %11s %7s\n' \
    N links "mesh (ms)" "re-run" "status -A" rotate "requests m/r/s/rot" "peak MiB" "manual (ms)" ratio
for n in "${sizes[@]}"; do
    set -- "${all[@]:0:$n}"
    t0=$(now); manual "$@"; t1=$(now)
    clean_manual "$@"
    m=$(ms "$t0" "$t1")

    timed mesh "$@" || { echo "mesh of $n failed:" >&2; cat "$dir/err.txt" >&2; exit 1; }
    first=$t first_req=$req peak=$rss
    timed mesh "$@" || { echo "mesh re-run of $n failed:" >&2; cat "$dir/err.txt" >&2; exit 1; }
    rerun=$t rerun_req=$req; [ "$rss" -gt "$peak" ] && peak=$rss
    timed status --allow-loopback "$@" || { echo "status of $n failed:" >&2; cat "$dir/err.txt" >&2; exit 1; }
    status=$t status_req=$req; [ "$rss" -gt "$peak" ] && peak=$rss
    rotate=- rotate_req=-
    if $has_rotate; then
        # issue-15's subcommand: rotate every link's credential of these clusters.
        if timed rotate "$@"; then
            rotate=$t rotate_req=$req; [ "$rss" -gt "$peak" ] && peak=$rss
        else
            rotate=failed
        fi
    fi
    printf '%3d %6d %10d %10d %10d %10s %21s %8.1f %11d %6.1fx\n' "$n" $((n * (n - 1))) "$first" "$rerun" "$status" \
        "$rotate" "$first_req/$rerun_req/$status_req/$rotate_req" "$(echo "$peak / 1024" | bc -l)" "$m" \
        "$(echo "$m / $first" | bc -l)"

    # The next size starts from nothing: remove the tool's links and remote objects.
    for c in "$@"; do
        others=(); for o in "$@"; do [ "$o" != "$c" ] && others+=("$o"); done
        "$federate" --kubeconfig "$kc" unjoin --context "$c" --remote-cleanup "${others[@]}" -q >/dev/null 2>&1
    done
done
echo "machine after: load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
