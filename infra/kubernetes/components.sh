# Processes of the local Kubernetes testbed: pidfiles and logs under $K8S_STATE. Sourced by up.sh
# and node.sh after lib/common.sh, versions.sh and env.sh.
# shellcheck shell=bash

# A component is alive when its pidfile names a live process that is still that component.
comp_alive() {
  local pidf="$K8S_RUN/$1.pid" pid
  pid_alive "$pidf" || return 1
  pid=$(cat "$pidf")
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -- "$2" >/dev/null
}

port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\).*/\1/p' | head -1; }

# start NAME MATCH CMD...: starts CMD in its own session unless NAME runs; logs and pidfile in state.
start() {
  local name=$1 match=$2; shift 2
  if comp_alive "$name" "$match"; then
    log "$name already running (pid $(cat "$K8S_RUN/$name.pid"))"
    return 0
  fi
  log "starting $name (log: $K8S_LOGS/$name.log)"
  printf '\n==== %s starting %s\n' "$(date -Is)" "$*" >> "$K8S_LOGS/$name.log"
  setsid "$@" >>"$K8S_LOGS/$name.log" 2>&1 </dev/null &
  echo $! > "$K8S_RUN/$name.pid"
}

# --- simulated nodes: one KWOK process each ---------------------------------------------------
kwok_node_alive() { comp_alive "kwok-$1" "manage-single-node=$1"; }

# start_kwok_node NAME INDEX: KWOK for one simulated node; its pods get IPs from a /24 of
# $K8S_FAKE_POD_CIDR of their own (INDEX), so that no two simulated pods share an address.
start_kwok_node() {
  local name=$1 index=$2 stages="$K8S_CACHE/kwok-stages"
  [ "$index" -lt 127 ] || die "at most 127 simulated nodes (K8S_FAKE_POD_CIDR has 127 /24 subnets), asked for node index $index"
  echo "$index" > "$K8S_RUN/kwok-$name.index"
  start "kwok-$name" "manage-single-node=$name" "$K8S_CACHE/bin/kwok" \
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
  local pidf="$K8S_RUN/kwok-$1.pid"
  if pid_alive "$pidf"; then kill -9 "$(cat "$pidf")" 2>/dev/null || true; fi
  rm -f "$pidf"
}
