#!/usr/bin/env bash
# Starts a local 3-node Docker Swarm (one manager, two workers, one of them with 2 fake GPUs)
# and loads the workload images into every node. Idempotent: reuses what runs, restarts what
# does not (a node a failure scenario stopped and left down, e.g. after a Ctrl-C, comes back).
# Writes $TESTBED_STATE_DIR/swarm/testbed.properties (the scenarios' settings). Needs root.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=nodes.sh
source "$HERE/nodes.sh"

# The bridge and one namespace per node.
create_network() {
  bridge_up "$SWARM_BRIDGE" "$SWARM_BRIDGE_IP/24"
  local n
  for n in "${SWARM_NODES[@]}"; do netns_node "$n" "$SWARM_BRIDGE" "${SWARM_IP[$n]}/24" "$SWARM_BRIDGE_IP"; done
}

# Every engine runs; one that does not (never started, crashed, or stopped by node.sh stop in a
# failure scenario that was cut short) is started again and rejoins with its old identity.
start_engines() {
  local n
  for n in "${SWARM_NODES[@]}"; do
    if node_alive "$n"; then
      log "engine $n is running"
      engine_node_side_cpu "$n"
    elif [ -d "$SWARM_STATE/$n/data/swarm" ]; then
      log "engine $n is down (stopped by a failure scenario or crashed): starting it again"
      stop_node_engine "$n"; start_node_engine "$n"
    else
      log "starting engine $n"
      stop_node_engine "$n"; start_node_engine "$n"
    fi
  done
}

swarm_state() { node_docker "$1" info -f '{{.Swarm.LocalNodeState}}' 2>/dev/null; }

all_nodes_ready() {
  [ "$(node_docker "$SWARM_MANAGER" node ls --format '{{.Status}}' | grep -c Ready)" -ge ${#SWARM_NODES[@]} ]
}

form_swarm() {
  if [ "$(swarm_state "$SWARM_MANAGER")" != active ]; then
    log "initialising the swarm on $SWARM_MANAGER"
    node_docker "$SWARM_MANAGER" swarm init --advertise-addr "${SWARM_IP[$SWARM_MANAGER]}" >/dev/null
  fi
  node_docker "$SWARM_MANAGER" swarm update --dispatcher-heartbeat "$SWARM_HEARTBEAT" >/dev/null
  log "failure detection $TESTBED_FAILURE_DETECTION: dispatcher heartbeat $SWARM_HEARTBEAT"
  local token n
  token=$(node_docker "$SWARM_MANAGER" swarm join-token -q worker)
  for n in "${SWARM_NODES[@]}"; do
    [ "$n" = "$SWARM_MANAGER" ] && continue
    if [ "$(swarm_state "$n")" != active ]; then
      node_docker "$n" swarm leave --force >/dev/null 2>&1 || true
      log "joining $n to the swarm"
      node_docker "$n" swarm join --token "$token" "${SWARM_IP[$SWARM_MANAGER]}:2377" >/dev/null
    fi
  done
  wait_for 60 "all ${#SWARM_NODES[@]} swarm nodes ready" all_nodes_ready
  # A re-created engine re-joins as a new node; its old entry stays listed as down: dropped once
  # its successor is Ready (a restarted node keeps its entry and is down only until it reconnects).
  local ready
  ready=$(node_docker "$SWARM_MANAGER" node ls --format '{{.Hostname}} {{.Status}}' | awk '$2=="Ready"{print $1}')
  node_docker "$SWARM_MANAGER" node ls --format '{{.ID}} {{.Hostname}} {{.Status}}' | while read -r id host st; do
    if [ "$st" = Down ] && grep -Fx "$host" <<<"$ready" >/dev/null; then
      node_docker "$SWARM_MANAGER" node rm --force "$id" >/dev/null 2>&1 || true
    fi
  done
}

# Each engine has its own image store.
load_images() {
  local n img want have
  for n in "${SWARM_NODES[@]}"; do
    for img in batch service; do
      want=$(cat "$TESTBED_CACHE_DIR/images/$img.tar.id")
      have=$(node_docker "$n" image inspect -f '{{.Id}}' "computeops/$img:${IMAGE_TAG:-1.0}" 2>/dev/null || true)
      [ "$have" = "$want" ] || node_docker "$n" load -q -i "$TESTBED_CACHE_DIR/images/$img.tar" >/dev/null
    done
  done
}

# The scenarios' settings (-D options of infra/testbed, or read by the harness).
write_properties() {
  echo "unix://$(node_sock "$SWARM_MANAGER")" > "$SWARM_STATE/endpoint"
  {
    echo "testbed.swarm.host=unix://$(node_sock "$SWARM_MANAGER")"
    echo "testbed.swarm.nodeControl=$INFRA_DIR/swarm/node.sh"
    echo "testbed.swarm.metrics=http://${SWARM_IP[$SWARM_MANAGER]}:$SWARM_METRICS_PORT/metrics"
    # the real tier's layout (compare sets only equal ones side by side): GPUs per node from SWARM_EXTRA
    local n gpus=()
    for n in "${SWARM_NODES[@]}"; do gpus+=("$(grep -o 'node-generic-resource gpu=' <<<"${SWARM_EXTRA[$n]:-}" | wc -l || true)"); done
    echo "testbed.realNodes=${#SWARM_NODES[@]}"
    echo "testbed.gpuLayout=$(gpu_layout "${gpus[@]}")"
    echo "testbed.nodeCpuShares=$TESTBED_NODE_CPU_SHARES"
    # Swarm's ingress routing mesh is IPVS; without it published ports answer nothing.
    [ -e /proc/net/ip_vs ] || echo "testbed.swarm.ingressUnavailable=this-kernel-has-no-IPVS-so-the-routing-mesh-cannot-work"
  } | write_testbed_properties "$SWARM_STATE" "${SWARM_PACKAGES[@]}"
}

# --- the call sequence ----------------------------------------------------------------------------
require_root "infra/testbed up swarm"
failure_detection
apt_ensure "${SWARM_PACKAGES[@]}" iptables iproute2 busybox-static
"$INFRA_DIR/images/build.sh" >/dev/null
mkdir -p "$SWARM_STATE" "$SWARM_RUN" "$SWARM_PIDS"
create_network
start_engines
form_swarm
load_images
write_properties
log "swarm ready: ${#SWARM_NODES[@]} nodes; manager API at unix://$(node_sock "$SWARM_MANAGER"); settings in $SWARM_STATE/testbed.properties"
node_docker "$SWARM_MANAGER" node ls >&2
