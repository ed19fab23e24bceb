# Node table and per-node helpers of the local Swarm testbed. Sourced by up.sh, down.sh, node.sh
# after lib/common.sh.
# shellcheck shell=bash disable=SC2034  # settings, read by the scripts that source this file
# Each node is a Docker engine in its own network and UTS namespace, on a bridge of the
# project's own (10.213.0.0/24). co-mgr is the manager; co-gpu advertises two fake GPUs.
# The engines listen on their UNIX sockets only (no -H tcp://); Swarm's own ports (2377, 7946,
# 4789) live inside the nodes' namespaces, on the bridge.
SWARM_STATE="$TESTBED_STATE_DIR/swarm"
SWARM_RUN=/run/computeops          # exec roots and sockets; short: containerd's sockets live under each exec root
SWARM_PIDS="$TESTBED_RUN_DIR/swarm"
SWARM_BRIDGE=co-br0
SWARM_BRIDGE_IP=10.213.0.1
SWARM_NODES=(co-mgr co-w1 co-gpu)
declare -A SWARM_IP=([co-mgr]=10.213.0.2 [co-w1]=10.213.0.3 [co-gpu]=10.213.0.4)
declare -A SWARM_EXTRA=([co-gpu]="--node-generic-resource gpu=GPU-fake-0 --node-generic-resource gpu=GPU-fake-1")
SWARM_MANAGER=co-mgr
# The manager engine's Prometheus endpoint (the scheduler cross-check of the scale issue): on its
# bridge address only, never on all interfaces.
SWARM_METRICS_PORT=9323
SWARM_EXTRA[$SWARM_MANAGER]="${SWARM_EXTRA[$SWARM_MANAGER]:-} --metrics-addr ${SWARM_IP[$SWARM_MANAGER]}:$SWARM_METRICS_PORT"
# The Debian packages the engines run on, recorded in testbed.properties.
SWARM_PACKAGES=(docker.io containerd runc)

node_sock()    { echo "$SWARM_RUN/$1.sock"; }
node_pidfile() { echo "$SWARM_PIDS/$1.dockerd.pid"; }
# What identifies a node's engine in /proc/PID/cmdline: its socket argument.
node_match()   { echo "unix://$(node_sock "$1")"; }
node_docker()  { local n=$1; shift; docker_at "$(node_sock "$n")" "$@"; }
node_alive()   { pid_alive "$(node_pidfile "$1")" "$(node_match "$1")" && node_docker "$1" info >/dev/null 2>&1; }

# Pidfiles of earlier versions of these scripts (beside the engine's data).
for _n in "${SWARM_NODES[@]}"; do adopt_pidfile "$SWARM_STATE/$_n/dockerd.pid" "$(node_pidfile "$_n")" "$(node_match "$_n")"; done
unset _n

start_node_engine() {
  local n=$1 dir="$SWARM_STATE/$1"
  mkdir -p "$dir/data" "$SWARM_RUN/$n" "$SWARM_PIDS"
  # A pidfile naming another process (a reboot reused the pid) would make dockerd refuse to start:
  # stop_pidfile leaves that process alone and removes the file.
  pidfile_pid "$(node_pidfile "$n")" "$(node_match "$n")" >/dev/null || stop_pidfile "$(node_pidfile "$n")" "$(node_match "$n")"
  # dockerd reuses the containerd its pidfile names while that pid exists: a containerd killed with
  # its engine (node.sh stop) that PID 1 has not reaped yet is a zombie that still exists, and
  # dockerd waited on it until "timeout waiting for containerd to start", three times in a row
  # once (about 3 min). Only a live containerd of this node is kept.
  local cpid cfile="$SWARM_RUN/$n/containerd/containerd.pid"
  cpid=$(head -c 32 "$cfile" 2>/dev/null | tr -dc 0-9)
  if [ -n "$cpid" ] && { grep -q '^State:.*[ZX]' "/proc/$cpid/status" 2>/dev/null \
       || ! tr '\0' ' ' < "/proc/$cpid/cmdline" 2>/dev/null | grep -qF "$SWARM_RUN/$n/containerd"; }; then
    rm -f "$cfile"
  fi
  # No registry here: without DOCKER_SERVICE_PREFER_OFFLINE_IMAGE a task tries to pull its image
  # first and waits for that to fail. dockerd writes (and checks) its own pidfile.
  # shellcheck disable=SC2086
  start_detached "$dir/dockerd.log" "" env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 \
    nsenter --net="/var/run/netns/$n" unshare --uts sh -c "hostname $n; exec dockerd \
      --data-root '$dir/data' --exec-root '$SWARM_RUN/$n' -H '$(node_match "$n")' \
      --pidfile '$(node_pidfile "$n")' --cgroup-parent '/computeops-$n' \
      --label computeops.io/node-kind=real ${SWARM_EXTRA[$n]:-}"
  wait_for --log "$dir/dockerd.log" 60 "engine $n" node_docker "$n" info
  engine_node_side_cpu "$n"
}

# engine_node_side_cpu NODE: the engine's node side below the control plane (lib/common.sh); the
# manager's dockerd is the swarm's control plane and stays, its containerd and containers go.
engine_node_side_cpu() {
  local n=$1 pid
  pid=$(pidfile_pid "$(node_pidfile "$n")" "$(node_match "$n")") || return 0
  if [ "$n" = "$SWARM_MANAGER" ]; then
    # shellcheck disable=SC2046
    node_side_cpu "$n" $(pgrep -P "$pid" || true)
  else
    node_side_cpu "$n" "$pid"
  fi
}

stop_node_engine() {
  stop_pidfile "$(node_pidfile "$1")" "$(node_match "$1")"
}
