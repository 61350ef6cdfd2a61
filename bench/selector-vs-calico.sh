#!/usr/bin/env bash
# Benchmark: selector evaluation, libfed against Calico's own Go selector package, side by side in
# one run, on the same selectors and the same 10,000 endpoint label maps
# (libfed/benches/selector_vs_calico.rs drives both; tests/calico-selector is the Go side).
# Prints ns per evaluation (min and median of ROUNDS rounds, default 7, each timed in the CPU
# time of the thread running it on both sides, so other processes on shared cores are left out)
# and Go's time over libfed's for each selector. The two alternate selector by selector, PASSES
# times (default 3), so a slow spell of a shared machine falls on both alike; min is the fastest
# round of all passes, median the median of the passes' medians.
#
# The evaluation runs only libfed's own code, std and memchr (generic code, compiled into libfed and the
# bench). By default the bench builds with the dev profile with libfed (and this bench) at
# opt-level 3 without debug assertions, reusing the test build's dependencies, so it builds in
# minutes; FULL_RELEASE=1 builds everything with the release settings (LTO) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
calico_dir=$(bash tests/calico-selector/build.sh)
echo "== machine: $(nproc) cores, $(uname -r), $(go version | cut -d' ' -f3), $(rustc --version | cut -d' ' -f1-2), load $(cut -d' ' -f1-3 /proc/loadavg)"
config=(--profile dev --config profile.dev.package.libfed.opt-level=3
        --config profile.dev.package.libfed.debug-assertions=false --config profile.dev.package.libfed.overflow-checks=false)
[ -n "${FULL_RELEASE:-}" ] && config=()
CALICO_SELECTOR=$calico_dir/calico-selector nice -n 10 cargo bench --quiet "${config[@]}" -p libfed --bench selector_vs_calico
