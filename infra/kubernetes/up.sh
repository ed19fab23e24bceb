#!/usr/bin/env bash
# Starts the local Kubernetes testbed (idempotent: what already runs with the same settings is
# reused, a component whose settings changed is restarted):
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler  (separate processes, built
#       from the published Go modules by build.sh, version pinned in versions.sh)
#   KWOK with $K8S_SIM_NODES simulated nodes ($K8S_SIM_GPU_NODES of them with nvidia.com/gpu)
#   3 real nodes, each in a network and UTS namespace of its own on bridge co-k8s0 (as the Swarm
#       testbed's engines): its own containerd (Debian's), runc, Debian's CNI plugins and a kubelet;
#       co-k8s-gpu advertises 2 fake nvidia.com/gpu; kube-proxy on the host
# Closed by default: etcd takes clients with a certificate of its own CA only; the API server
# listens on the bridge (where the real nodes reach it) and refuses anonymous requests; no port
# listens on all addresses.
# The admin kubeconfig lands in $TESTBED_STATE_DIR/kubernetes/kubeconfig, the scenarios'
# settings in testbed.properties beside it. Needs root.
# The functions below run in the order of the call sequence at the end of this file.
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
# shellcheck source=nodes.sh
source "$HERE/nodes.sh"

# --- host packages and binaries -------------------------------------------------------------------
prepare_host() {
  apt_ensure "${K8S_PACKAGES[@]}" iptables openssl curl jq iproute2
  mkdir -p "$K8S_STATE" "$K8S_PKI" "$K8S_LOGS" "$K8S_RUN"
}

build_binaries() {
  local bin
  bin=$("$HERE/build.sh" | tail -n 1)
  [ "$bin" = "$K8S_BIN" ] && [ -x "$K8S_BIN/kcluster" ] || die "build.sh did not produce $K8S_BIN/kcluster (it said: $bin)"
}

# --- network: the bridge holding the API server's address, one namespace per real node ------------
create_network() {
  bridge_up "$K8S_NODE_BRIDGE" "$K8S_NODE_CIDR"
  sysctl -qw net.ipv4.ip_forward=1 || true
  modprobe br_netfilter 2>/dev/null || true
  if [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then sysctl -qw net.bridge.bridge-nf-call-iptables=1 || true; fi
  local n uts
  mkdir -p "$K8S_RUN/uts"
  for n in "${K8S_REAL_NODES[@]}"; do
    netns_node "$n" "$K8S_NODE_BRIDGE" "${K8S_REAL_IP[$n]}/24" "$K8S_NODE_IP"
    # the node forwards between its pods' bridge and eth0; the host reaches its pods through it
    nsenter --net="/var/run/netns/$n" sysctl -qw net.ipv4.ip_forward=1
    ip route replace "${K8S_REAL_PODS[$n]}" via "${K8S_REAL_IP[$n]}" dev "$K8S_NODE_BRIDGE"
    # its own host name: a UTS namespace kept by a bind mount on a file, entered by nsenter
    uts=$(node_uts "$n")
    if ! mountpoint -q "$uts" 2>/dev/null; then
      touch "$uts"
      unshare --uts="$uts" hostname "$n"
    fi
  done
}

# --- certificates, service-account keys, kubeconfigs ----------------------------------------------
# gen_cert NAME CN ORG EKU [SANS [CA]]: a key and a certificate signed by CA (default: the cluster
# CA); kept while valid for another day.
gen_cert() {
  local name=$1 cn=$2 org=$3 eku=$4 sans=${5:-} ca=${6:-ca}
  [ -s "$K8S_PKI/$name.crt" ] && openssl x509 -checkend 86400 -noout -in "$K8S_PKI/$name.crt" >/dev/null 2>&1 && return 0
  local subj="/CN=$cn"; [ -n "$org" ] && subj="/O=$org$subj"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$K8S_PKI/$name.key" -out "$K8S_PKI/$name.csr" -subj "$subj" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [ -n "$sans" ] && echo "subjectAltName=$sans"
  } > "$K8S_PKI/$name.ext"
  openssl x509 -req -in "$K8S_PKI/$name.csr" -CA "$K8S_PKI/$ca.crt" -CAkey "$K8S_PKI/$ca.key" -CAcreateserial \
    -out "$K8S_PKI/$name.crt" -days 365 -sha256 -extfile "$K8S_PKI/$name.ext" 2>/dev/null
  rm -f "$K8S_PKI/$name.csr" "$K8S_PKI/$name.ext"
  chmod 600 "$K8S_PKI/$name.key"
}

# gen_ca NAME CN: a CA valid for 10 years; a new one (expired or missing) replaces what it signed.
gen_ca() {
  local name=$1 cn=$2
  if [ -s "$K8S_PKI/$name.crt" ] && openssl x509 -checkend 86400 -noout -in "$K8S_PKI/$name.crt" >/dev/null 2>&1; then return 0; fi
  log "generating the CA $cn under $K8S_PKI"
  openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$K8S_PKI/$name.key" -out "$K8S_PKI/$name.crt" \
    -days 3650 -sha256 -subj "/CN=$cn" 2>/dev/null
  chmod 600 "$K8S_PKI/$name.key"
  return 1
}

# kubeconfig FILE NAME: a kubeconfig for the cert/key pair NAME of the PKI.
kubeconfig() {
  local file=$1 name=$2
  cat > "$file.tmp" <<EOC
apiVersion: v1
kind: Config
clusters:
- name: computeops-local
  cluster:
    server: $K8S_API_URL
    certificate-authority-data: $(base64 -w0 "$K8S_PKI/ca.crt")
users:
- name: $name
  user:
    client-certificate-data: $(base64 -w0 "$K8S_PKI/$name.crt")
    client-key-data: $(base64 -w0 "$K8S_PKI/$name.key")
contexts:
- name: computeops-local
  context:
    cluster: computeops-local
    user: $name
current-context: computeops-local
EOC
  chmod 600 "$file.tmp"
  mv -f "$file.tmp" "$file"
}

# Two CAs: the cluster's, and etcd's own, so that no Kubernetes client certificate (kubelet,
# KWOK, admin) opens etcd. A CA made anew re-issues what it signs.
make_credentials() {
  local cluster_certs=(apiserver apiserver-kubelet-client admin scheduler scheduler-serving controller-manager kube-proxy) \
    etcd_certs=(etcd-server apiserver-etcd-client) c n
  for n in "${K8S_REAL_NODES[@]}"; do cluster_certs+=("kubelet-$n" "kubelet-serving-$n"); done
  gen_ca ca computeops-testbed-ca || for c in "${cluster_certs[@]}"; do rm -f "$K8S_PKI/$c.crt"; done
  gen_ca etcd-ca computeops-testbed-etcd-ca || for c in "${etcd_certs[@]}"; do rm -f "$K8S_PKI/$c.crt"; done
  [ -s "$K8S_PKI/sa.key" ] || { openssl genrsa -out "$K8S_PKI/sa.key" 2048 2>/dev/null; chmod 600 "$K8S_PKI/sa.key"; }
  [ -s "$K8S_PKI/sa.pub" ] || openssl rsa -in "$K8S_PKI/sa.key" -pubout -out "$K8S_PKI/sa.pub" 2>/dev/null
  gen_cert apiserver kube-apiserver "" serverAuth \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,DNS:$(hostname),IP:127.0.0.1,IP:$K8S_NODE_IP,IP:$K8S_SERVICE_IP"
  gen_cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters clientAuth
  gen_cert admin computeops-admin system:masters clientAuth
  gen_cert scheduler system:kube-scheduler "" clientAuth
  # its serving certificate for /metrics on loopback, of the cluster CA, so that a client checks it
  gen_cert scheduler-serving kube-scheduler "" serverAuth "DNS:localhost,IP:127.0.0.1"
  gen_cert controller-manager system:kube-controller-manager "" clientAuth
  # each kubelet its own identity (the Node authorizer and NodeRestriction check it against its node)
  for n in "${K8S_REAL_NODES[@]}"; do
    gen_cert "kubelet-$n" "system:node:$n" system:nodes clientAuth
    gen_cert "kubelet-serving-$n" "system:node:$n" system:nodes serverAuth "DNS:$n,IP:${K8S_REAL_IP[$n]},IP:127.0.0.1"
  done
  gen_cert kube-proxy system:kube-proxy "" clientAuth
  # etcd's serving certificate is also its peer certificate (client and server use)
  gen_cert etcd-server etcd "" serverAuth,clientAuth "DNS:localhost,IP:127.0.0.1" etcd-ca
  gen_cert apiserver-etcd-client kube-apiserver-etcd-client "" clientAuth "" etcd-ca
  for n in admin scheduler controller-manager kube-proxy; do kubeconfig "$K8S_STATE/$n.kubeconfig" "$n"; done
  for n in "${K8S_REAL_NODES[@]}"; do mkdir -p "$(node_dir "$n")"; kubeconfig "$(node_dir "$n")/kubelet.kubeconfig" "kubelet-$n"; done
  cp -f "$K8S_STATE/admin.kubeconfig" "$K8S_KUBECONFIG"
}

# --- control plane ----------------------------------------------------------------------------------
# etcd on loopback, TLS on both ports; a client (or peer) without a certificate of etcd's CA is refused.
start_etcd() {
  local peer="https://127.0.0.1:$K8S_ETCD_PEER_PORT"
  check_port etcd "$K8S_ETCD_CLIENT_PORT"
  start etcd "$K8S_BIN/etcd" --name=node0 --data-dir="$K8S_STATE/etcd" \
    --listen-client-urls="$K8S_ETCD_URL" --advertise-client-urls="$K8S_ETCD_URL" \
    --cert-file="$K8S_PKI/etcd-server.crt" --key-file="$K8S_PKI/etcd-server.key" \
    --client-cert-auth --trusted-ca-file="$K8S_PKI/etcd-ca.crt" \
    --listen-peer-urls="$peer" --initial-advertise-peer-urls="$peer" --initial-cluster="node0=$peer" \
    --peer-cert-file="$K8S_PKI/etcd-server.crt" --peer-key-file="$K8S_PKI/etcd-server.key" \
    --peer-client-cert-auth --peer-trusted-ca-file="$K8S_PKI/etcd-ca.crt" \
    --auto-compaction-retention=1 --unsafe-no-fsync --quota-backend-bytes=4294967296 --log-level=warn
  comp_wait 60 etcd etcd_healthy
}
etcd_healthy() { ketcd -f "$K8S_ETCD_URL/health" | grep '"health":"true"' >/dev/null; }

# The API server on the bridge's address only (the real nodes' kubelets reach it from their
# namespaces; the bridge is this machine's own, no other interface routes to it) and with
# anonymous requests refused (401): every client shows a certificate of the cluster CA.
start_apiserver() {
  check_port kube-apiserver "$K8S_API_PORT"
  start kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers="$K8S_ETCD_URL" --etcd-cafile="$K8S_PKI/etcd-ca.crt" \
    --etcd-certfile="$K8S_PKI/apiserver-etcd-client.crt" --etcd-keyfile="$K8S_PKI/apiserver-etcd-client.key" \
    --bind-address="$K8S_NODE_IP" --secure-port="$K8S_API_PORT" --advertise-address="$K8S_NODE_IP" \
    --anonymous-auth=false \
    --tls-cert-file="$K8S_PKI/apiserver.crt" --tls-private-key-file="$K8S_PKI/apiserver.key" \
    --client-ca-file="$K8S_PKI/ca.crt" \
    --kubelet-client-certificate="$K8S_PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$K8S_PKI/apiserver-kubelet-client.key" \
    --service-account-key-file="$K8S_PKI/sa.pub" --service-account-signing-key-file="$K8S_PKI/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range="$K8S_SERVICE_CIDR" \
    --authorization-mode=Node,RBAC --allow-privileged=true \
    --enable-admission-plugins=NodeRestriction \
    --event-ttl=2h --profiling=false --v=1
  comp_wait 120 kube-apiserver kapi -f "$K8S_API_URL/readyz"
  log "kube-apiserver $(kapi "$K8S_API_URL/version" | jq -r .gitVersion) on $K8S_API_URL"
}

# The controller manager's node-monitor timings come from failure_detection (lib/common.sh); a
# change restarts it (start compares the command line).
start_controllers() {
  check_port kube-controller-manager "$K8S_CM_PORT"
  start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig="$K8S_STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$K8S_STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$K8S_STATE/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$K8S_CM_PORT" \
    --service-account-private-key-file="$K8S_PKI/sa.key" --root-ca-file="$K8S_PKI/ca.crt" \
    --cluster-signing-cert-file="$K8S_PKI/ca.crt" --cluster-signing-key-file="$K8S_PKI/ca.key" \
    --use-service-account-credentials=true --controllers='*' --leader-elect=false \
    --service-cluster-ip-range="$K8S_SERVICE_CIDR" \
    --node-monitor-period="$K8S_NODE_MONITOR_PERIOD" --node-monitor-grace-period="$K8S_NODE_MONITOR_GRACE" \
    --kube-api-qps=200 --kube-api-burst=400 --concurrent-job-syncs=10 --v=1
  cat > "$K8S_STATE/scheduler.yaml" <<EOC
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: $K8S_STATE/scheduler.kubeconfig
  qps: 200
  burst: 400
leaderElection:
  leaderElect: false
EOC
  check_port kube-scheduler "$K8S_SCHEDULER_PORT"
  start kube-scheduler "$K8S_BIN/kube-scheduler" --config="$K8S_STATE/scheduler.yaml" \
    --authentication-kubeconfig="$K8S_STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig="$K8S_STATE/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$K8S_SCHEDULER_PORT" \
    --tls-cert-file="$K8S_PKI/scheduler-serving.crt" --tls-private-key-file="$K8S_PKI/scheduler-serving.key" --v=1
  # /healthz needs no client certificate (--authorization-always-allow-paths' default)
  comp_wait 90 kube-controller-manager curl -skf "https://127.0.0.1:$K8S_CM_PORT/healthz"
  comp_wait 90 kube-scheduler curl -skf "https://127.0.0.1:$K8S_SCHEDULER_PORT/healthz"
}

# --- the real nodes (nodes.sh): containerd, images, kubelet -------------------------------------
start_containerds() {
  local n
  for n in "${K8S_REAL_NODES[@]}"; do start_node_containerd "$n"; done
  for n in "${K8S_REAL_NODES[@]}"; do comp_wait 60 "containerd-$n" ctr --address "$(node_ctrd_sock "$n")" version; done
}

# --- images: pause (built here) and the workloads (infra/images/build.sh), into every node ----------
# import_image NODE NAME TAR REF: imports TAR into NODE's containerd (k8s.io namespace) unless there.
import_image() {
  local n=$1 name=$2 tar=$3 ref=$4 sum marker
  marker="$(node_dir "$n")/containerd/.imported-$name"
  sum=$(sha256sum "$tar" | cut -c1-64)
  if [ "$(cat "$marker" 2>/dev/null)" = "$sum" ] && ctr_node "$n" images ls -q | grep -x "$ref" >/dev/null; then
    return 0
  fi
  log "importing $ref into $n's containerd (k8s.io namespace)"
  ctr_node "$n" images import "$tar" >/dev/null || die "ctr images import $tar into $n failed"
  ctr_node "$n" images ls -q | grep -x "$ref" >/dev/null || die "image $ref missing in $n after importing $tar"
  echo "$sum" > "$marker"
}

import_images() {
  local images_dir="$TESTBED_CACHE_DIR/images" n
  "$K8S_BIN/mkimage" -o "$K8S_CACHE/pause.tar" -name registry.k8s.io/pause:3.6 -entrypoint /pause "/pause=$K8S_BIN/pause"
  if [ ! -s "$images_dir/batch.tar" ] || [ ! -s "$images_dir/service.tar" ]; then
    [ -x "$INFRA_DIR/images/build.sh" ] || die "workload images missing in $images_dir and no infra/images/build.sh to build them"
    "$INFRA_DIR/images/build.sh" >/dev/null
  fi
  for n in "${K8S_REAL_NODES[@]}"; do
    import_image "$n" pause "$K8S_CACHE/pause.tar" registry.k8s.io/pause:3.6
    import_image "$n" batch "$images_dir/batch.tar" docker.io/computeops/batch:1.0
    import_image "$n" service "$images_dir/service.tar" docker.io/computeops/service:1.0
  done
}

start_kubelets() {
  local n
  for n in "${K8S_REAL_NODES[@]}"; do start_node_kubelet "$n"; done
  for n in "${K8S_REAL_NODES[@]}"; do comp_wait 120 "kubelet-$n" node_ready "$n"; advertise_gpus "$n"; done
  log "real nodes Ready: ${K8S_REAL_NODES[*]}"
}

# The single real node of earlier versions (co-k8s-real on the host's network): stopped, and its
# Node object removed.
retire_single_node() {
  comp_stop kubelet
  if comp_alive containerd; then
    log "removing the pods of the earlier single real node"
    "$K8S_BIN/kcluster" cri-cleanup unix:///run/computeops/k8s/containerd.sock >&2 || warn "cri-cleanup of the earlier real node reported errors"
  fi
  comp_stop containerd
  ip link delete "$K8S_CNI_BRIDGE" 2>/dev/null || true   # its pods' bridge lived on the host
  kapi -o /dev/null -X DELETE "$K8S_API_URL/api/v1/nodes/co-k8s-real" 2>/dev/null || true
}

# --- kube-proxy (ClusterIP Services reachable from this host and from pods) ------------------------
start_kube_proxy() {
  [ "$K8S_KUBE_PROXY" = 1 ] || return 0
  # kube-proxy exits when its config file changes: write it only when the content differs
  cat > "$K8S_STATE/kube-proxy.yaml.new" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $K8S_STATE/kube-proxy.kubeconfig
mode: iptables
clusterCIDR: $K8S_POD_CIDR
hostnameOverride: ${K8S_REAL_NODES[0]}
bindAddress: $K8S_NODE_IP
healthzBindAddress: 127.0.0.1:$K8S_PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$K8S_PROXY_METRICS_PORT
nodePortAddresses: ["$K8S_NODE_IP/32"]
conntrack:
  maxPerCore: 0
EOF
  if cmp -s "$K8S_STATE/kube-proxy.yaml.new" "$K8S_STATE/kube-proxy.yaml"; then
    rm -f "$K8S_STATE/kube-proxy.yaml.new"
  else
    mv "$K8S_STATE/kube-proxy.yaml.new" "$K8S_STATE/kube-proxy.yaml"
  fi
  check_port kube-proxy "$K8S_PROXY_HEALTHZ_PORT"
  start kube-proxy "$K8S_BIN/kube-proxy" --config="$K8S_STATE/kube-proxy.yaml" --v=1
  comp_wait 60 kube-proxy curl -sf "http://127.0.0.1:$K8S_PROXY_HEALTHZ_PORT/livez"
}

# --- KWOK and the simulated nodes -------------------------------------------------------------------
# One KWOK process for all $K8S_SIM_NODES simulated nodes (components.sh start_kwok): a process
# per node could not reach 1,000 nodes on this machine. node.sh stop takes a node's
# $K8S_KWOK_LABEL label off, so KWOK stops its lease and status heartbeats exactly as a dead
# kubelet would, and the control plane's own failure detection (node-monitor-grace-period) is
# part of every recovery it measures.
# Stages: the "fast" node and pod lifecycles, but Job pods complete SIM_JOB_RUN_SECONDS after they
# run (lib/sim-layout.sh; the Swarm simulator's job run time too): an instant completion gives a GPU
# hold no length on the API's whole-second clock, and the GPU overcommit check could not verify it.
# Simulated nodes beyond this layout (a larger run's, a crashed run's) are removed; a node a
# failure scenario left unmanaged (cut short) is managed again.
sim_node_json() { # NAME GPUS
  local name=$1 gpus=$2 res
  res="\"cpu\":\"$SIM_NODE_CPUS\",\"memory\":\"${SIM_NODE_MEMORY_MIB}Mi\",\"pods\":\"$SIM_NODE_PODS\",\"ephemeral-storage\":\"500Gi\""
  [ "$gpus" -gt 0 ] && res="$res,\"nvidia.com/gpu\":\"$gpus\""
  cat <<EOF
{"apiVersion":"v1","kind":"Node",
 "metadata":{"name":"$name",
   "annotations":{"kwok.x-k8s.io/node":"fake","node.alpha.kubernetes.io/ttl":"0"},
   "labels":{"kubernetes.io/arch":"amd64","kubernetes.io/os":"linux","kubernetes.io/hostname":"$name",
     "type":"kwok","computeops.io/node-kind":"simulated","computeops.io/gpus":"$gpus","$K8S_KWOK_LABEL":"true"}},
 "spec":{"taints":[{"key":"kwok.x-k8s.io/node","value":"fake","effect":"NoSchedule"}]},
 "status":{"capacity":{$res},"allocatable":{$res},
   "nodeInfo":{"architecture":"amd64","operatingSystem":"linux","kubeletVersion":"kwok-$KWOK_VERSION"}}}
EOF
}

# sim_node_names: the simulated nodes of this layout, one a line (GPU nodes first).
sim_node_names() {
  local i
  for i in $(seq 0 $(( K8S_SIM_GPU_NODES - 1 ))); do echo "kwok-gpu-$i"; done
  for i in $(seq 0 $(( K8S_SIM_NODES - K8S_SIM_GPU_NODES - 1 ))); do echo "kwok-cpu-$i"; done
}

# create_sim_node NAME: the Node object (HTTP 409: exists already, then made managed again).
create_sim_node() {
  local name=$1 gpus=0 code
  [[ "$name" == kwok-gpu-* ]] && gpus=$K8S_SIM_GPUS_PER_NODE
  code=$(sim_node_json "$name" "$gpus" | kapi -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary @- "$K8S_API_URL/api/v1/nodes")
  case "$code" in
    201) ;;
    409) set_kwok_managed "$name" true ;;
    *) echo "creating simulated node $name failed (HTTP $code)" >&2; return 1 ;;
  esac
}

