#!/usr/bin/env bash
# Regenerates the checked-in shell completion scripts under completions/ from the binary's clap
# definition. kubectl-federate/tests/completions.rs fails when they drift and names this script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --quiet -p kubectl-federate
bin=${CARGO_TARGET_DIR:-target}/debug/kubectl-federate
for shell in bash zsh fish; do
  "$bin" completion "$shell" > "completions/kubectl-federate.$shell"
done
echo "regenerated completions/kubectl-federate.{bash,zsh,fish}" >&2
