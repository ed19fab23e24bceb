#!/usr/bin/env bash
# Power switch of one local Swarm node, for the failure scenarios:
#   node.sh stop NODE    kills the node's engine, its containerd and its containers at once (a crash, not a drain)
#   node.sh start NODE   starts the engine again; it rejoins the swarm with its old identity
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=nodes.sh
source "$HERE/nodes.sh"

[ $# -eq 2 ] || die "usage: node.sh stop|start NODE (nodes: ${SWARM_NODES[*]})"
action=$1 n=$2
[ -n "${SWARM_IP[$n]:-}" ] || die "unknown node '$n' (nodes: ${SWARM_NODES[*]})"
[ "$n" != "$SWARM_MANAGER" ] || die "$n is the only manager; stopping it stops the swarm"
require_root "node.sh"
case "$action" in
  stop)
    # the engine, its containerd and the shims: all name the node's exec root or socket
    pkill -9 -f -- "$SWARM_RUN/$n(/| |\.sock|\$)" || true
    for procs in /sys/fs/cgroup/*/computeops-"$n"/*/cgroup.procs; do
      [ -f "$procs" ] && xargs -r kill -9 < "$procs" 2>/dev/null || true
    done
    rm -f "$(node_pidfile "$n")"
    log "node $n stopped hard"
    ;;
  start)
    if node_alive "$n"; then
      log "node $n is running"
    else
      # right after a hard stop, the engine's containerd can miss dockerd's start timeout once
      ( start_node_engine "$n" ) || { log "retrying the start of $n"; stop_node_engine "$n"; start_node_engine "$n"; }
      log "node $n started"
    fi
    ;;
  *) die "unknown action '$action' (stop or start)" ;;
esac