start_simulated_nodes() {
  local want have extra managed t0 ready=0 last=-1 since pid
  [ "$K8S_SIM_GPU_NODES" -le "$K8S_SIM_NODES" ] || die "K8S_SIM_GPU_NODES ($K8S_SIM_GPU_NODES) must not exceed K8S_SIM_NODES ($K8S_SIM_NODES)"
  stop_kwok_per_node
  want=$(sim_node_names | sort)
  have=$(kapi -f "$K8S_API_URL/api/v1/nodes?labelSelector=computeops.io/node-kind%3Dsimulated" | jq -r '.items[].metadata.name' | sort)
  extra=$(comm -13 <(echo "$want") <(echo "$have") | grep . || true)
  if [ -n "$extra" ]; then
    log "removing $(wc -l <<<"$extra") simulated node(s) beyond this layout (an earlier, larger or crashed run's)"
    export -f kapi; export K8S_API_URL K8S_PKI
    xargs -r -P 8 -n 1 bash -c 'kapi -o /dev/null -X DELETE "$K8S_API_URL/api/v1/nodes/$0"' <<<"$extra"
  fi
  [ "$K8S_SIM_NODES" -gt 0 ] || { comp_stop kwok; return 0; }
  t0=$(date +%s)
  log "creating $K8S_SIM_NODES simulated node(s) ($K8S_SIM_GPU_NODES with $K8S_SIM_GPUS_PER_NODE x $K8S_GPU_RESOURCE; $SIM_NODE_CPUS CPUs, $SIM_NODE_MEMORY_MIB MiB each)"
  export -f create_sim_node sim_node_json set_kwok_managed kapi
  export K8S_API_URL K8S_PKI K8S_KWOK_LABEL K8S_SIM_GPUS_PER_NODE SIM_NODE_CPUS SIM_NODE_MEMORY_MIB SIM_NODE_PODS KWOK_VERSION
  # only those missing or not managed by KWOK (one curl each: at 1,000 nodes that is minutes here)
  managed=$(kapi -f "$K8S_API_URL/api/v1/nodes?labelSelector=computeops.io/node-kind%3Dsimulated,$K8S_KWOK_LABEL%3Dtrue" \
    | jq -r '.items[].metadata.name' | sort)
  comm -23 <(echo "$want") <(echo "$managed") | { grep . || true; } | xargs -r -P 8 -n 1 bash -c 'create_sim_node "$0"' \
    || die "creating the simulated nodes failed (above)"
  start_kwok
  # Ready: all of them; stops at once when KWOK exits, or after a minute (plus one per 250 nodes)
  # without progress
  since=$(date +%s)
  while :; do
    comp_alive kwok || die "KWOK exited while its nodes came up; its log: $K8S_LOGS/kwok.log ($(tail -n 3 "$K8S_LOGS/kwok.log" 2>/dev/null | tr '\n' ' '))"
    ready=$(sim_nodes_ready | grep -cx -F -f <(echo "$want") || true)
    [ "$ready" -ge "$K8S_SIM_NODES" ] && break
    [ "$ready" = "$last" ] || { since=$(date +%s); last=$ready; }
    [ $(( $(date +%s) - since )) -lt $(( 60 + K8S_SIM_NODES * 60 / 250 )) ] \
      || die "only $ready of $K8S_SIM_NODES simulated nodes Ready, no progress for $(( $(date +%s) - since )) s (log: $K8S_LOGS/kwok.log)"
    sleep 2
  done
  pid=$(cat "$(comp_pidfile kwok)")
  log "$K8S_SIM_NODES simulated nodes Ready in $(( $(date +%s) - t0 )) s (one KWOK, pid $pid, RSS $(awk '/VmRSS/{print $2" "$3}' "/proc/$pid/status"))"
}

