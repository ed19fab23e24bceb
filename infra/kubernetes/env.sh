# Layout of the local Kubernetes testbed: addresses, ports, paths. Sourced by up.sh and down.sh
# after lib/common.sh and versions.sh.
# shellcheck shell=bash disable=SC2034  # settings, read by the scripts that source this file

# Addresses. The Swarm testbed uses 10.213.0.0/24 (bridge co-br0); we stay off it.
K8S_NODE_BRIDGE=co-k8s0            # the real nodes' network; holds the API server's address and their gateway
K8S_NODE_IP=10.216.0.1             # the API server's bind and advertise address (the real nodes reach it here)
K8S_NODE_CIDR=10.216.0.1/24
K8S_FAKE_NODE_IP=10.216.0.100      # what KWOK reports as the simulated nodes' InternalIP (nothing listens)
K8S_POD_CIDR=10.214.0.0/16         # cluster CIDR (kube-proxy)
K8S_FAKE_POD_CIDR=10.214.128.0/17  # pods on simulated nodes (KWOK hands these out; nothing answers)
K8S_FAKE_POD_PREFIX=10.214          # simulated node i: $K8S_FAKE_POD_PREFIX.(128+i).0/24
K8S_CNI_BRIDGE=co-kcni0            # the pods' bridge, one inside each real node's namespace
K8S_SERVICE_CIDR=10.215.0.0/24
K8S_SERVICE_IP=10.215.0.1          # the `kubernetes` Service

# Ports (none on all addresses: loopback, the bridge for the API server, each real node's own
# address for its kubelet).
K8S_API_PORT=${K8S_API_PORT:-6443}
K8S_ETCD_CLIENT_PORT=2379
K8S_ETCD_PEER_PORT=2380
K8S_SCHEDULER_PORT=10259
K8S_CM_PORT=10257
K8S_KUBELET_PORT=10250
K8S_KUBELET_HEALTHZ_PORT=10248
K8S_PROXY_HEALTHZ_PORT=10256
K8S_PROXY_METRICS_PORT=10249

# Real nodes: as the Swarm testbed's engines, each a network namespace (and UTS namespace: its own
# host name) on the bridge, with a containerd and a kubelet of its own; one of them advertises
# 2 fake GPUs (the same layout as Swarm's and Slurm's testbeds).
K8S_REAL_NODES=(co-k8s-1 co-k8s-2 co-k8s-gpu)
declare -A K8S_REAL_IP=([co-k8s-1]=10.216.0.11 [co-k8s-2]=10.216.0.12 [co-k8s-gpu]=10.216.0.13)
declare -A K8S_REAL_PODS=([co-k8s-1]=10.214.1.0/24 [co-k8s-2]=10.214.2.0/24 [co-k8s-gpu]=10.214.3.0/24)
declare -A K8S_REAL_GPUS=([co-k8s-1]=0 [co-k8s-2]=0 [co-k8s-gpu]=2)
K8S_GPU_RESOURCE=nvidia.com/gpu          # what the adapter and the GPU scenario ask for
# Simulated (KWOK) nodes: their layout (CPUs, memory, GPU share) is the one the simulated Swarm
# workers use too (lib/sim-layout.sh). One KWOK process manages them all (components.sh).
# shellcheck source=../lib/sim-layout.sh
source "$INFRA_DIR/lib/sim-layout.sh"
K8S_SIM_NODES=${K8S_SIM_NODES:-10}       # simulated nodes in all (infra/testbed scale asks for 1,000)
[[ "$K8S_SIM_NODES" =~ ^[0-9]{1,5}$ ]] && [ "$K8S_SIM_NODES" -le 5000 ] \
  || die "K8S_SIM_NODES must be a whole number from 0 to 5000, was '$K8S_SIM_NODES'"
K8S_SIM_GPU_NODES=${K8S_SIM_GPU_NODES:-$(sim_gpu_nodes "$K8S_SIM_NODES")} # of which this many advertise nvidia.com/gpu
K8S_SIM_GPUS_PER_NODE=${K8S_SIM_GPUS_PER_NODE:-$SIM_NODE_GPUS}
# The label by which the one KWOK process picks its nodes; node.sh stop takes it off a node (KWOK
# then stops its lease and status, as a dead kubelet would), node.sh start puts it back.
K8S_KWOK_LABEL=computeops.io/kwok-managed
K8S_KWOK_LEASE_SECONDS=${K8S_KWOK_LEASE_SECONDS:-40}  # KWOK renews each node's lease every quarter of it (10 s)
K8S_KWOK_PARALLELISM=${K8S_KWOK_PARALLELISM:-16}      # KWOK's lease and stage workers (its default 4 lags at 1,000 nodes)
K8S_KUBE_PROXY=${K8S_KUBE_PROXY:-1}      # 0: no kube-proxy (ClusterIP Services then do not route)

# Paths.
K8S_PKI="$K8S_STATE/pki"
K8S_LOGS="$K8S_STATE/logs"
K8S_RUN="$TESTBED_RUN_DIR/kubernetes"    # pidfiles and simulated nodes' indexes (tmpfs: gone after a reboot)
K8S_BIN="$K8S_CACHE/bin"                 # build.sh's output
K8S_KUBECONFIG="$K8S_STATE/kubeconfig"   # admin kubeconfig (the one the scenarios use)
K8S_NODES_DIR="$K8S_STATE/nodes"         # per real node: containerd's root (images survive down/up), kubelet, CNI
K8S_CTRD_RUN=/run/computeops/k8s         # per real node: containerd's socket and state

# The Debian packages the real node runs on, recorded in testbed.properties.
K8S_PACKAGES=(containerd runc containernetworking-plugins)

# The components that run as processes, in start order (down stops them in reverse); per real
# node containerd-NODE and kubelet-NODE, per simulated node kwok-NODE.
K8S_COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kube-proxy)

# Per real node.
node_dir()      { echo "$K8S_NODES_DIR/$1"; }
node_ctrd_sock(){ echo "$K8S_CTRD_RUN/$1/containerd.sock"; }
node_uts()      { echo "$K8S_RUN/uts/$1"; }          # its UTS namespace, kept by a bind mount
node_cgroup()   { echo "/computeops-$1"; }            # the kubelet's cgroupRoot: its pods' cgroups below it
ctr_node() { local n=$1; shift; ctr --address "$(node_ctrd_sock "$n")" -n k8s.io "$@"; }

# curl against the API server as the cluster admin.
kapi() {
  curl -sS --max-time 20 --cacert "$K8S_PKI/ca.crt" --cert "$K8S_PKI/admin.crt" --key "$K8S_PKI/admin.key" \
    "$@"
}
K8S_API_URL="https://$K8S_NODE_IP:$K8S_API_PORT"
K8S_ETCD_URL="https://127.0.0.1:$K8S_ETCD_CLIENT_PORT"

# curl against etcd as the API server (etcd accepts clients with a certificate of its own CA only).
ketcd() {
  curl -sS --max-time 5 --cacert "$K8S_PKI/etcd-ca.crt" --cert "$K8S_PKI/apiserver-etcd-client.crt" \
    --key "$K8S_PKI/apiserver-etcd-client.key" "$@"
}
