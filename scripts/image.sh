#!/usr/bin/env bash
# Builds the controller's container image without a container engine:
# dist/kubectl-federate-image.tar, an OCI image archive (OCI layout, tarred) holding one layer with
# the static (musl) kubectl-federate binary at /usr/local/bin/kubectl-federate, run as user
# 65532, entrypoint the binary, no shell and nothing else.
#
#   scripts/image.sh                  build the binary (profile release-image) and the image
#   scripts/image.sh --binary PATH    use PATH (a static linux/amd64 binary) instead of building
#   scripts/image.sh --out PATH       write the archive to PATH (default dist/kubectl-federate-image.tar)
#
# Reproducible: every timestamp is SOURCE_DATE_EPOCH (default: the last commit's time), file
# owners and modes are fixed, so the same binary gives the same image digest. The image is
# assembled with go-containerregistry's crane, built from the Go module proxy at a pinned version
# and cached by version under ${XDG_CACHE_HOME:-~/.cache}/kubectl-federate (like tests/gobin).
set -euo pipefail

CRANE_VERSION=v0.22.1
TARGET=x86_64-unknown-linux-musl
PROFILE=release-image

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/dist/kubectl-federate-image.tar
binary=
while [ $# -gt 0 ]; do
  case $1 in
    --binary) binary=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--binary PATH] [--out PATH]" >&2; exit 2 ;;
  esac
done

log() { printf 'image: %s\n' "$*" >&2; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
ref=ghcr.io/kubectl-federate/kubectl-federate:$version
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)
fi
export SOURCE_DATE_EPOCH

# crane, pinned, from the Go module proxy, cached by version.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-federate
crane=$cache/bin/crane-$CRANE_VERSION/crane
if [ ! -x "$crane" ]; then
  mkdir -p "$(dirname "$crane")"
  exec 9>"$(dirname "$crane")/.lock"
  flock 9
  if [ ! -x "$crane" ]; then
    log "building crane $CRANE_VERSION from the Go module proxy (once per machine)"
    GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod GOBIN=$(dirname "$crane") \
      go install -trimpath -ldflags='-s -w' "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION"
  fi
  exec 9>&-
fi

# The static binary.
if [ -z "$binary" ]; then
  rustup target list --installed | grep -qx "$TARGET" || { log "rustup target add $TARGET"; rustup target add "$TARGET"; }
  # musl-gcc, for ring's C and assembly.
  bash "$root/scripts/apt-install.sh" musl-gcc musl-tools
  log "cargo build --profile $PROFILE --target $TARGET -p kubectl-federate"
  (cd "$root" && CC_x86_64_unknown_linux_musl=musl-gcc cargo build --quiet --locked --profile "$PROFILE" --target "$TARGET" -p kubectl-federate)
  binary=${CARGO_TARGET_DIR:-$root/target}/$TARGET/$PROFILE/kubectl-federate
fi
[ -x "$binary" ] || { log "$binary is not an executable"; exit 2; }
if file "$binary" 2>/dev/null | grep -q 'dynamically linked'; then
  log "$binary is dynamically linked: the image has no libc"; exit 2
fi

# The layer: usr/local/bin/kubectl-federate, root-owned, 0755, SOURCE_DATE_EPOCH times.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/usr/local/bin"
install -m 0755 "$binary" "$work/rootfs/usr/local/bin/kubectl-federate"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  -C "$work/rootfs" -cf "$work/layer.tar" usr

# crane assembles the image in a registry of its own, in memory, on loopback: an empty OCI base
# plus the layer, then the config (platform, user, entrypoint, labels); then it is pulled as an
# OCI layout.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$crane" registry serve --address "127.0.0.1:$port" >"$work/registry.log" 2>&1 &
registry=$!
trap 'kill $registry 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
local_ref=127.0.0.1:$port/kubectl-federate:$version
"$crane" append --oci-empty-base --platform linux/amd64 -f "$work/layer.tar" -t "$local_ref" >/dev/null 2>&1
"$crane" mutate --set-platform linux/amd64 \
  --user 65532:65532 \
  --entrypoint /usr/local/bin/kubectl-federate \
  --workdir / \
  --env PATH=/usr/local/bin \
  --label org.opencontainers.image.title=kubectl-federate \
  --label "org.opencontainers.image.version=$version" \
  --label org.opencontainers.image.licenses=Apache-2.0 \
  "$local_ref" >/dev/null 2>&1
digest=$("$crane" digest "$local_ref")
"$crane" pull --format oci "$local_ref" "$work/layout" 2>/dev/null
kill $registry 2>/dev/null || true

# index.json names the image for `kind load image-archive`, `ctr import` and `docker load`.
size=$(wc -c <"$work/layout/blobs/sha256/${digest#sha256:}")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}\n' \
  "$digest" "$size" "$ref" "$version" >"$work/layout/index.json"
mkdir -p "$(dirname "$out")"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  -C "$work/layout" -cf "$out.tmp" oci-layout index.json blobs
mv "$out.tmp" "$out"
log "$out: $ref $digest ($(du -h "$out" | cut -f1))"
echo "$digest"
