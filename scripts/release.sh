#!/usr/bin/env bash
# Builds the release binary, packs it for krew, and fills the krew manifest.
#
#   scripts/release.sh                      cargo build --release, then pack and fill dist/
#   scripts/release.sh --binary PATH        pack PATH instead of building (the krew test packs the
#                      [--dist DIR]         debug binary this way, into a temporary DIR)
#
# Output, in DIR (default dist/):
#   kubectl-federate_<os>_<arch>.tar.gz    kubectl-federate, kubectl_complete-federate, LICENSE
#   federate.yaml                          krew/federate.yaml.tmpl with the version and sha256s
# The archive for this machine's platform is built; another platform's entry is kept when its
# archive is already in DIR (built on that platform and copied in), else left out of the manifest
# and named on stderr: krew verifies the sha256, so an entry without a real one is useless.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist=$root/dist
binary=
while [ $# -gt 0 ]; do
  case $1 in
    --binary) binary=$2; shift 2 ;;
    --dist) dist=$2; shift 2 ;;
    *) echo "usage: $0 [--binary PATH] [--dist DIR]" >&2; exit 2 ;;
  esac
done

log() { printf 'release: %s\n' "$*" >&2; }

version=v$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
[ "$version" != v ] || { log "no version in Cargo.toml's [workspace.package]"; exit 2; }

case $(uname -s) in Linux) os=linux ;; Darwin) os=darwin ;; *) log "unsupported OS $(uname -s)"; exit 2 ;; esac
case $(uname -m) in x86_64 | amd64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) log "unsupported arch $(uname -m)"; exit 2 ;; esac

if [ -z "$binary" ]; then
  log "cargo build --release -p kubectl-federate (LTO: minutes)"
  (cd "$root" && cargo build --release --quiet -p kubectl-federate)
  binary=${CARGO_TARGET_DIR:-$root/target}/release/kubectl-federate
fi
[ -x "$binary" ] || { log "$binary is not an executable"; exit 2; }

mkdir -p "$dist"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/kubectl-federate"
cp "$root/completions/kubectl_complete-federate" "$root/LICENSE" "$stage/"
chmod 0755 "$stage/kubectl-federate" "$stage/kubectl_complete-federate"
chmod 0644 "$stage/LICENSE"
archive=$dist/kubectl-federate_${os}_${arch}.tar.gz
# Reproducible: fixed order, owner and times, and no timestamp in the gzip header.
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
  -cf - kubectl-federate kubectl_complete-federate LICENSE | gzip -n > "$archive.tmp"
mv "$archive.tmp" "$archive"
log "packed $archive ($(wc -c < "$archive") bytes)"

# Fill the template: the version everywhere, each platform's sha256, and drop the entries of
# platforms without an archive.
manifest=$(cat "$root/krew/federate.yaml.tmpl")
manifest=${manifest//\{\{VERSION\}\}/$version}
missing=()
for p in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64; do
  a=$dist/kubectl-federate_${p%/*}_${p#*/}.tar.gz
  if [ -f "$a" ]; then
    sha=$(sha256sum "$a" | cut -d' ' -f1)
    manifest=${manifest//\{\{SHA256_${p%/*}_${p#*/}\}\}/$sha}
  else
    missing+=("$p")
    manifest=$(printf '%s\n' "$manifest" | awk -v p="$p" '$0 ~ "# begin " p "$" {skip=1} !skip {print} $0 ~ "# end " p "$" {skip=0}')
  fi
done
printf '%s\n' "$manifest" | grep -v '^#' > "$dist/federate.yaml"
if grep -q '{{' "$dist/federate.yaml"; then log "unfilled placeholder in $dist/federate.yaml"; exit 2; fi
for p in "${missing[@]}"; do
  log "could not build $p here: left out of federate.yaml (build on $p, copy its archive to $dist, re-run)"
done
log "wrote $dist/federate.yaml ($version)"