# --- what the scenarios need, and a summary ----------------------------------------------------------
write_properties() {
  {
    echo "testbed.kubeconfig=$K8S_KUBECONFIG"
    # kube-proxy runs on this host, so ClusterIPs answer here
    echo "testbed.kubernetes.serviceAccess=cluster-ip"
    echo "testbed.kubernetes.nodeControl=$INFRA_DIR/kubernetes/node.sh"
    # the real tier's layout, the same on every testbed `compare` sets side by side
    echo "testbed.realNodes=${#K8S_REAL_NODES[@]}"
    echo "testbed.gpuLayout=$(real_gpu_layout)"
    echo "testbed.nodeCpuShares=$TESTBED_NODE_CPU_SHARES"
    # the controller manager's flags, which no API shows, for the report
    echo "testbed.kubernetes.nodeMonitorPeriod=$K8S_NODE_MONITOR_PERIOD"
    echo "testbed.kubernetes.nodeMonitorGracePeriod=$K8S_NODE_MONITOR_GRACE"
    # kube-scheduler's own counters for the scale cross-check: its /metrics behind delegated
    # authentication and authorization, read with the kubeconfig's identity (the admin here; at a
    # site an identity bound to the ClusterRole system:monitoring); no unauthenticated path
    echo "testbed.kubernetes.schedulerMetrics=https://127.0.0.1:$K8S_SCHEDULER_PORT/metrics"
    # short detection: pods leave an unreachable node after K8S_EVICTION_SECONDS, not the cluster's 300 s
    [ -z "$K8S_EVICTION_SECONDS" ] || echo "testbed.kubernetes.evictionSeconds=$K8S_EVICTION_SECONDS"
  } | write_testbed_properties "$K8S_STATE" "${K8S_PACKAGES[@]}"
  rm -f "$K8S_STATE/node-monitor.flags"   # earlier versions' record of the same
}

