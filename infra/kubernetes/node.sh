#!/usr/bin/env bash
# Power switch of one node of the local Kubernetes testbed, for the failure scenarios:
#   node.sh stop NODE    a real node (co-k8s-1, co-k8s-2, co-k8s-gpu): kills its kubelet, its
#                        containerd, their shims and its containers at once (-9), as the Swarm
#                        testbed's node.sh kills an engine; a simulated node: takes it from the one
#                        KWOK process (its kwok-managed label off). Either way its lease and status
#                        stop, as with a node that lost power.
#   node.sh start NODE   starts it again and waits until the node is Ready (a real node's GPUs
#                        advertised again)
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

[ $# -eq 2 ] || die "usage: node.sh stop|start NODE (a real node: ${K8S_REAL_NODES[*]}; or a simulated one: kwok-cpu-N, kwok-gpu-N)"
action=$1 n=$2
require_root "node.sh"
case "$action" in stop|start) ;; *) die "unknown action '$action' (stop or start)" ;; esac
if [ -n "${K8S_REAL_IP[$n]:-}" ]; then
  case "$action" in
    stop)
      kill_node "$n"
      log "real node $n stopped hard (kubelet, containerd, shims and containers killed)"
      ;;
    start)
      start_node_containerd "$n"
      comp_wait 60 "containerd-$n" ctr --address "$(node_ctrd_sock "$n")" version
      start_node_kubelet "$n"
      comp_wait 120 "kubelet-$n" node_ready "$n"
      advertise_gpus "$n"
      log "real node $n started and Ready"
      ;;
  esac
  exit 0
fi
kind=$(kapi -f "$K8S_API_URL/api/v1/nodes/$n" 2>/dev/null | jq -r '.metadata.labels["computeops.io/node-kind"] // ""' || true)
[ "$kind" = simulated ] || die "unknown node '$n' (real: ${K8S_REAL_NODES[*]}; simulated: kwok-gpu-N, kwok-cpu-N as infra/testbed up kubernetes made them)"
case "$action" in
  stop)
    set_kwok_managed "$n" false || die "could not take $n from KWOK (label $K8S_KWOK_LABEL)"
    log "simulated node $n stopped hard (KWOK no longer renews its lease or status)"
    ;;
  start)
    comp_alive kwok || die "KWOK is not running: infra/testbed up kubernetes starts it"
    set_kwok_managed "$n" true || die "could not hand $n back to KWOK (label $K8S_KWOK_LABEL)"
    comp_wait 60 kwok node_ready "$n"
    log "simulated node $n started and Ready"
    ;;
esac
