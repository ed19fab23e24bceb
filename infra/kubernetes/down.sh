#!/usr/bin/env bash
# Stops the local Kubernetes testbed started by up.sh: every process from its pidfile, the pods
# on the real nodes (through each node's CRI, so CNI releases their addresses), kube-proxy's
# iptables rules, the nodes' namespaces, the bridge. Frees ports 6443, 2379/2380, 10248-10259. Safe to run twice and after a
# crash. Cluster data (etcd, kubelet state) is wiped so the next `up` starts clean; the CA,
# the build and the imported images are kept (K8S_DOWN_PURGE=1 removes those too).
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

require_root "infra/testbed down kubernetes"
BIN="$K8S_BIN"

# In groups, each stopped in parallel: the node agents and controllers, then the API server, then etcd.
stop_group() {
  local n
  for n in "$@"; do comp_stop "$n" & done
  wait
}
kwoks=()
for f in "$K8S_RUN"/kwok*.pid; do [ -f "$f" ] && kwoks+=("$(basename "$f" .pid)"); done
kubelets=()
for n in "${K8S_REAL_NODES[@]}"; do kubelets+=("kubelet-$n"); done
stop_group "${kwoks[@]}" "${kubelets[@]}" kube-proxy kubelet kube-scheduler kube-controller-manager
stop_group kube-apiserver
stop_group etcd

# Pods on the real nodes: through each node's CRI while its containerd still runs (so that CNI
# releases their addresses); what a crashed CRI call leaves, with ctr. Images stay.
cleanup_node_pods() {
  local n=$1 c sock; sock=$(node_ctrd_sock "$1")
  [ -S "$sock" ] && comp_alive "containerd-$n" || return 0
  if [ -x "$BIN/kcluster" ]; then
    "$BIN/kcluster" cri-cleanup "unix://$sock" >&2 || log "cri-cleanup on $n reported errors; removing the rest with ctr"
  fi
  for c in $(ctr_node "$n" containers ls -q 2>/dev/null || true); do
    ctr_node "$n" tasks kill -s SIGKILL "$c" >/dev/null 2>&1 || true
    ctr_node "$n" tasks delete -f "$c" >/dev/null 2>&1 || true
    ctr_node "$n" containers delete "$c" >/dev/null 2>&1 || true
  done
}
for n in "${K8S_REAL_NODES[@]}"; do cleanup_node_pods "$n" & done
wait
# Then everything of each node at once: containerd, shims, whatever still runs in its pods'
# cgroups (nothing, unless the CRI failed); its cgroups removed.
for n in "${K8S_REAL_NODES[@]}"; do
  kill_node "$n"
  for h in /sys/fs/cgroup/*"$(node_cgroup "$n")"; do
    [ -d "$h" ] && find "$h" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
done

# The single real node of earlier versions (host network, /kubepods, one containerd): the same.
if [ -f "$(comp_pidfile containerd)" ] || [ -d "$K8S_STATE/containerd" ]; then
  comp_stop containerd
  left=$(cat /sys/fs/cgroup/*/kubepods/cgroup.procs /sys/fs/cgroup/*/kubepods/*/cgroup.procs \
    /sys/fs/cgroup/*/kubepods/*/*/cgroup.procs /sys/fs/cgroup/*/kubepods/*/*/*/cgroup.procs 2>/dev/null | sort -u || true)
  # shellcheck disable=SC2086
  [ -z "$left" ] || kill -9 $left 2>/dev/null || true
  for pid in $(pgrep -f "containerd-shim.*-address /run/computeops/k8s/containerd.sock" 2>/dev/null || true); do
    kill "$pid" 2>/dev/null || true
  done
  ip link delete "$K8S_CNI_BRIDGE" 2>/dev/null || true
fi

# kube-proxy's iptables rules.
if [ -x "$BIN/kube-proxy" ] && iptables -t nat -S KUBE-SERVICES >/dev/null 2>&1; then
  "$BIN/kube-proxy" --cleanup --v=0 >/dev/null 2>&1 || log "kube-proxy --cleanup reported errors"
fi

# Pod network namespaces our containerds made (they name them cni-<uuid>) that outlived them:
# only those holding an address of our real nodes' pod subnets.
pod_prefixes=()
for n in "${K8S_REAL_NODES[@]}"; do pod_prefixes+=("${K8S_REAL_PODS[$n]%.*}."); done
for ns in $(ip netns list 2>/dev/null | awk '/^cni-/{print $1}'); do
  addrs=$(nsenter --net="/var/run/netns/$ns" ip -4 -o addr show 2>/dev/null | awk '{print $4}' || true)
  for p in "${pod_prefixes[@]}"; do
    if grep -F "$p" <<<"$addrs" >/dev/null; then ip netns delete "$ns" 2>/dev/null || true; break; fi
  done
done
# The nodes' namespaces (their pods' bridges go with them), UTS namespaces, the bridge (and the
# routes to the pods through it).
for n in "${K8S_REAL_NODES[@]}"; do
  netns_node_delete "$n"
  uts=$(node_uts "$n")
  if mountpoint -q "$uts" 2>/dev/null; then umount "$uts" 2>/dev/null || umount -l "$uts" 2>/dev/null || true; fi
done
iptables -D FORWARD -i "$K8S_NODE_BRIDGE" -o "$K8S_NODE_BRIDGE" -j ACCEPT 2>/dev/null || true
ip link delete "$K8S_NODE_BRIDGE" 2>/dev/null || true

# Kubelet mounts (pod volumes, tmpfs secrets) and containerd's state mounts must go before their
# directories do.
{ grep -o " $K8S_STATE/[^ ]*kubelet/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
{ grep -o " ${K8S_CTRD_RUN}/[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
rm -rf "$K8S_STATE/etcd" "$K8S_STATE/kubelet" "$K8S_STATE/cni" "$K8S_CTRD_RUN" "$K8S_RUN" \
  "$K8S_STATE/testbed.properties"
for n in "${K8S_REAL_NODES[@]}"; do rm -rf "$(node_dir "$n")/kubelet" "$(node_dir "$n")/cni"; done
if [ "${K8S_DOWN_PURGE:-0}" = 1 ]; then
  { grep -o " ${K8S_STATE}/[^ ]*containerd[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$K8S_STATE"
fi

# Report anything still holding our ports (not ours to kill: tell the user).
busy=""
for p in "$K8S_API_PORT" "$K8S_ETCD_CLIENT_PORT" "$K8S_ETCD_PEER_PORT" "$K8S_SCHEDULER_PORT" "$K8S_CM_PORT" \
         "$K8S_KUBELET_PORT" "$K8S_KUBELET_HEALTHZ_PORT" "$K8S_PROXY_HEALTHZ_PORT" "$K8S_PROXY_METRICS_PORT"; do
  ss -ltnH "sport = :$p" 2>/dev/null | grep . >/dev/null && busy="$busy $p"
done
[ -z "$busy" ] || die "ports still in use after down:$busy (not started by this testbed?)"
log "Kubernetes testbed is down"
