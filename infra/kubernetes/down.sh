#!/usr/bin/env bash
# Stops the local Kubernetes testbed started by up.sh: every process from its pidfile, the pods
# on the real node (through the CRI, so CNI releases their addresses), kube-proxy's iptables
# rules, the bridges. Frees ports 6443, 2379/2380, 10248-10259. Safe to run twice and after a
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
stop_group "${kwoks[@]}" kube-proxy kubelet kube-scheduler kube-controller-manager
stop_group kube-apiserver
stop_group etcd

# Processes of pods on the real node (the kubelet's cgroupfs driver puts them under /kubepods,
# which nothing else on this machine uses).
kubepods_procs() { cat /sys/fs/cgroup/*/kubepods/cgroup.procs /sys/fs/cgroup/*/kubepods/*/cgroup.procs \
  /sys/fs/cgroup/*/kubepods/*/*/cgroup.procs /sys/fs/cgroup/*/kubepods/*/*/*/cgroup.procs 2>/dev/null | sort -u || true; }

# After a crash containers may outlive containerd: start it again (it re-attaches to its shims)
# so that the CRI stops them and CNI releases their network.
if ! comp_alive containerd && [ -f "$K8S_STATE/containerd.toml" ] && [ -n "$(kubepods_procs)" ]; then
  log "containers of the real node outlived containerd: starting it to remove them"
  start containerd containerd --config "$K8S_STATE/containerd.toml"
  ( wait_for 20 "containerd" ctr --address "$K8S_CTRD_SOCK" version ) || true
fi

# Pods on the real node: through the CRI while containerd still runs.
if [ -S "$K8S_CTRD_SOCK" ] && comp_alive containerd; then
  if [ -x "$BIN/kcluster" ]; then
    "$BIN/kcluster" cri-cleanup "$K8S_CTRD_ENDPOINT" >&2 || log "cri-cleanup reported errors; removing the rest with ctr"
  fi
  # Anything left (a crashed CRI call): kill tasks, delete containers. Images stay.
  for c in $(ctr_k8s containers ls -q 2>/dev/null || true); do
    ctr_k8s tasks kill -s SIGKILL "$c" >/dev/null 2>&1 || true
    ctr_k8s tasks delete -f "$c" >/dev/null 2>&1 || true
    ctr_k8s containers delete "$c" >/dev/null 2>&1 || true
  done
fi
comp_stop containerd
# Whatever still runs in the pods' cgroups (nothing, unless the CRI failed): killed, cgroups removed.
left=$(kubepods_procs)
if [ -n "$left" ]; then
  log "killing $(wc -w <<<"$left") leftover pod process(es)"
  # shellcheck disable=SC2086
  kill -9 $left 2>/dev/null || true
  sleep 0.5
fi
for h in /sys/fs/cgroup/*/kubepods; do
  [ -d "$h" ] && find "$h" -depth -type d -exec rmdir {} \; 2>/dev/null || true
done
# containerd-shims of our containerd outlive it; found by our socket in their arguments.
for pid in $(pgrep -f "containerd-shim.*-address $K8S_CTRD_SOCK" 2>/dev/null || true); do
  kill "$pid" 2>/dev/null || true
done

# kube-proxy's iptables rules.
if [ -x "$BIN/kube-proxy" ] && iptables -t nat -S KUBE-SERVICES >/dev/null 2>&1; then
  "$BIN/kube-proxy" --cleanup --v=0 >/dev/null 2>&1 || log "kube-proxy --cleanup reported errors"
fi

# Leftover pod network namespaces made by our containerd (it names them cni-<uuid>): only those
# whose veth peer sits on our CNI bridge, which is about to go.
if ip link show "$K8S_CNI_BRIDGE" >/dev/null 2>&1; then
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/{print $1}'); do
    if ip netns exec "$ns" ip -4 addr show 2>/dev/null | grep "inet ${K8S_REAL_POD_SUBNET%.*}\." >/dev/null; then
      ip netns delete "$ns" 2>/dev/null || true
    fi
  done
  ip link delete "$K8S_CNI_BRIDGE" 2>/dev/null || true
fi
ip link delete "$K8S_NODE_BRIDGE" 2>/dev/null || true

# Kubelet mounts (pod volumes, tmpfs secrets) must go before the directory does.
if [ -d "$K8S_STATE/kubelet" ]; then
  { grep -o " $K8S_STATE/kubelet/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
fi
{ grep -o " ${K8S_CTRD_STATE}[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
rm -rf "$K8S_STATE/etcd" "$K8S_STATE/kubelet" "$K8S_STATE/cni/ipam" "$K8S_CTRD_STATE" "$K8S_RUN" \
  "$K8S_STATE/testbed.properties"
if [ "${K8S_DOWN_PURGE:-0}" = 1 ]; then
  { grep -o " ${K8S_CTRD_ROOT}[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
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
