# Processes of the local Kubernetes testbed: pidfiles under $K8S_RUN, logs under $K8S_LOGS.
# Sourced by up.sh, down.sh and node.sh after lib/common.sh, versions.sh and env.sh.
# shellcheck shell=bash

# comp_match NAME: the argument that identifies NAME's process in /proc/PID/cmdline.
comp_match() {
  case "$1" in
    containerd) echo "$K8S_STATE/containerd.toml" ;;   # the single real node of earlier versions
    containerd-*) echo "$(node_dir "${1#containerd-}")/containerd.toml" ;;  # `containerd --config FILE`: the file is ours
    kubelet-*)  echo "--hostname-override=${1#kubelet-}" ;;
    kwok)       echo "--manage-nodes-with-label-selector=$K8S_KWOK_LABEL=true" ;;  # the one KWOK of all simulated nodes
    kwok-*)     echo "--manage-single-node=${1#kwok-}" ;;   # one KWOK per node: earlier versions

    *)          echo "$K8S_BIN/$1" ;;                   # the control plane's binaries, by their path
  esac
}
comp_pidfile() { echo "$K8S_RUN/$1.pid"; }

# comp_alive NAME: NAME's pidfile names a live process that is still that component.
comp_alive() { pid_alive "$(comp_pidfile "$1")" "$(comp_match "$1")"; }

comp_stop() {
  local f; f=$(comp_pidfile "$1")
  [ -f "$f" ] || return 0
  if comp_alive "$1"; then log "stopping $1 (pid $(cat "$f"))"; fi
  stop_pidfile "$f" "$(comp_match "$1")"
}

# comp_wait SECONDS NAME CMD...: waits for CMD; stops at once with NAME's log when NAME exits.
comp_wait() {
  local timeout=$1 name=$2; shift 2
  wait_for --log "$K8S_LOGS/$name.log" --pidfile "$(comp_pidfile "$name")" "$(comp_match "$name")" \
    "$timeout" "$name" "$@"
}

port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\).*/\1/p' | head -1; }

# check_port NAME PORT: refuses to start NAME when its port is held by a process that is not ours.
check_port() {
  local name=$1 port=$2 owner
  comp_alive "$name" && return 0
  owner=$(port_owner "$port")
  [ -z "$owner" ] || die "port $port (for $name) is already in use by $owner; stop it or run infra/testbed down kubernetes"
}

# runs_already NAME CMD...: true when NAME runs exactly CMD; a running NAME with other arguments (a
# changed setting) is stopped, and false.
runs_already() {
  local name=$1 pid; shift
  pid=$(pidfile_pid "$(comp_pidfile "$name")" "$(comp_match "$name")") || return 1
  if same_cmdline "$pid" "$@"; then
    log "$name already running (pid $pid)"
    return 0
  fi
  log "$name runs with other settings (pid $pid): restarting it"
  comp_stop "$name"
  return 1
}

# start NAME CMD...: starts CMD in a session of its own unless NAME already runs exactly CMD.
start() {
  local name=$1; shift
  ! runs_already "$name" "$@" || return 0
  log "starting $name (log: $K8S_LOGS/$name.log)"
  start_detached "$K8S_LOGS/$name.log" "$(comp_pidfile "$name")" "$@"
}

# start_in_node NODE NAME CMD...: as start, with CMD in real node NODE's network and UTS
# namespaces (nsenter execs CMD: the pid stays the same, and its command line holds the argument
# that identifies NAME from the start).
start_in_node() {
  local node=$1 name=$2; shift 2
  ! runs_already "$name" "$@" || return 0
  log "starting $name in node $node (log: $K8S_LOGS/$name.log)"
  start_detached "$K8S_LOGS/$name.log" "$(comp_pidfile "$name")" \
    nsenter --net="/var/run/netns/$node" --uts="$(node_uts "$node")" "$@"
}

# --- real nodes ---------------------------------------------------------------------------------
# node_processes NODE: pids of what runs for real node NODE besides its kubelet and containerd:
# its containerd's shims (their arguments name its socket) and its pods' processes (in the
# cgroups below its kubelet's cgroupRoot).
node_processes() {
  local n=$1
  pgrep -f -- "-address $(node_ctrd_sock "$n")( |\$)" 2>/dev/null || true
  cat /sys/fs/cgroup/*"$(node_cgroup "$n")"/cgroup.procs /sys/fs/cgroup/*"$(node_cgroup "$n")"/*/cgroup.procs \
    /sys/fs/cgroup/*"$(node_cgroup "$n")"/*/*/cgroup.procs /sys/fs/cgroup/*"$(node_cgroup "$n")"/*/*/*/cgroup.procs \
    /sys/fs/cgroup/*"$(node_cgroup "$n")"/*/*/*/*/cgroup.procs 2>/dev/null || true
}

# kill_node NODE: kill -9 of the node's kubelet, containerd, shims and containers at once, as a
# node that loses power (the Swarm testbed's node.sh stop kills an engine the same way).
kill_node() {
  local n=$1 c f pid pids
  for c in "kubelet-$n" "containerd-$n"; do
    f=$(comp_pidfile "$c")
    if pid=$(pidfile_pid "$f" "$(comp_match "$c")"); then kill -9 "$pid" 2>/dev/null || true; fi
    rm -f "$f"
  done
  for _ in 1 2 3; do
    pids=$(node_processes "$n" | sort -u)
    [ -n "$pids" ] || break
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
    sleep 0.2
  done
}