# real_gpu_layout: the real nodes' GPU counts, largest first ("2,0,0"; lib/common.sh's gpu_layout).
real_gpu_layout() {
  local n counts=()
  for n in "${K8S_REAL_NODES[@]}"; do counts+=("${K8S_REAL_GPUS[$n]}"); done
  gpu_layout "${counts[@]}"
}

summary() {
  local nodes
  nodes=$(kapi -f "$K8S_API_URL/api/v1/nodes" | jq -r '.items | length')
  log "Kubernetes $(kapi "$K8S_API_URL/version" | jq -r .gitVersion) is up in $(( $(date +%s) - T0 ))s: $nodes nodes" \
    "(${#K8S_REAL_NODES[@]} real: ${K8S_REAL_NODES[*]}, GPUs $(real_gpu_layout); $K8S_SIM_NODES simulated, $K8S_SIM_GPU_NODES with $K8S_SIM_GPUS_PER_NODE x nvidia.com/gpu)"
  echo "API server:  $K8S_API_URL"
  echo "kubeconfig:  $K8S_KUBECONFIG"
  echo "settings:    $K8S_STATE/testbed.properties"
  echo "logs:        $K8S_LOGS"
}

# --- the call sequence (table of contents) ------------------------------------------------------------
require_root "infra/testbed up kubernetes"
failure_detection          # lib/common.sh: node-monitor timings, eviction
T0=$(date +%s)
prepare_host               # Debian packages, state folders
build_binaries             # build.sh: kcluster, kwok, pause (cached)
create_network             # co-k8s0 with the API server's address; a namespace per real node
make_credentials           # CAs, certificates, kubeconfigs
start_etcd
start_apiserver
start_controllers          # kube-controller-manager, kube-scheduler
retire_single_node         # the one host-network node of earlier versions, if it still runs
start_containerds          # one per real node, in its namespace
import_images              # pause, computeops/batch, computeops/service into each
start_kubelets             # the real nodes, Ready; co-k8s-gpu with its 2 GPUs
start_kube_proxy
start_simulated_nodes      # one KWOK for all simulated nodes; those beyond the layout removed; all Ready
write_properties           # testbed.properties
summary
