#!/usr/bin/env bash
# `make build`: builds every target of the workspace. When the build fails, the last lines
# it prints are the compiler's error lines and this machine's free disk and memory: a CI report
# that keeps only the end of the output still says why (a linker killed or out of space shows
# there, not in cargo's closing "could not compile" line).
set -uo pipefail
cargo=${CARGO:-cargo}
log=$(mktemp -t fed-build-XXXXXX)
trap 'rm -f "$log"' EXIT
"$cargo" build --workspace --all-targets 2> >(tee "$log" >&2)
status=$?
wait
[ "$status" = 0 ] && exit 0
{
  echo "--- the build failed (exit $status); its error lines, at most 300 characters each:"
  grep -E 'error|Killed|signal|No space|terminated' "$log" | cut -c1-300 | tail -n 20
  echo "--- disk where the build writes, and memory:"
  df -h . | tail -n 1
  free -m | sed -n 1,2p
} >&2
exit "$status"
