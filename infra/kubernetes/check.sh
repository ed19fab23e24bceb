#!/usr/bin/env bash
# Checks a running local Kubernetes testbed against what issue 3 asks of it, and says so line by
# line; exits non-zero on the first failure:
#   the API server's /version is the pinned release; kube-scheduler and kube-controller-manager
#   are separate live processes answering /healthz; the 3 real nodes Ready, labelled real, exactly
#   one of them with 2 nvidia.com/gpu (the GPU layout of the other testbeds), the simulated nodes
#   besides; a pod of the service image on each real node answers HTTP (pod IP), one through its
#   ClusterIP; closed by default: etcd refuses a client without a certificate, the API server
#   refuses anonymous requests (401), no control-plane port listens on all addresses.
#   Uses curl, jq and ss only. Run after infra/kubernetes/up.sh (infra/testbed up kubernetes).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=versions.sh
source "$HERE/versions.sh"
# shellcheck source=env.sh
source "$HERE/env.sh"
# shellcheck source=components.sh
source "$HERE/components.sh"

[ -s "$K8S_PKI/admin.crt" ] || die "no local Kubernetes testbed here ($K8S_STATE): run infra/testbed up kubernetes"
ok() { printf '  ok   %s\n' "$*"; }
fail() { printf '  FAIL %s\n' "$*"; exit 1; }

version=$(kapi -f "$K8S_API_URL/version" | jq -r .gitVersion) || fail "API server at $K8S_API_URL does not answer"
[ "$version" = "$K8S_VERSION" ] && ok "kube-apiserver /version: $version" || fail "kube-apiserver reports $version, pinned $K8S_VERSION"

