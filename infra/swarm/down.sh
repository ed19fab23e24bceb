#!/usr/bin/env bash
# Stops the local Swarm testbed: removes testbed services, leaves the swarm, stops the engines,
# deletes the namespaces and the bridge. Safe to run twice and after a crash.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=nodes.sh
source "$HERE/nodes.sh"

require_root "infra/testbed down swarm"
if node_alive "$SWARM_MANAGER"; then
  svcs=$(node_docker "$SWARM_MANAGER" service ls -q -f label=computeops.io/run-id 2>/dev/null || true)
  # shellcheck disable=SC2086
  [ -z "$svcs" ] || node_docker "$SWARM_MANAGER" service rm $svcs >/dev/null
fi
for n in "${SWARM_NODES[@]}"; do
  if node_alive "$n"; then node_docker "$n" swarm leave --force >/dev/null 2>&1 || true; fi
  stop_node_engine "$n"
  ip netns del "$n" 2>/dev/null || true
  ip link del "veth-$n" 2>/dev/null || true
done
ip link del "$SWARM_BRIDGE" 2>/dev/null || true
iptables -D FORWARD -i "$SWARM_BRIDGE" -o "$SWARM_BRIDGE" -j ACCEPT 2>/dev/null || true
rm -f "$SWARM_STATE/endpoint" "$SWARM_STATE/testbed.properties"
log "swarm testbed stopped"
