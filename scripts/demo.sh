#!/usr/bin/env bash
# The Calico Enterprise federation walkthrough, reproduced on three local clusters with every step
# done by `kubectl federate`. Run through `make demo` (which builds what it needs first).
#
#   scripts/demo.sh [--keep] [--dir DIR]
#
# --keep leaves the clusters running and prints the kubeconfig to explore them with; otherwise
# everything is torn down at the end (and on any failure).
set -euo pipefail
cd "$(dirname "$0")/.."

keep=false
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=true ;;
    --dir) dir=$2; shift ;;
    *) echo "usage: scripts/demo.sh [--keep] [--dir DIR]" >&2; exit 2 ;;
  esac
  shift
done
target=${CARGO_TARGET_DIR:-$PWD/target}
federate=$target/debug/kubectl-federate
testenv=$target/debug/testenv
[ -x "$federate" ] && [ -x "$testenv" ] || { echo "build first: cargo build -p kubectl-federate -p fed-tests" >&2; exit 2; }
dir=${dir:-$(mktemp -d -t federate-demo-XXXXXX)}
kc=$dir/kubeconfig
export NO_COLOR=${NO_COLOR:-}

bold() { if [ -t 1 ] && [ -z "$NO_COLOR" ]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi; }
step=0
header() {
  step=$((step + 1))
  echo
  bold "== Step $step: $1"
  echo "   proves:   $2"
  echo "   replaces: $3"
  echo
}
# Each command is printed so that it can be pasted into a shell as it is: words with characters
# the shell would interpret are single-quoted.
quote() {
  if [[ $1 =~ ^[A-Za-z0-9_./=:,@%+-]+$ ]]; then printf '%s' "$1"; else printf "'%s'" "${1//\'/\'\\\'\'}"; fi
}
run() {
  local line='$' arg
  for arg in "$@"; do line+=" $(quote "$arg")"; done
  printf '%s\n' "$line"
  "$@"
}

cleanup() {
  if [ "$keep" = true ]; then
    echo
    bold "Clusters left running. Explore them with:"
    echo "  export KUBECONFIG=$kc"
    echo "  kubectl config get-contexts; $federate status --all-contexts"
    echo "Stop them with: $testenv down --dir $dir"
  else
    "$testenv" down --dir "$dir" >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
}
trap cleanup EXIT

header "start three local clusters" \
  "real kube-apiserver, kube-controller-manager and etcd processes, with Calico Enterprise's RCC API (manifests/dev/)" \
  "creating three EKS clusters from manifests/aws/ and installing Calico Enterprise"
run "$testenv" up --clusters 3 --dir "$dir" >/dev/null
KUBECONFIG=$kc kubectl config get-contexts

header "federate every cluster with every other" \
  "six links: per remote a ServiceAccount, RBAC and token; per link a Secret, typha Role/RoleBinding and RCC" \
  "per cluster: kubectl apply of federation-remote-sa.yaml and federation-rem-rbac-kdd.yaml, a token Secret, reading the token and CA, a kubeconfig assembled with sed; per pair: kubectl create secret and an RCC (3 clusters: 6 secrets, 6 RCCs)"
run "$federate" --kubeconfig "$kc" mesh cluster-a cluster-b cluster-c --allow-loopback
echo "(--allow-loopback: these clusters reach each other on this machine only, so loopback servers are fine here)"

header "check every link with the credential Calico will use" \
  "each stored kubeconfig reaches its remote, has the verbs Calico needs and no more, and Typha can read it" \
  "kubectl --kubeconfig <each file> get services, by hand, once"
run "$federate" --kubeconfig "$kc" status --all-contexts --allow-loopback

header "deploy my-app (two replicas and a ClusterIP Service) to each cluster" \
  "the backing workload of the federated service" \
  "kubectl apply -f my-app.yaml in each cluster"
for i in a b c; do
  run kubectl --kubeconfig "$kc" --context "cluster-$i" apply -f manifests/examples/my-app.yaml
done
echo
echo "No kubelet runs here. A documented stand-in (testenv ready-pods) gives each pod a node, an IP"
echo "from a per-cluster range and Ready status through the API, so the real controller manager"
echo "builds real Endpoints."
n=0
for i in a b c; do
  n=$((n + 1))
  run "$testenv" ready-pods --kubeconfig "$kc" --context "cluster-$i" --namespace default --selector app=my-app --cidr "10.$n.0.0/24"
done

header "federated endpoint identity, like calicoq eval" \
  "local endpoints unprefixed, remote ones prefixed with the RCC name" \
  "calicoq eval \"all()\" in each cluster"
run "$federate" --kubeconfig "$kc" eval 'app == "my-app"' --context cluster-a
run "$federate" --kubeconfig "$kc" eval 'app == "my-app"' --context cluster-c

header "a federated service" \
  "my-app-federated (no spec.selector, a serviceSelector annotation) gets the endpoints of all three clusters" \
  "kubectl apply -f my-app-federated.yaml, then waiting for Calico Enterprise's controller"
for i in a b c; do
  run kubectl --kubeconfig "$kc" --context "cluster-$i" apply -f manifests/examples/my-app-federated.yaml
done
for i in a b c; do
  run "$federate" --kubeconfig "$kc" svc sync --once --context "cluster-$i"
done
run kubectl --kubeconfig "$kc" --context cluster-a get endpoints my-app-federated -o yaml
for i in b c; do
  printf '$ kubectl --context cluster-%s get endpoints my-app-federated -o jsonpath=...\n' "$i"
  kubectl --kubeconfig "$kc" --context "cluster-$i" get endpoints my-app-federated \
    -o jsonpath='{range .subsets[*].addresses[*]}{.ip}{"  "}{.targetRef.name}{"\n"}{end}'
done

header "summary" "what each cluster holds now" "counting by hand"
for i in a b c; do
  rccs=$(kubectl --kubeconfig "$kc" --context "cluster-$i" get remoteclusterconfigurations.projectcalico.org -o name | wc -l)
  addrs=$(kubectl --kubeconfig "$kc" --context "cluster-$i" get endpoints my-app-federated \
    -o jsonpath='{range .subsets[*].addresses[*]}{.targetRef.name}{"\n"}{end}' | grep -c . || true)
  remote=$(kubectl --kubeconfig "$kc" --context "cluster-$i" get endpoints my-app-federated \
    -o jsonpath='{range .subsets[*].addresses[*]}{.targetRef.name}{"\n"}{end}' | grep -c / || true)
  echo "cluster-$i: $rccs RCCs, $addrs federated addresses ($remote remote)"
done
echo
bold "Done: three clusters federated, six links healthy, six federated addresses in each cluster."