# Pidfiles of earlier versions of these scripts lived in $K8S_STATE/run (not tmpfs).
if [ -d "$K8S_STATE/run" ]; then
  mkdir -p "$K8S_RUN"
  for _f in "$K8S_STATE/run"/*.pid; do
    [ -f "$_f" ] || continue
    _c=$(basename "$_f" .pid)
    [ "$_c" = kwok ] && { rm -f "$_f"; continue; }   # the single KWOK of even older versions
    adopt_pidfile "$_f" "$(comp_pidfile "$_c")" "$(comp_match "$_c")"
  done
  for _f in "$K8S_STATE/run"/*.index; do [ -f "$_f" ] && mv -f "$_f" "$K8S_RUN/"; done
  rmdir "$K8S_STATE/run" 2>/dev/null || true
  unset _f _c
fi

# --- simulated nodes: one KWOK process for them all ------------------------------------------
# It manages the nodes labelled $K8S_KWOK_LABEL=true (a label selector: its watch sees a node leave
# when the label goes, and stops that node's lease and status updates). Its pods get addresses
# from $K8S_FAKE_POD_CIDR, handed out by this one process, so no two simulated pods share one.
# Parallelism of the node stages and leases raised from KWOK's 4 so that 1,000 nodes keep their
# leases fresh (one renewal per node every quarter lease duration).
start_kwok() {
  local stages="$K8S_CACHE/kwok-stages" complete
  mkdir -p "$K8S_RUN"
  # KWOK's general pod-complete stage with the run time of lib/sim-layout.sh and no jitter (the
  # Swarm simulator's job run time is the same); the name carries the time, so a change restarts KWOK
  complete="$K8S_STATE/kwok-pod-complete-${SIM_JOB_RUN_SECONDS}s.yaml"
  sed -e "s/^\(    durationMilliseconds:\) .*/\1 $(( SIM_JOB_RUN_SECONDS * 1000 ))/" \
      -e '/^    jitterDurationMilliseconds:/d' \
      -e '/durationFrom:/,+1d' -e '/jitterDurationFrom:/,+1d' \
      "$stages/pod/general/pod-complete.yaml" > "$complete.new"
  grep -q "^    durationMilliseconds: $(( SIM_JOB_RUN_SECONDS * 1000 ))\$" "$complete.new" && ! grep -q "jitterDuration\|durationFrom" "$complete.new" \
    || die "KWOK's pod-complete stage ($stages/pod/general/pod-complete.yaml) no longer has the delay fields this script sets"
  mv -f "$complete.new" "$complete"
  cat > "$K8S_STATE/kwok.yaml.new" <<EOC
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  nodeLeaseParallelism: $K8S_KWOK_PARALLELISM
  nodePlayStageParallelism: $K8S_KWOK_PARALLELISM
  podPlayStageParallelism: $K8S_KWOK_PARALLELISM
EOC
  if cmp -s "$K8S_STATE/kwok.yaml.new" "$K8S_STATE/kwok.yaml"; then rm -f "$K8S_STATE/kwok.yaml.new"
  else mv -f "$K8S_STATE/kwok.yaml.new" "$K8S_STATE/kwok.yaml"; comp_stop kwok; fi
  start kwok "$K8S_BIN/kwok" \
    --kubeconfig="$K8S_STATE/admin.kubeconfig" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector= --manage-single-node= \
    --manage-nodes-with-label-selector="$K8S_KWOK_LABEL=true" \
    --cidr="$K8S_FAKE_POD_CIDR" \
    --node-ip="$K8S_FAKE_NODE_IP" --node-lease-duration-seconds="$K8S_KWOK_LEASE_SECONDS" \
    --config="$K8S_STATE/kwok.yaml" \
    --config="$stages/node/fast/node-initialize.yaml" \
    --config="$stages/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    --config="$stages/pod/fast/pod-ready.yaml" \
    --config="$complete" \
    --config="$stages/pod/fast/pod-delete.yaml" \
    --v=WARN   # INFO logs every lease renewal: 100 lines/s at 1,000 nodes
}

# stop_kwok_per_node: the one-KWOK-per-node processes of earlier versions.
stop_kwok_per_node() {
  local f c
  for f in "$K8S_RUN"/kwok-*.pid; do
    [ -f "$f" ] || continue
    c=$(basename "$f" .pid); comp_stop "$c"; rm -f "$K8S_RUN/$c.index"
  done
}

# set_kwok_managed NODE true|false: KWOK takes the node up (true) or lets it go (false: its lease
# and status stop, as a node that lost power; the control plane's own failure detection follows).
set_kwok_managed() {
  kapi -f -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json' "$K8S_API_URL/api/v1/nodes/$1" \
    -d "{\"metadata\":{\"labels\":{\"$K8S_KWOK_LABEL\":\"$2\"}}}"
}

# sim_nodes_ready: names of the Ready simulated nodes, one a line.
sim_nodes_ready() {
  kapi -f "$K8S_API_URL/api/v1/nodes?labelSelector=computeops.io/node-kind%3Dsimulated" \
    | jq -r '.items[] | select(any(.status.conditions[]?; .type=="Ready" and .status=="True")) | .metadata.name'
}

# node_ready NODE: the API server reports NODE Ready.
node_ready() {
  kapi -f "$K8S_API_URL/api/v1/nodes/$1" | jq -e '.status.conditions[] | select(.type=="Ready") | .status=="True"' >/dev/null
}
