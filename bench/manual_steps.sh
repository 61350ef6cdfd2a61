# The walkthrough's manual steps, scripted with kubectl (sourced by bench/mesh.sh and
# bench/scale.sh; they define `k`, kubectl against the benchmark's kubeconfig).
#
# Manual, per cluster: apply the ServiceAccount and RBAC, create the token Secret, wait for its
# token, read token and CA, write a kubeconfig; per link: `kubectl create secret generic` and
# `kubectl create -f` of the RCC. The manual run uses its own names (namespace fed-manual, RCCs
# manual-*) so it never shares objects with the tool's.

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