for c in kube-scheduler:$K8S_SCHEDULER_PORT kube-controller-manager:$K8S_CM_PORT; do
  name=${c%%:*}; port=${c##*:}
  comp_alive "$name" || fail "$name is not running"
  pid=$(cat "$(comp_pidfile "$name")")
  health=$(curl -sk --max-time 5 "https://127.0.0.1:$port/healthz" || true)
  [ "$health" = ok ] && ok "$name: own process (pid $pid), /healthz ok" || fail "$name /healthz: '$health'"
done
[ "$(cat "$(comp_pidfile kube-scheduler)")" != "$(cat "$(comp_pidfile kube-apiserver)")" ] || fail "scheduler shares the API server's process"

# Closed by default.
code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$K8S_API_URL/version" || true)
[ "$code" = 401 ] && ok "kube-apiserver refuses an anonymous request (HTTP $code)" || fail "kube-apiserver answered an anonymous request with HTTP $code (want 401)"
if curl -s -o /dev/null --max-time 5 --cacert "$K8S_PKI/etcd-ca.crt" "$K8S_ETCD_URL/health"; then
  fail "etcd answered a client without a certificate"
elif ! ketcd -f -o /dev/null "$K8S_ETCD_URL/health"; then
  fail "etcd does not answer its own client certificate"
else
  ok "etcd takes TLS clients with a certificate of its CA only"
fi
open=""
for p in "$K8S_API_PORT" "$K8S_ETCD_CLIENT_PORT" "$K8S_ETCD_PEER_PORT" "$K8S_SCHEDULER_PORT" "$K8S_CM_PORT" \
         "$K8S_KUBELET_PORT" "$K8S_KUBELET_HEALTHZ_PORT" "$K8S_PROXY_HEALTHZ_PORT" "$K8S_PROXY_METRICS_PORT"; do
  ss -ltnH "sport = :$p" | awk '{print $4}' | grep -E '^(0\.0\.0\.0|\[::\]|\*):' >/dev/null && open="$open $p"
done
[ -z "$open" ] && ok "no control-plane port listens on all addresses" || fail "ports listening on all addresses:$open"

nodes=$(kapi -f "$K8S_API_URL/api/v1/nodes")
total=$(jq '.items | length' <<<"$nodes")
gpu_nodes=$(jq '[.items[] | select((.status.capacity["nvidia.com/gpu"] // "0") != "0")] | length' <<<"$nodes")
ready=$(jq '[.items[] | select(any(.status.conditions[]; .type=="Ready" and .status=="True"))] | length' <<<"$nodes")
[ "$total" -ge $(( ${#K8S_REAL_NODES[@]} + 1 )) ] && ok "$total nodes ($ready Ready)" || fail "only $total nodes"
[ "$gpu_nodes" -ge 1 ] && ok "$gpu_nodes nodes advertise nvidia.com/gpu" || fail "no node advertises nvidia.com/gpu"
real=$(jq -c '[.items[] | select(.metadata.labels["computeops.io/node-kind"]=="real")
  | {name: .metadata.name, ready: any(.status.conditions[]; .type=="Ready" and .status=="True"),
     gpus: (.status.allocatable["nvidia.com/gpu"] // "0")}]' <<<"$nodes")
for n in "${K8S_REAL_NODES[@]}"; do
  [ "$(jq -r --arg n "$n" '.[] | select(.name==$n) | .ready' <<<"$real")" = true ] || fail "real node $n is not Ready"
  gpus=$(jq -r --arg n "$n" '.[] | select(.name==$n) | .gpus' <<<"$real")
  [ "$gpus" = "${K8S_REAL_GPUS[$n]}" ] && ok "real node $n Ready, $gpus nvidia.com/gpu allocatable" \
    || fail "real node $n advertises $gpus GPUs, want ${K8S_REAL_GPUS[$n]}"
done
[ "$(jq length <<<"$real")" = "${#K8S_REAL_NODES[@]}" ] && ok "exactly ${#K8S_REAL_NODES[@]} nodes labelled computeops.io/node-kind=real" \
  || fail "$(jq length <<<"$real") nodes labelled computeops.io/node-kind=real, want ${#K8S_REAL_NODES[@]}"

ns=co-check-$$
cleanup() { kapi -o /dev/null -X DELETE "$K8S_API_URL/api/v1/namespaces/$ns" || true; }
trap cleanup EXIT
kapi -f -o /dev/null -X POST -H 'Content-Type: application/json' "$K8S_API_URL/api/v1/namespaces" \
  -d "{\"metadata\":{\"name\":\"$ns\",\"labels\":{\"app.kubernetes.io/managed-by\":\"computeops-testbed\"}}}"
wait_for 30 "the namespace's default service account" kapi -f -o /dev/null "$K8S_API_URL/api/v1/namespaces/$ns/serviceaccounts/default"
# one pod of the service image per real node; the first also behind a ClusterIP Service
i=0
for n in "${K8S_REAL_NODES[@]}"; do
  kapi -f -o /dev/null -X POST -H 'Content-Type: application/json' "$K8S_API_URL/api/v1/namespaces/$ns/pods" -d '{
    "metadata": {"name": "web-'"$i"'", "labels": {"app": "web-'"$i"'"}},
    "spec": {"nodeSelector": {"computeops.io/node-kind": "real", "kubernetes.io/hostname": "'"$n"'"},
             "terminationGracePeriodSeconds": 1, "automountServiceAccountToken": false,
             "containers": [{"name": "web", "image": "computeops/service:1.0", "imagePullPolicy": "IfNotPresent",
                             "ports": [{"containerPort": 8080}]}]}}'
  i=$((i + 1))
done
kapi -f -o /dev/null -X POST -H 'Content-Type: application/json' "$K8S_API_URL/api/v1/namespaces/$ns/services" -d '{
  "metadata": {"name": "web"}, "spec": {"selector": {"app": "web-0"}, "ports": [{"port": 80, "targetPort": 8080}]}}'
pod_ready() {
  pod=$(kapi -f "$K8S_API_URL/api/v1/namespaces/$ns/pods/$1") \
    && jq -e '.status.conditions // [] | any(.type=="Ready" and .status=="True")' <<<"$pod" >/dev/null
}
pod_page=""
i=0
for n in "${K8S_REAL_NODES[@]}"; do
  pod='{}'
  ( wait_for 60 "the service pod on $n Ready" pod_ready "web-$i" ) 2>/dev/null || true
  pod_ready "web-$i" || true
  ip=$(jq -r 'select(.status.conditions // [] | any(.type=="Ready" and .status=="True")) | .status.podIP' <<<"$pod")
  [ -n "$ip" ] || fail "the service pod did not become Ready on $n: $(jq -c '.status.containerStatuses' <<<"$pod")"
  body=$(curl -s --max-time 5 "http://$ip:8080/" || true)
  [ "$i" -gt 0 ] || pod_page=$body
  [ -n "$body" ] && ok "service pod on $(jq -r .spec.nodeName <<<"$pod") answers HTTP at $ip:8080: $body" || fail "no HTTP answer from $ip:8080 (node $n)"
  i=$((i + 1))
done
if [ "$K8S_KUBE_PROXY" = 1 ]; then
  cip=$(kapi -f "$K8S_API_URL/api/v1/namespaces/$ns/services/web" | jq -r .spec.clusterIP)
  # the pod's own page, not any answer: before kube-proxy's rule exists the address leads elsewhere
  cluster_ip_answers() { [ "$(curl -s --max-time 2 "http://$cip/" || true)" = "$pod_page" ]; }
  body=""
  ( wait_for 10 "the ClusterIP" cluster_ip_answers ) 2>/dev/null && body=$pod_page
  [ "$body" = "$pod_page" ] && ok "ClusterIP Service $cip:80 answers through kube-proxy" || fail "no HTTP answer from ClusterIP $cip:80"
fi
echo "local Kubernetes testbed: all checks passed"
