#!/usr/bin/env bash
# Starts a local 3-node Docker Swarm (one manager, two workers, one of them with 2 fake GPUs)
# and loads the workload images into every node. Reuses what already runs.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/nodes.sh"

require_root "infra/testbed up swarm"
apt_ensure docker.io iptables iproute2 busybox-static
"$INFRA_DIR/images/build.sh" >/dev/null
mkdir -p "$SWARM_STATE" "$SWARM_RUN"

# The bridge and one namespace per node.
if ! ip link show "$SWARM_BRIDGE" >/dev/null 2>&1; then
  ip link add "$SWARM_BRIDGE" type bridge
  ip addr add "$SWARM_BRIDGE_IP/24" dev "$SWARM_BRIDGE"
fi
ip link set "$SWARM_BRIDGE" up
# The host engine's FORWARD policy is DROP and bridged frames pass iptables (br_netfilter).
iptables -C FORWARD -i "$SWARM_BRIDGE" -o "$SWARM_BRIDGE" -j ACCEPT 2>/dev/null \
  || iptables -I FORWARD -i "$SWARM_BRIDGE" -o "$SWARM_BRIDGE" -j ACCEPT
for n in "${SWARM_NODES[@]}"; do
  if [ ! -e "/var/run/netns/$n" ]; then
    ip netns add "$n"
    ip link add "veth-$n" type veth peer name eth0 netns "$n"
    ip link set "veth-$n" master "$SWARM_BRIDGE" up
    ip -n "$n" addr add "${SWARM_IP[$n]}/24" dev eth0
    ip -n "$n" link set eth0 up
    ip -n "$n" link set lo up
    ip -n "$n" route add default via "$SWARM_BRIDGE_IP"
  fi
done

for n in "${SWARM_NODES[@]}"; do
  if node_alive "$n"; then log "engine $n is running"; else log "starting engine $n"; stop_node_engine "$n"; start_node_engine "$n"; fi
done

swarm_state() { node_docker "$1" info -f '{{.Swarm.LocalNodeState}}' 2>/dev/null; }

if [ "$(swarm_state "$SWARM_MANAGER")" != active ]; then
  log "initialising the swarm on $SWARM_MANAGER"
  node_docker "$SWARM_MANAGER" swarm init --advertise-addr "${SWARM_IP[$SWARM_MANAGER]}" >/dev/null
fi
case "${TESTBED_FAILURE_DETECTION:-default}" in
  default) heartbeat=$SWARM_HEARTBEAT_DEFAULT ;;
  short) heartbeat=$SWARM_HEARTBEAT_SHORT ;;
  *) die "TESTBED_FAILURE_DETECTION must be 'default' or 'short', was '${TESTBED_FAILURE_DETECTION}'" ;;
esac
node_docker "$SWARM_MANAGER" swarm update --dispatcher-heartbeat "$heartbeat" >/dev/null
log "failure detection ${TESTBED_FAILURE_DETECTION:-default}: dispatcher heartbeat $heartbeat"
token=$(node_docker "$SWARM_MANAGER" swarm join-token -q worker)
for n in "${SWARM_NODES[@]}"; do
  [ "$n" = "$SWARM_MANAGER" ] && continue
  if [ "$(swarm_state "$n")" != active ]; then
    node_docker "$n" swarm leave --force >/dev/null 2>&1 || true
    log "joining $n to the swarm"
    node_docker "$n" swarm join --token "$token" "${SWARM_IP[$SWARM_MANAGER]}:2377" >/dev/null
  fi
done
# Nodes that left (a re-created engine re-joins as a new node) stay listed as down: drop them.
for id in $(node_docker "$SWARM_MANAGER" node ls -q); do
  st=$(node_docker "$SWARM_MANAGER" node inspect -f '{{.Status.State}}' "$id")
  [ "$st" = down ] && node_docker "$SWARM_MANAGER" node rm --force "$id" >/dev/null 2>&1 || true
done
wait_for 60 "all ${#SWARM_NODES[@]} swarm nodes ready" sh -c \
  "[ \$($DOCKER_CLI -H unix://$(node_sock "$SWARM_MANAGER") node ls -f role=worker -f role=manager --format '{{.Status}}' | grep -c Ready) -ge ${#SWARM_NODES[@]} ]"

# Each engine has its own image store.
for n in "${SWARM_NODES[@]}"; do
  for img in batch service; do
    want=$(cat "$TESTBED_CACHE_DIR/images/$img.tar.id")
    have=$(node_docker "$n" image inspect -f '{{.Id}}' "computeops/$img:${IMAGE_TAG:-1.0}" 2>/dev/null || true)
    [ "$have" = "$want" ] || node_docker "$n" load -q -i "$TESTBED_CACHE_DIR/images/$img.tar" >/dev/null
  done
done

echo "unix://$(node_sock "$SWARM_MANAGER")" > "$SWARM_STATE/endpoint"
log "swarm ready: ${#SWARM_NODES[@]} nodes; manager API at unix://$(node_sock "$SWARM_MANAGER") (also in $SWARM_STATE/endpoint)"
node_docker "$SWARM_MANAGER" node ls >&2
