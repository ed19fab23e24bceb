# Node table and per-node helpers of the local Swarm testbed. Sourced by up.sh, down.sh, node.sh.
# shellcheck shell=bash
# Each node is a Docker engine in its own network and UTS namespace, on a bridge of the
# project's own (10.213.0.0/24). co-mgr is the manager; co-gpu advertises two fake GPUs.
SWARM_STATE="$TESTBED_STATE_DIR/swarm"
SWARM_RUN=/run/computeops          # short: containerd's sockets live under each exec root
SWARM_BRIDGE=co-br0
SWARM_BRIDGE_IP=10.213.0.1
SWARM_NODES=(co-mgr co-w1 co-gpu)
declare -A SWARM_IP=([co-mgr]=10.213.0.2 [co-w1]=10.213.0.3 [co-gpu]=10.213.0.4)
declare -A SWARM_EXTRA=([co-gpu]="--node-generic-resource gpu=GPU-fake-0 --node-generic-resource gpu=GPU-fake-1")
SWARM_MANAGER=co-mgr
: "${SWARM_HEARTBEAT_DEFAULT:=5s}"  # Docker's default dispatcher heartbeat
: "${SWARM_HEARTBEAT_SHORT:=1s}"    # TESTBED_FAILURE_DETECTION=short: the CI variant

node_sock()    { echo "$SWARM_RUN/$1.sock"; }
node_pidfile() { echo "$SWARM_STATE/$1/dockerd.pid"; }
node_docker()  { local n=$1; shift; docker_at "$(node_sock "$n")" "$@"; }
node_alive()   { pid_alive "$(node_pidfile "$1")" && node_docker "$1" info >/dev/null 2>&1; }

start_node_engine() {
  local n=$1 dir="$SWARM_STATE/$1"
  mkdir -p "$dir/data" "$SWARM_RUN/$n"
  # No registry here: without this a task tries to pull its image first and waits for that to fail.
  # shellcheck disable=SC2086
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 nohup nsenter --net="/var/run/netns/$n" unshare --uts sh -c "hostname $n; exec dockerd \
      --data-root '$dir/data' --exec-root '$SWARM_RUN/$n' -H 'unix://$(node_sock "$n")' \
      --pidfile '$(node_pidfile "$n")' --cgroup-parent '/computeops-$n' \
      --label computeops.io/node-kind=real ${SWARM_EXTRA[$n]:-}" >"$dir/dockerd.log" 2>&1 &
  wait_for 60 "engine $n (log: $dir/dockerd.log)" node_docker "$n" info
}

stop_node_engine() {
  stop_pidfile "$(node_pidfile "$1")"
}
