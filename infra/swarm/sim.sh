#!/usr/bin/env bash
# Simulated Docker Swarm worker nodes ("KWOK for SwarmKit"): swarmsim processes, each running
# many SwarmKit agents with a no-op executor, joined to a running swarm as workers.
#   sim.sh up N [MANAGER_SOCK]     N simulated nodes in all (adds or removes nodes to get there)
#   sim.sh down [MANAGER_SOCK]     stops them and removes every simulated node from the swarm
#   sim.sh status [MANAGER_SOCK]
#   sim.sh estimate N              refuses N nodes that would not fit in memory, with the estimate
#   sim.sh check                   exit 1 naming each swarmsim process that died (the tier is broken)
#   sim.sh node stop|start NAME    power switch of one simulated node (a crash: its heartbeats stop;
#                                  start: it rejoins with its node ID), as infra/swarm/node.sh for real ones
# MANAGER_SOCK: a manager's Engine API unix socket; else $SWARM_SIM_MANAGER_SOCK; else the local
# testbed's manager ($TESTBED_STATE_DIR/swarm/endpoint). The manager's address and the worker
# join token are read through it.
# The nodes are named $SWARM_SIM_PREFIX-00000.. and carry the engine label
# computeops.io/node-kind=simulated (the real testbed's engines carry =real).
# Settings (environment): SWARM_SIM_PREFIX (co-sim), SWARM_SIM_GPU_NODES (nodes 0..K-1 have GPUs; default
# K as infra/lib/sim-layout.sh gives Kubernetes' simulated nodes), SWARM_SIM_GPU_SHARE (instead: a share
# spread over the indices), SWARM_SIM_GPUS, SWARM_SIM_CPUS, SWARM_SIM_MEMORY_MIB (defaults: sim-layout.sh), SWARM_SIM_PREPARE_DELAY / _START_DELAY (100ms), SWARM_SIM_JOB_RUN (SIM_JOB_RUN_SECONDS of sim-layout.sh),
# SWARM_SIM_JOIN_INTERVAL (20ms), SWARM_SIM_MIB_PER_NODE (1) and SWARM_SIM_MEMORY_RESERVE_MIB (2048):
# up refuses more nodes than memory allows, SWARM_SIM_RESIZE_INGRESS=1 (recreate a too small ingress
# as SWARM_SIM_INGRESS_SUBNET, 10.240.0.0/20, while no service exists), SWARM_SIM_NETNS (run the nodes in that network namespace, when
# the manager's address is only reachable there), SWARM_SIM_DRAIN_MANAGERS=1 (drain the managers so
# that only simulated nodes take tasks; undone by down), SWARM_SIM_LOG_LEVEL (warning).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
# the simulated node's layout is the one KWOK's nodes get on Kubernetes (equal simulated clusters)
# shellcheck source=../lib/sim-layout.sh
. "$(dirname "$0")/../lib/sim-layout.sh"

: "${SWARM_SIM_PREFIX:=co-sim}"
: "${SWARM_SIM_GPUS:=$SIM_NODE_GPUS}" "${SWARM_SIM_CPUS:=$SIM_NODE_CPUS}" "${SWARM_SIM_MEMORY_MIB:=$SIM_NODE_MEMORY_MIB}"
: "${SWARM_SIM_PREPARE_DELAY:=100ms}" "${SWARM_SIM_START_DELAY:=100ms}" "${SWARM_SIM_JOB_RUN:=${SIM_JOB_RUN_SECONDS}s}"
: "${SWARM_SIM_JOIN_INTERVAL:=20ms}" "${SWARM_SIM_LOG_LEVEL:=warning}"
SIM_DIR="$TESTBED_STATE_DIR/swarm-sim"
SIM_NODES="$SIM_DIR/nodes"           # one state dir per node: keeps node IDs across restarts
SIM_BIN_DIR="$TESTBED_CACHE_DIR/swarm-sim"
SIM_BIN="$SIM_BIN_DIR/swarmsim"
SIM_SRC="$INFRA_DIR/swarm/sim"
STOP_TIMEOUT_S=30

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

manager_sock() {
  local s=${1:-${SWARM_SIM_MANAGER_SOCK:-}}
  if [ -z "$s" ] && [ -f "$SIM_DIR/manager.sock" ]; then s=$(cat "$SIM_DIR/manager.sock"); fi
  if [ -z "$s" ] && [ -f "$TESTBED_STATE_DIR/swarm/endpoint" ]; then s=$(cat "$TESTBED_STATE_DIR/swarm/endpoint"); fi
  [ -n "$s" ] || die "no manager socket: give one (sim.sh up N /path/to/docker.sock) or start the swarm testbed"
  echo "${s#unix://}"
}

