# The real nodes of the local Kubernetes testbed: each a network and UTS namespace with its own
# containerd and kubelet. Sourced by up.sh and node.sh after components.sh.
# shellcheck shell=bash

# --- the real nodes: each its own containerd (Debian's binary: own socket, root and state) ---------
# write_node_config NODE: containerd's config and the CNI network of NODE (pods on its own /24).
write_node_config() {
  local n=$1 dir; dir=$(node_dir "$1")
  mkdir -p "$dir/cni/net.d" "$dir/cni/ipam" "$dir/containerd" "$K8S_CTRD_RUN/$n"
  cat > "$dir/cni/net.d/10-computeops.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "computeops-k8s",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$K8S_CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$dir/cni/ipam",
        "ranges": [[{ "subnet": "${K8S_REAL_PODS[$n]}" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
  cat > "$dir/containerd.toml" <<EOF
version = 2
root = "$dir/containerd"
state = "$K8S_CTRD_RUN/$n/state"
[grpc]
  address = "$(node_ctrd_sock "$n")"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.6"
  # This machine's root lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj (-998 for the
  # sandbox) below containerd's own. Clamp instead of failing every pod.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni/net.d"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd-opt"
EOF
}

# start_node_containerd NODE (node.sh start uses it too).
start_node_containerd() {
  local n=$1
  write_node_config "$n"
  start_in_node "$n" "containerd-$n" containerd --config "$(node_dir "$n")/containerd.toml"
  node_side_cpu "$n" "$(pidfile_pid "$(comp_pidfile "containerd-$n")" "$(comp_match "containerd-$n")" || true)"
}

# --- the real nodes: kubelets -------------------------------------------------------------------------
# Each serves on its node's address only (the API server reaches it there for logs and exec),
# health on the node's loopback; no anonymous requests, no read-only port. Its pods' cgroups live
# below a cgroupRoot of its own, so that three kubelets on one machine do not share /kubepods
# and node.sh finds a node's containers by cgroup. Lean: image GC off, 110 pods at most.
write_kubelet_config() {
  local n=$1 dir d cg; dir=$(node_dir "$1"); cg=$(node_cgroup "$1")
  mkdir -p "$dir/kubelet/root"
  # cgroupRoot must exist in every hierarchy; cpuset's needs its CPUs and memory nodes set first
  for d in /sys/fs/cgroup/*/; do
    d=${d%/}
    [ -d "$d" ] && [ ! -L "$d" ] || continue
    mkdir -p "$d$cg" 2>/dev/null || continue
    if [ -f "$d/cpuset.cpus" ] && [ -z "$(cat "$d$cg/cpuset.cpus" 2>/dev/null)" ]; then
      cat "$d/cpuset.cpus" > "$d$cg/cpuset.cpus" 2>/dev/null || true
      cat "$d/cpuset.mems" > "$d$cg/cpuset.mems" 2>/dev/null || true
    fi
  done
  cat > "$dir/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${K8S_REAL_IP[$n]}
port: $K8S_KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $K8S_KUBELET_HEALTHZ_PORT
tlsCertFile: $K8S_PKI/kubelet-serving-$n.crt
tlsPrivateKeyFile: $K8S_PKI/kubelet-serving-$n.key
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $K8S_PKI/ca.crt
authorization:
  mode: Webhook
containerRuntimeEndpoint: unix://$(node_ctrd_sock "$n")
imageServiceEndpoint: unix://$(node_ctrd_sock "$n")
cgroupDriver: cgroupfs
cgroupRoot: $cg
failCgroupV1: false
failSwapOn: false
# Image GC off: containerd 1.6 does not pin the sandbox image and nothing can be pulled here.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
serializeImagePulls: false
maxPods: 110
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
nodeStatusUpdateFrequency: 4s
nodeStatusReportFrequency: 10s
syncFrequency: 10s
EOF
}

# start_node_kubelet NODE (node.sh start uses it too).
start_node_kubelet() {
  local n=$1 dir; dir=$(node_dir "$1")
  write_kubelet_config "$n"
  start_in_node "$n" "kubelet-$n" "$K8S_BIN/kubelet" --config="$dir/kubelet/config.yaml" \
    --kubeconfig="$dir/kubelet.kubeconfig" --root-dir="$dir/kubelet/root" \
    --cert-dir="$dir/kubelet/pki" --hostname-override="$n" --node-ip="${K8S_REAL_IP[$n]}" \
    --node-labels="computeops.io/node-kind=real,computeops.io/gpus=${K8S_REAL_GPUS[$n]}" --v=1
  node_side_cpu "$n" "$(pidfile_pid "$(comp_pidfile "kubelet-$n")" "$(comp_match "kubelet-$n")" || true)"
}

# gpus_allocatable NODE N: the API server shows N GPUs allocatable on NODE.
gpus_allocatable() {
  [ "$(kapi -f "$K8S_API_URL/api/v1/nodes/$1" | jq -r --arg r "$K8S_GPU_RESOURCE" '.status.allocatable[$r] // "0"')" = "$2" ]
}

# advertise_gpus NODE: its fake GPUs as an extended resource in the node's status (Kubernetes'
# documented way to advertise one without a device plugin; the kubelet copies it to allocatable
# and keeps it, but zeroes it when it starts without its device-manager checkpoint: so after
# every start).
advertise_gpus() {
  local n=$1 gpus=${K8S_REAL_GPUS[$1]} key=${K8S_GPU_RESOURCE//\//\~1}
  [ "$gpus" -gt 0 ] || return 0
  gpus_allocatable "$n" "$gpus" && return 0
  kapi -f -o /dev/null -X PATCH -H 'Content-Type: application/json-patch+json' "$K8S_API_URL/api/v1/nodes/$n/status" \
    -d "[{\"op\":\"add\",\"path\":\"/status/capacity/$key\",\"value\":\"$gpus\"}]" \
    || die "could not advertise $gpus $K8S_GPU_RESOURCE on $n"
  comp_wait 60 "kubelet-$n" gpus_allocatable "$n" "$gpus"
  log "$n advertises $gpus x $K8S_GPU_RESOURCE"
}

