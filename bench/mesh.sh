#!/usr/bin/env bash
# Benchmark: `kubectl federate mesh` against the walkthrough's manual steps done with kubectl, for 3
# and for 6 clusters, on one test environment in one run. Prints wall times and the ratio.
#
# Manual, per cluster: apply the ServiceAccount and RBAC, create the token Secret, wait for its
# token, read token and CA, write a kubeconfig; per link: `kubectl create secret generic` and
# `kubectl create -f` of the RCC. The manual run uses its own names (namespace fed-manual, RCCs
# manual-*) so the two never share objects.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$PWD/target}
# Debug build: mesh is bound by API round trips, and a release (LTO) build costs minutes on 2 cores.
cargo build --quiet -p kubectl-federate
cargo build --quiet -p fed-tests --bin testenv
federate=$target/debug/kubectl-federate
testenv=$target/debug/testenv
dir=$(mktemp -d -t federate-bench-XXXXXX)
trap '"$testenv" down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$testenv" up --clusters 6 --dir "$dir" >/dev/null
kc=$dir/kubeconfig
k() { kubectl --kubeconfig "$kc" "$@"; }

manual() {
  local clusters=("$@") work
  work=$(mktemp -d)
  for c in "${clusters[@]}"; do
    k --context "$c" create namespace fed-manual --dry-run=client -o yaml | k --context "$c" apply -f - >/dev/null
    for f in manifests/federation-remote-sa.yaml manifests/federation-rem-rbac-kdd.yaml; do
      sed -e 's/namespace: calico-system/namespace: fed-manual/' -e 's/name: tigera-federation-remote-cluster/name: fed-manual-remote/' "$f" \
        | k --context "$c" apply -f - >/dev/null
    done
    k --context "$c" -n fed-manual apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: fed-manual-remote
  annotations: {kubernetes.io/service-account.name: fed-manual-remote}
YAML
    local token=""
    until [ -n "$token" ]; do
      token=$(k --context "$c" -n fed-manual get secret fed-manual-remote -o jsonpath='{.data.token}' 2>/dev/null | base64 -d || true)
    done
    local ca server
    ca=$(k config view --raw --minify --flatten --context "$c" -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
    server=$(k config view --raw --minify --flatten --context "$c" -o jsonpath='{.clusters[0].cluster.server}')
    sed -e "s,YOUR_SERVICE_ACCOUNT_TOKEN,$token,g" -e "s,YOUR_CERTIFICATE_AUTHORITY_DATA,$ca,g" -e "s,YOUR_SERVER_ADDRESS,$server,g" \
      > "$work/$c.kubeconfig" <<'YAML'
apiVersion: v1
kind: Config
users:
- name: tigera-federation-remote-cluster
  user: {token: YOUR_SERVICE_ACCOUNT_TOKEN}
clusters:
- name: tigera-federation-remote-cluster
  cluster: {certificate-authority-data: YOUR_CERTIFICATE_AUTHORITY_DATA, server: YOUR_SERVER_ADDRESS}
contexts:
- name: tigera-federation-remote-cluster-ctx
  context: {cluster: tigera-federation-remote-cluster, user: tigera-federation-remote-cluster}
current-context: tigera-federation-remote-cluster-ctx
YAML
  done
  for local in "${clusters[@]}"; do
    for remote in "${clusters[@]}"; do
      [ "$local" = "$remote" ] && continue
      k --context "$local" -n fed-manual create secret generic "remote-cluster-secret-manual-$remote" \
        --from-literal=datastoreType=kubernetes --from-file=kubeconfig="$work/$remote.kubeconfig" >/dev/null
      k --context "$local" create -f - >/dev/null <<YAML
apiVersion: projectcalico.org/v3
kind: RemoteClusterConfiguration
metadata: {name: manual-$remote}
spec:
  clusterAccessSecret: {name: remote-cluster-secret-manual-$remote, namespace: fed-manual, kind: Secret}
YAML
    done
  done
  rm -rf "$work"
}

clean_manual() {
  for c in "$@"; do
    k --context "$c" delete remoteclusterconfigurations.projectcalico.org --all >/dev/null
    k --context "$c" -n fed-manual delete secrets --all >/dev/null
  done
}

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

all=(cluster-a cluster-b cluster-c cluster-d cluster-e cluster-f)
printf '%-10s %12s %12s %8s\n' clusters "manual (ms)" "mesh (ms)" ratio
for n in 3 6; do
  set -- "${all[@]:0:$n}"
  t0=$(now); manual "$@"; t1=$(now)
  clean_manual "$@"
  t2=$(now); "$federate" --kubeconfig "$kc" mesh "$@" -q >/dev/null 2>&1; t3=$(now)
  m=$(ms "$t0" "$t1"); f=$(ms "$t2" "$t3")
  printf '%-10s %12d %12d %7.1fx\n' "$n" "$m" "$f" "$(echo "$m / $f" | bc -l)"
  # The next size starts from scratch: remove the tool's links too.
  for c in "$@"; do
    others=(); for o in "$@"; do [ "$o" != "$c" ] && others+=("$o"); done
    "$federate" --kubeconfig "$kc" unjoin --context "$c" --remote-cleanup "${others[@]}" -q >/dev/null 2>&1
  done
done