# Builds only when the sources or the Go version changed.
build() {
  command -v go >/dev/null || die "Go >= 1.25 is needed to build swarmsim"
  local stamp
  stamp=$({ cat "$SIM_SRC/go.mod" "$SIM_SRC/go.sum"; find "$SIM_SRC" -maxdepth 1 -name '*.go' ! -name '*_test.go' | sort | xargs cat; go env GOVERSION; } | sha256sum | cut -c1-16)
  if [ -x "$SIM_BIN" ] && [ "$(cat "$SIM_BIN.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  mkdir -p "$SIM_BIN_DIR"
  log "building swarmsim into $SIM_BIN (first build about a minute)"
  (cd "$SIM_SRC" && GOTOOLCHAIN=local GOFLAGS="-buildvcs=false" go build -trimpath -ldflags "-s -w" -o "$SIM_BIN.tmp" .) \
    || die "building swarmsim failed"
  mv "$SIM_BIN.tmp" "$SIM_BIN"
  echo "$stamp" > "$SIM_BIN.stamp"
}

# Batches: one process per range of node indices, FIRST..FIRST+COUNT-1, so that scaling out
# starts a new process and leaves the running nodes alone.
batch_pidfile() { echo "$SIM_DIR/batch-$1.pid"; }
batch_firsts() { find "$SIM_DIR" -maxdepth 1 -name 'batch-*.pid' 2>/dev/null | sed 's/.*batch-\([0-9]*\)\.pid/\1/' | sort -n; }
batch_count() { cat "$SIM_DIR/batch-$1.count"; }

# The pid is ours only when its command line is swarmsim with this state dir and this batch.
batch_pid() {
  local f; f=$(batch_pidfile "$1")
  [ -f "$f" ] || return 1
  local pid; pid=$(cat "$f")
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$SIM_BIN -manager " || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "-state-dir $SIM_NODES -first-index $1 " || return 1
  echo "$pid"
}

start_batch() {
  local first=$1 count=$2 addr=$3; shift 3   # then the GPU flags
  local ns=()
  [ -z "${SWARM_SIM_NETNS:-}" ] || ns=(nsenter --net="/var/run/netns/$SWARM_SIM_NETNS")
  log "starting simulated nodes $SWARM_SIM_PREFIX-$(printf %05d "$first").. ($count) joining $addr"
  # a status file left by a killed process would count its nodes as ready
  rm -f "$SIM_NODES/status-$(printf %05d "$first").json"
  # setsid: its own session, so that a terminal's or CI step's signals do not reach it.
  # No GOMEMLIMIT: a soft limit of 0.8 MiB a node held the heap at the limit from the 10,000-task burst
  # on, the collector ran without pause, 5 of 1,000 nodes missed their heartbeats and the Swarm figures
  # of that run were the simulator's (scale-20261129-173849); peak use is 1.0-1.3 MiB a node without it.
  setsid "${ns[@]}" "$SIM_BIN" -manager "$addr" -token-file "$SIM_DIR/token" \
    -state-dir "$SIM_NODES" -first-index "$first" -nodes "$count" -prefix "$SWARM_SIM_PREFIX" \
    "$@" -gpus "$SWARM_SIM_GPUS" -cpus "$SWARM_SIM_CPUS" -memory-mib "$SWARM_SIM_MEMORY_MIB" \
    -prepare-delay "$SWARM_SIM_PREPARE_DELAY" -start-delay "$SWARM_SIM_START_DELAY" -job-run "$SWARM_SIM_JOB_RUN" \
    -join-interval "$SWARM_SIM_JOIN_INTERVAL" -stop-timeout "$((STOP_TIMEOUT_S - 5))s" -log-level "$SWARM_SIM_LOG_LEVEL" \
    >>"$SIM_DIR/batch-$first.log" 2>&1 </dev/null &
  echo $! > "$(batch_pidfile "$first")"
  echo "$count" > "$SIM_DIR/batch-$first.count"
  sleep 0.5
  batch_pid "$first" >/dev/null || die "swarmsim exited at once: $(tail -3 "$SIM_DIR/batch-$first.log")"
}

# SIGTERM lets every node stop its agent; SIGKILL only after STOP_TIMEOUT_S.
stop_batches() {
  local first pid pids=()
  for first in "$@"; do
    if pid=$(batch_pid "$first"); then kill -TERM "$pid"; pids+=("$pid"); fi
  done
  local deadline=$(( $(date +%s) + STOP_TIMEOUT_S ))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "swarmsim $pid did not stop in ${STOP_TIMEOUT_S}s: killing it"; kill -9 "$pid"; fi
  done
  for first in "$@"; do rm -f "$(batch_pidfile "$first")" "$SIM_DIR/batch-$first.count"; done
}

# "ID HOSTNAME STATUS" of the simulated nodes the manager lists: the hostname prefix and the
# engine label must both say simulated, so that a real node is never removed by mistake.
sim_nodes() {
  local sock=$1 ids
  ids=$(docker_at "$sock" node ls --format '{{.ID}} {{.Hostname}}' | awk -v p="$SWARM_SIM_PREFIX-" 'index($2, p) == 1 {print $1}')
  [ -n "$ids" ] || return 0
  # shellcheck disable=SC2086
  echo "$ids" | xargs -n 200 "$DOCKER_CLI" -H "unix://$sock" node inspect \
    -f '{{.ID}} {{.Description.Hostname}} {{.Status.State}} {{index .Description.Engine.Labels "computeops.io/node-kind"}}' \
    | awk '$4 == "simulated" {print $1, $2, $3}'
}

# Removes simulated nodes whose index is >= $2 (all of them with 0).
remove_nodes() {
  local sock=$1 from=$2 ids
  ids=$(sim_nodes "$sock" | awk -v p="$SWARM_SIM_PREFIX-" -v from="$from" '{i = substr($2, length(p) + 1) + 0; if (i >= from) print $1}')
  [ -n "$ids" ] || return 0
  log "removing $(echo "$ids" | wc -l) simulated nodes from the swarm"
  echo "$ids" | xargs -n 200 "$DOCKER_CLI" -H "unix://$sock" node rm --force >/dev/null
}

# Every node takes an address on the ingress network: a /24 holds about 250.
# SWARM_SIM_RESIZE_INGRESS=1 (infra/testbed scale) recreates it as $SWARM_SIM_INGRESS_SUBNET when too
# small, but only while no service exists (a published port would lose its routing mesh).
check_ingress() {
  local sock=$1 want=$2 subnet bits others
  subnet=$(docker_at "$sock" network inspect ingress -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' 2>/dev/null || true)
  [ -n "$subnet" ] || return 0
  bits=${subnet#*/}
  others=$(docker_at "$sock" node ls -q | wc -l)
  if [ $(( want + others + 3 )) -gt $(( 1 << (32 - bits) )) ] && [ "${SWARM_SIM_RESIZE_INGRESS:-0}" = 1 ]; then
    local wanted=${SWARM_SIM_INGRESS_SUBNET:-10.240.0.0/20}
    [ "$(docker_at "$sock" service ls -q | wc -l)" = 0 ] \
      || die "the ingress network $subnet is too small for $want more nodes and services exist: remove them first (docker service ls)"
    log "recreating the ingress network as $wanted (was $subnet: room for $(( (1 << (32 - bits)) - 3 )) nodes)"
    echo y | docker_at "$sock" network rm ingress >/dev/null
    # the old ingress is released asynchronously on the manager
    local i; for i in $(seq 1 30); do docker_at "$sock" network inspect ingress >/dev/null 2>&1 || break; sleep 1; done
    docker_at "$sock" network create --driver overlay --ingress --subnet "$wanted" ingress >/dev/null
    subnet=$wanted; bits=${subnet#*/}
  fi
  if [ $(( want + others + 3 )) -gt $(( 1 << (32 - bits) )) ]; then
    die "the ingress network $subnet has room for about $(( (1 << (32 - bits)) - 3 )) nodes, $want simulated ones wanted: recreate it larger (with no service publishing ports: docker network rm ingress; docker network create --driver overlay --ingress --subnet 10.240.0.0/20 ingress) or init the swarm with --default-addr-pool-mask-length 20"
  fi
}

# Refuses up front when the nodes would not fit: measured 0.58 MiB a node idle at 1,000 and
# 0.73 MiB with two running tasks each (README), so SWARM_SIM_MIB_PER_NODE (1) a node plus the
# process's 40 MiB must fit in MemAvailable less SWARM_SIM_MEMORY_RESERVE_MIB (2048) for the rest.
check_memory() {
  local more=$1 per=${SWARM_SIM_MIB_PER_NODE:-1} reserve=${SWARM_SIM_MEMORY_RESERVE_MIB:-2048} avail need
  avail=$(awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo)
  need=$(( more * per + 40 ))
  if [ $(( need + reserve )) -gt "$avail" ]; then
    die "not starting $more simulated nodes: they need about $need MiB ($per MiB a node, SWARM_SIM_MIB_PER_NODE) and $reserve MiB must stay free (SWARM_SIM_MEMORY_RESERVE_MIB); $avail MiB available: at most $(( (avail - reserve - 40) / per )) more nodes"
  fi
}

# The processes that should run and do not: "FIRST COUNT: last log line" each (empty: all run).
# infra/testbed scale calls it between scenarios: a dead one marks the simulated tier broken.
dead_batches() {
  local first
  for first in $(batch_firsts); do
    batch_pid "$first" >/dev/null || echo "batch $first ($(batch_count "$first") nodes) is not running: $(tail -1 "$SIM_DIR/batch-$first.log" 2>/dev/null)"
  done
}

# Ready as the manager lists them, but no more than the processes have registered: right after a
# restart the manager still shows the old sessions as Ready.
ready_count() {
  local mgr procs
  mgr=$(docker_at "$1" node ls --format '{{.Hostname}} {{.Status}} {{.Availability}}' 2>/dev/null \
    | awk -v p="$SWARM_SIM_PREFIX-" -v n="$2" 'index($1, p) == 1 && $2 == "Ready" && substr($1, length(p) + 1) + 0 < n' | wc -l)
  procs=$(cat "$SIM_NODES"/status-*.json 2>/dev/null | sed -n 's/.*"ready":\([0-9]*\).*/\1/p' | awk '{s += $1} END {print s + 0}')
  echo $(( mgr < procs ? mgr : procs ))
}

cmd_up() {
  local n=$1 sock addr total=0 first gpu=()
  if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ]; then die "up needs a node count >= 1, got '$n'"; fi
  sock=$(manager_sock "${2:-}")
  docker_at "$sock" info >/dev/null 2>&1 || die "no Docker engine answers on $sock"
  [ "$(docker_at "$sock" info -f '{{.Swarm.ControlAvailable}}')" = true ] || die "$sock is not a swarm manager"
  mkdir -p "$SIM_DIR" "$SIM_NODES"
  echo "$sock" > "$SIM_DIR/manager.sock"
  addr=$(docker_at "$sock" info -f '{{range .Swarm.RemoteManagers}}{{.Addr}} {{end}}' | awk '{print $1}')
  [ -n "$addr" ] || die "the manager reports no address"
  ( umask 077; docker_at "$sock" swarm join-token -q worker > "$SIM_DIR/token" )
  # GPUs on the first K nodes, K as on Kubernetes (infra/lib/sim-layout.sh), unless told otherwise
  if [ -n "${SWARM_SIM_GPU_SHARE:-}" ]; then gpu=(-gpu-share "$SWARM_SIM_GPU_SHARE")
  else gpu=(-gpu-nodes "${SWARM_SIM_GPU_NODES:-$(sim_gpu_nodes "$n")}"); fi
  build

  for first in $(batch_firsts); do
    if batch_pid "$first" >/dev/null; then total=$(( first + $(batch_count "$first") ))
    else rm -f "$(batch_pidfile "$first")" "$SIM_DIR/batch-$first.count"; fi
  done
  # Batches must cover 0..total-1 without holes; after a crash of one, start over.
  local covered=0
  for first in $(batch_firsts); do [ "$first" = "$covered" ] && covered=$(( first + $(batch_count "$first") )); done
  if [ "$covered" != "$total" ]; then
    log "the running simulated nodes have holes: restarting them all"
    mapfile -t all < <(batch_firsts)
    stop_batches "${all[@]}"; total=0
  fi

  # nodes of a crashed run (listed on the manager, no process of ours behind them) go first: they
  # would count as Down simulated nodes beside the new ones
  if [ "$total" = 0 ]; then remove_nodes "$sock" 0; rm -rf "${SIM_NODES:?}"/"$SWARM_SIM_PREFIX"-*; fi

  if [ "$n" -gt "$total" ]; then
    check_memory $(( n - total ))
    check_ingress "$sock" $(( n - total ))
    start_batch "$total" $(( n - total )) "$addr" "${gpu[@]}"
  elif [ "$n" -lt "$total" ]; then
    for first in $(batch_firsts | sort -rn); do
      local count; count=$(batch_count "$first")
      if [ "$first" -ge "$n" ]; then
        stop_batches "$first"
      elif [ $(( first + count )) -gt "$n" ]; then
        # the batch that straddles N restarts smaller: its nodes keep their IDs and rejoin
        stop_batches "$first"
        start_batch "$first" $(( n - first )) "$addr" "${gpu[@]}"
      fi
    done
    remove_nodes "$sock" "$n"
    local i name
    for (( i = n; i < total; i++ )); do
      name=$SWARM_SIM_PREFIX-$(printf %05d "$i")
      rm -rf "${SIM_NODES:?}/$name" "$SIM_NODES/control/$name"
    done
  fi

  if [ "${SWARM_SIM_DRAIN_MANAGERS:-0}" = 1 ]; then
    local m
    for m in $(docker_at "$sock" node ls -q -f role=manager); do
      if [ "$(docker_at "$sock" node inspect -f '{{.Spec.Availability}}' "$m")" = active ]; then
        docker_at "$sock" node update --availability drain "$m" >/dev/null
        echo "$m" >> "$SIM_DIR/drained-managers"
        log "drained manager $m: only simulated nodes take tasks now"
      fi
    done
  fi

  local t0=$SECONDS
  wait_for $(( 120 + n / 5 )) "$n simulated nodes ready (log: $SIM_DIR/batch-*.log)" \
    sh -c "[ \$(\"$0\" _ready '$sock' $n) -ge $n ]"
  log "$n simulated Swarm nodes ready ($SWARM_SIM_PREFIX-00000..; GPUs: ${gpu[*]} x $SWARM_SIM_GPUS; waited $((SECONDS - t0)) s)"
}

cmd_down() {
  local sock="" first
  sock=$(manager_sock "${1:-}" 2>/dev/null) || true
  mapfile -t firsts < <(batch_firsts)
  [ ${#firsts[@]} -eq 0 ] || stop_batches "${firsts[@]}"
  if [ -n "$sock" ] && docker_at "$sock" info >/dev/null 2>&1; then
    remove_nodes "$sock" 0
    if [ -f "$SIM_DIR/drained-managers" ]; then
      while read -r m; do docker_at "$sock" node update --availability active "$m" >/dev/null 2>&1 || true; done < "$SIM_DIR/drained-managers"
      rm -f "$SIM_DIR/drained-managers"
    fi
  else
    log "no manager answers: the simulated nodes stay listed there until removed (docker node rm --force)"
  fi
  rm -rf "$SIM_NODES" "$SIM_DIR/token" "$SIM_DIR/manager.sock"
  log "simulated Swarm nodes stopped"
}

cmd_status() {
  local sock first pid
  for first in $(batch_firsts); do
    if pid=$(batch_pid "$first"); then
      echo "batch $first: pid $pid, $(batch_count "$first") nodes, $(cat "$SIM_NODES/status-$(printf %05d "$first").json" 2>/dev/null || echo 'no status yet')"
    else
      echo "batch $first: not running"
    fi
  done
  if ! sock=$(manager_sock "${1:-}" 2>/dev/null); then echo "no simulated nodes (no manager recorded)"; return 0; fi
  echo "manager $sock: simulated nodes by state:"
  sim_nodes "$sock" | awk '{print $3}' | sort | uniq -c
}

# The running process polls the control dir every 0.5 s.
cmd_node() {
  local action=$1 name=$2 i first pid
  [[ "$name" == "$SWARM_SIM_PREFIX-"[0-9][0-9][0-9][0-9][0-9] ]] || die "'$name' is not a simulated node name ($SWARM_SIM_PREFIX-NNNNN)"
  i=$((10#${name#"$SWARM_SIM_PREFIX-"}))
  local owner=""
  for first in $(batch_firsts); do
    if pid=$(batch_pid "$first") && [ "$i" -ge "$first" ] && [ "$i" -lt $(( first + $(batch_count "$first") )) ]; then owner=$pid; fi
  done
  [ -n "$owner" ] || die "no running swarmsim process has $name"
  mkdir -p "$SIM_NODES/control"
  case "$action" in
    stop) touch "$SIM_NODES/control/$name"; sleep 1; log "simulated node $name switched off" ;;
    start) rm -f "$SIM_NODES/control/$name"; sleep 1; log "simulated node $name switched on" ;;
    *) die "node stop|start NAME" ;;
  esac
}

[ $# -ge 1 ] || usage
case "$1" in
  up) [ $# -ge 2 ] || usage; cmd_up "$2" "${3:-}" ;;
  down) cmd_down "${2:-}" ;;
  status) cmd_status "${2:-}" ;;
  node) [ $# -eq 3 ] || usage; cmd_node "$2" "$3" ;;
  _ready) ready_count "$2" "$3" ;;   # for wait_for
  estimate) [ $# -eq 2 ] || usage; check_memory "$2"; log "$2 simulated nodes fit in memory (about $(( $2 * ${SWARM_SIM_MIB_PER_NODE:-1} + 40 )) MiB)" ;;
  check) d=$(dead_batches); [ -z "$d" ] || { echo "$d"; exit 1; } ;;
  pids) for first in $(batch_firsts); do batch_pid "$first" || true; done ;;   # the running processes, one a line
  *) usage ;;
esac
