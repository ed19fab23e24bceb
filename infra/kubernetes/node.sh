#!/usr/bin/env bash
# Power switch of one simulated node of the local Kubernetes testbed, for the failure scenarios:
#   node.sh stop NODE    kills the node's KWOK process (-9): its lease and status stop, as with a dead kubelet
#   node.sh start NODE   starts it again and waits until the node is Ready
# The real node is not switched: it runs the scenarios' real containers.
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

[ $# -eq 2 ] || die "usage: node.sh stop|start NODE (a simulated node: kwok-cpu-N or kwok-gpu-N)"
action=$1 n=$2
require_root "node.sh"
[ "$n" != "$K8S_REAL_NODE" ] || die "$n is the real node; it runs the scenarios' containers and is not stopped"
[ -f "$K8S_RUN/kwok-$n.index" ] || die "unknown simulated node '$n' (known: $(cd "$K8S_RUN" && ls kwok-*.index 2>/dev/null | sed 's/^kwok-//; s/\.index$//' | tr '\n' ' '))"
case "$action" in
  stop)
    kill_kwok_node "$n"
    log "node $n stopped hard (its KWOK process is gone)"
    ;;
  start)
    start_kwok_node "$n" "$(cat "$K8S_RUN/kwok-$n.index")"
    comp_wait 60 "kwok-$n" node_ready "$n"
    log "node $n started and Ready"
    ;;
  *) die "unknown action '$action' (stop or start)" ;;
esac
