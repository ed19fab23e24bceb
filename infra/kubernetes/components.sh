# Processes of the local Kubernetes testbed: pidfiles under $K8S_RUN, logs under $K8S_LOGS.
# Sourced by up.sh, down.sh and node.sh after lib/common.sh, versions.sh and env.sh.
# shellcheck shell=bash

# comp_match NAME: the argument that identifies NAME's process in /proc/PID/cmdline.
comp_match() {
  case "$1" in
    containerd) echo "$K8S_STATE/containerd.toml" ;;   # the single real node of earlier versions
    containerd-*) echo "$(node_dir "${1#containerd-}")/containerd.toml" ;;  # `containerd --config FILE`: the file is ours
    kubelet-*)  echo "--hostname-override=${1#kubelet-}" ;;
    kwok-*)     echo "--manage-single-node=${1#kwok-}" ;;
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

# start NAME CMD...: starts CMD in a session of its own unless NAME already runs exactly CMD; a
# running NAME with other arguments (a changed setting) is restarted.
start() {
  local name=$1 pid; shift
  if pid=$(pidfile_pid "$(comp_pidfile "$name")" "$(comp_match "$name")"); then
    if same_cmdline "$pid" "$@"; then
      log "$name already running (pid $pid)"
      return 0
    fi
    log "$name runs with other settings (pid $pid): restarting it"
    comp_stop "$name"
  fi
  log "starting $name (log: $K8S_LOGS/$name.log)"
  start_detached "$K8S_LOGS/$name.log" "$(comp_pidfile "$name")" "$@"
}

# start_in_node NODE NAME CMD...: as start, with CMD in real node NODE's network and UTS
# namespaces (nsenter execs CMD: the pid stays the same, and its command line holds the argument
# that identifies NAME from the start).
start_in_node() {
  local node=$1 name=$2 pid; shift 2
  if pid=$(pidfile_pid "$(comp_pidfile "$name")" "$(comp_match "$name")"); then
    if same_cmdline "$pid" "$@"; then
      log "$name already running (pid $pid)"
      return 0
    fi
    log "$name runs with other settings (pid $pid): restarting it"
    comp_stop "$name"
  fi
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

# --- simulated nodes: one KWOK process each ---------------------------------------------------
kwok_node_alive() { comp_alive "kwok-$1"; }

# start_kwok_node NAME INDEX: KWOK for one simulated node; its pods get IPs from a /24 of
# $K8S_FAKE_POD_CIDR of their own (INDEX), so that no two simulated pods share an address.
start_kwok_node() {
  local name=$1 index=$2 stages="$K8S_CACHE/kwok-stages"
  [ "$index" -lt 127 ] || die "at most 127 simulated nodes (K8S_FAKE_POD_CIDR has 127 /24 subnets), asked for node index $index"
  mkdir -p "$K8S_RUN"
  echo "$index" > "$K8S_RUN/kwok-$name.index"
  start "kwok-$name" "$K8S_BIN/kwok" \
    --kubeconfig="$K8S_STATE/admin.kubeconfig" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector= --manage-nodes-with-label-selector= \
    --manage-single-node="$name" \
    --cidr="$K8S_FAKE_POD_PREFIX.$(( 128 + index )).0/24" \
    --node-ip="$K8S_FAKE_NODE_IP" --node-lease-duration-seconds=40 \
    --config="$stages/node/fast/node-initialize.yaml" \
    --config="$stages/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    --config="$stages/pod/fast/pod-ready.yaml" \
    --config="$stages/pod/general/pod-complete.yaml" \
    --config="$stages/pod/fast/pod-delete.yaml"
}

# kill -9, as a node that loses power: no lease renewal, no status update, no pod update.
kill_kwok_node() {
  local f pid
  f=$(comp_pidfile "kwok-$1")
  if pid=$(pidfile_pid "$f" "$(comp_match "kwok-$1")"); then kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$f"
}

# node_ready NODE: the API server reports NODE Ready.
node_ready() {
  kapi -f "$K8S_API_URL/api/v1/nodes/$1" | jq -e '.status.conditions[] | select(.type=="Ready") | .status=="True"' >/dev/null
}
