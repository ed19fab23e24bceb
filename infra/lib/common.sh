# Shared shell helpers for infra/ scripts. Source it; it does nothing by itself but set paths.
# Every script sources it the same way:
#   HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
#   # shellcheck source=../lib/common.sh
#   source "$HERE/../lib/common.sh"
# shellcheck shell=bash
#
# Contents: paths; messages; Debian packages; waiting; processes and pidfiles; failure detection;
# bridges and node namespaces; testbed.properties; equal layouts; the testbed lock; Docker engines.

# --- paths --------------------------------------------------------------------------------------
# Runtime state (sockets, certs, data, logs) lives outside the clone so that a fresh clone
# still finds and cleans what an earlier run or a crashed run left behind.
if [ "$(id -u)" = 0 ]; then
  : "${TESTBED_STATE_DIR:=/var/lib/computeops-testbed}"
  # Pidfiles live on tmpfs: a reboot clears them together with the processes they named, so a
  # pidfile never outlives its process by a reboot and then names an unrelated one.
  : "${TESTBED_RUN_DIR:=/run/computeops-testbed}"
else
  : "${TESTBED_STATE_DIR:=${XDG_STATE_HOME:-$HOME/.local/state}/computeops-testbed}"
  : "${TESTBED_RUN_DIR:=${XDG_RUNTIME_DIR:-/tmp}/computeops-testbed-$(id -u)}"
fi
# Build caches (Go builds, built images) survive clones too, so a warm machine is fast.
: "${TESTBED_CACHE_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/computeops}"
export TESTBED_STATE_DIR TESTBED_CACHE_DIR TESTBED_RUN_DIR
mkdir -p "$TESTBED_STATE_DIR" "$TESTBED_CACHE_DIR"

# Go from go.dev's tarball lives outside the default PATH of non-login shells (CI's among them).
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi
export PATH

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$INFRA_DIR/.." && pwd)"
export INFRA_DIR REPO_DIR

# --- messages -----------------------------------------------------------------------------------
log()  { printf '[testbed %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
warn() { printf '[testbed %s] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[testbed] ERROR: %s\n' "$*" >&2; exit 1; }

# The local testbeds start engines, namespaces and bridges: that needs root.
require_root() {
  [ "$(id -u)" = 0 ] && return 0
  die "$1 needs root (it starts engines and network namespaces). Run as root, or point the scenarios at an existing testbed: see README.md, 'Real testbeds'."
}

# --- Debian packages ------------------------------------------------------------------------------
# Installs Debian packages that are missing; does nothing (and needs no network) when all are there.
# Waits up to 15 min for dpkg's lock: several scripts (other testbeds) may install at once.
APT_LOCK_WAIT=(-o DPkg::Lock::Timeout=900)
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  require_root "installing ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get "${APT_LOCK_WAIT[@]}" update -qq >&2 || die "apt-get update failed"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get "${APT_LOCK_WAIT[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

# package_versions PKG...: "pkg version, pkg version" of installed Debian packages, for the record.
package_versions() {
  local p v out=()
  for p in "$@"; do
    v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
    out+=("$p ${v:-not-installed}")
  done
  local IFS=,
  printf '%s' "${out[*]}" | sed 's/,/, /g'
}

# --- waiting (the one wait helper) ----------------------------------------------------------------
# wait_for [--log FILE] [--pidfile FILE MATCH] SECONDS WHAT CMD...
#   Runs CMD every 0.5 s until it succeeds. Dies after SECONDS, or at once when the process of
#   --pidfile (checked as in pidfile_pid) has gone; either way shows the end of --log.
wait_for() {
  local logf="" pidf="" match=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --log) logf=$2; shift 2 ;;
      --pidfile) pidf=$2 match=$3; shift 3 ;;
      *) break ;;
    esac
  done
  local timeout=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + timeout )) where=""
  [ -z "$logf" ] || where=" (log: $logf)"
  until "$@" >/dev/null 2>&1; do
    if [ -n "$pidf" ] && ! pidfile_pid "$pidf" "$match" >/dev/null; then
      [ -z "$logf" ] || tail -n 25 "$logf" >&2 || true
      die "$what exited during start-up$where"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      [ -z "$logf" ] || tail -n 25 "$logf" >&2 || true
      die "timed out after ${timeout}s waiting for $what$where"
    fi
    sleep 0.5
  done
}

# --- processes and pidfiles -----------------------------------------------------------------------
# A pidfile holds one pid. Before trusting it, the process's command line (/proc/PID/cmdline) is
# checked to contain MATCH as one whole argument (e.g. the program's path, or a socket only that
# process uses): after a crash the pid may belong to any other program, which is never signalled.

# pid_matches PID MATCH: the process PID lives and one of its arguments is exactly MATCH.
pid_matches() {
  local pid=$1 match=$2
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -Fx -- "$match" >/dev/null  # no -q: with pipefail, an early exit could fail tr
}

# pidfile_pid FILE MATCH: prints the pid in FILE when that process is alive and matches.
pidfile_pid() {
  local f=$1 match=$2 pid
  [ -n "$match" ] || die "pidfile_pid $f: no program to match (a bug in the script)"
  [ -f "$f" ] || return 1
  pid=$(head -c 32 "$f" 2>/dev/null | tr -dc 0-9)
  pid_matches "$pid" "$match" || return 1
  echo "$pid"
}

# pid_alive FILE MATCH: FILE names a live process that is still the expected program.
pid_alive() { pidfile_pid "$1" "$2" >/dev/null; }

# cmdline_of PID: the command line, for messages.
cmdline_of() { tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | cut -c1-120; }

# same_cmdline PID CMD...: the process runs exactly CMD (same arguments): reuse it, else restart.
same_cmdline() {
  local pid=$1; shift
  cmp -s <(printf '%s\0' "$@") "/proc/$pid/cmdline"
}

# start_detached LOG PIDFILE CMD...: starts CMD in a session of its own (setsid), so that a Ctrl-C
# or a hang-up of the terminal that started it does not reach it; output appended to LOG; its pid
# to PIDFILE (empty: the program writes its own). Returns at once.
start_detached() {
  local logf=$1 pidf=$2; shift 2
  mkdir -p "$(dirname "$logf")"
  printf '\n==== %s starting %s\n' "$(date -Is)" "$*" >> "$logf"
  # A background job of a script is no process-group leader, so setsid execs without forking: $! is CMD.
  setsid "$@" >>"$logf" 2>&1 </dev/null &
  if [ -n "$pidf" ]; then mkdir -p "$(dirname "$pidf")"; echo $! > "$pidf"; fi
}

# stop_pidfile FILE MATCH: stops the process FILE names (TERM, then KILL after 30 s) when it is
# the expected program; a pid of any other program is left alone. Removes FILE.
stop_pidfile() {
  local f=$1 match=$2 pid raw
  [ -n "$match" ] || die "stop_pidfile $f: no program to match (a bug in the script)"
  [ -f "$f" ] || return 0
  if pid=$(pidfile_pid "$f" "$match"); then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do pid_matches "$pid" "$match" || break; sleep 0.5; done
    if pid_matches "$pid" "$match"; then
      warn "pid $pid ($match) ignored TERM for 30 s: killing it"
      kill -9 "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do pid_matches "$pid" "$match" || break; sleep 0.5; done
    fi
  else
    raw=$(head -c 32 "$f" 2>/dev/null | tr -dc 0-9)
    if [ -n "$raw" ] && kill -0 "$raw" 2>/dev/null; then
      warn "stale pidfile $f names pid $raw, which is not $match but '$(cmdline_of "$raw")': left running"
    fi
  fi
  rm -f "$f"
}

# adopt_pidfile OLD NEW MATCH: pidfiles of earlier versions of these scripts lived beside the
# state; a process they name that still matches is tracked from NEW from now on.
adopt_pidfile() {
  local old=$1 new=$2 match=$3 pid
  [ -f "$old" ] || return 0
  if [ ! -f "$new" ] && pid=$(pidfile_pid "$old" "$match"); then
    mkdir -p "$(dirname "$new")"
    echo "$pid" > "$new"
  fi
  rm -f "$old"
}

# --- failure detection (decided here and nowhere else) --------------------------------------------
# TESTBED_FAILURE_DETECTION picks how fast the orchestrators notice a dead node:
#   default  each orchestrator's own timings (what a site runs); `compare` and a plain `up` use it
#   short    tuned so the failure scenarios finish within minutes; `infra/testbed test` uses it
# failure_detection [MODE_WHEN_UNSET]: validates, exports TESTBED_FAILURE_DETECTION and sets
#   SWARM_HEARTBEAT                   Swarm's dispatcher heartbeat (Docker's default: 5s)
#   K8S_NODE_MONITOR_PERIOD / _GRACE  kube-controller-manager's node monitor (Kubernetes: 5s / 50s)
#   K8S_EVICTION_SECONDS              pods' toleration of an unreachable node (empty: the
#                                     cluster's 300 s)
#   SLURM_SLURMD_TIMEOUT              slurm.conf SlurmdTimeout: a silent slurmd is set DOWN and its
#                                     jobs requeued after it (Slurm's default: 300 s)
#   SLURM_CRED_EXPIRE                 AuthInfo cred_expire: also how long a requeued job waits
#                                     before it may start again (empty: Slurm's 120 s; minimum 5)
# shellcheck disable=SC2034  # the variables are read by the up scripts that call it
failure_detection() {
  export TESTBED_FAILURE_DETECTION=${TESTBED_FAILURE_DETECTION:-${1:-default}}
  case "$TESTBED_FAILURE_DETECTION" in
    default) SWARM_HEARTBEAT=5s K8S_NODE_MONITOR_PERIOD=5s K8S_NODE_MONITOR_GRACE=50s K8S_EVICTION_SECONDS= ;;
    short)   SWARM_HEARTBEAT=1s K8S_NODE_MONITOR_PERIOD=2s K8S_NODE_MONITOR_GRACE=20s K8S_EVICTION_SECONDS=10 ;;
    *) die "TESTBED_FAILURE_DETECTION must be 'default' or 'short', was '$TESTBED_FAILURE_DETECTION'" ;;
  esac
  # Slurm's part (infra/slurm/up.sh)
  case "$TESTBED_FAILURE_DETECTION" in
    default) SLURM_SLURMD_TIMEOUT=300 SLURM_CRED_EXPIRE= ;;
    short)   SLURM_SLURMD_TIMEOUT=10 SLURM_CRED_EXPIRE=15 ;;
  esac
}

# --- bridges and node namespaces ------------------------------------------------------------------
# Each real node of a local testbed is a network namespace with one veth (eth0) on a bridge of the
# testbed's own; the bridge holds the nodes' gateway address.

# bridge_up NAME ADDR/PREFIX: the bridge NAME holding ADDR, up; frames between its ports pass the
# host's FORWARD chain (the host Docker engine's policy is DROP and br_netfilter sends bridged
# frames through iptables).
bridge_up() {
  local name=$1 cidr=$2
  ip link show "$name" >/dev/null 2>&1 || ip link add "$name" type bridge
  ip addr show dev "$name" | grep "inet $cidr " >/dev/null || ip addr add "$cidr" dev "$name"
  ip link set "$name" up
  iptables -C FORWARD -i "$name" -o "$name" -j ACCEPT 2>/dev/null || iptables -I FORWARD -i "$name" -o "$name" -j ACCEPT
}

# netns_node NS BRIDGE ADDR/PREFIX GATEWAY: the network namespace NS (/var/run/netns/NS) with eth0
# holding ADDR on BRIDGE (host side veth-NS), lo up and a default route via GATEWAY. Kept when it
# exists. Processes enter it with `nsenter --net=/var/run/netns/NS` (not `ip netns exec`, which
# remounts /sys and hides the cgroup mounts that engines and kubelets need).
netns_node() {
  local ns=$1 bridge=$2 cidr=$3 gw=$4
  [ -e "/var/run/netns/$ns" ] && return 0
  ip netns add "$ns"
  ip link add "veth-$ns" type veth peer name eth0 netns "$ns"
  ip link set "veth-$ns" master "$bridge" up
  ip -n "$ns" addr add "$cidr" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" route add default via "$gw"
}

# netns_node_delete NS: the namespace and its veth gone (safe when neither exists).
netns_node_delete() {
  [ ! -e "/var/run/netns/$1" ] || ip netns delete "$1" 2>/dev/null || true
  ip link delete "veth-$1" 2>/dev/null || true
}

# --- testbed.properties ---------------------------------------------------------------------------
# Each local testbed's `up` writes what the scenarios need to reach and drive it into
# $TESTBED_STATE_DIR/<testbed>/testbed.properties (Java properties: key=value, # comments; values
# here never hold a backslash or a line break). infra/testbed turns it into -D options; the
# scenarios may read it directly.

# write_testbed_properties DIR PKG...: key=value lines from stdin, plus testbed.failureDetection
# and the versions of the Debian packages PKG... (testbed.packages); replaced atomically.
write_testbed_properties() {
  local dir=$1 line; shift
  mkdir -p "$dir"
  {
    echo "# Written by infra/$(basename "$dir")/up.sh at $(date -u +%Y-%m-%dT%H:%M:%SZ); rewritten by every up."
    while IFS= read -r line; do
      [ -n "$line" ] || continue
      case "$line" in *\\*) die "testbed.properties: a value with a backslash: $line" ;; esac
      echo "$line"
    done
    echo "testbed.failureDetection=$TESTBED_FAILURE_DETECTION"
    [ $# -eq 0 ] || echo "testbed.packages=$(package_versions "$@")"
  } > "$dir/testbed.properties.tmp"
  mv -f "$dir/testbed.properties.tmp" "$dir/testbed.properties"
}

# testbed_properties FILE: the key=value lines of FILE (comments and blank lines left out).
testbed_properties() {
  [ -f "$1" ] || return 1
  sed -n '/^[[:space:]]*[#!]/d; /^[[:space:]]*$/d; s/^[[:space:]]*//; p' "$1"
}

# --- the node side below the control plane ---------------------------------------------------------
# At a site the control plane has hosts of its own; here the real nodes' agents, container runtimes
# and containers share 2 cores with it and with the harness, and in a burst they starved it: the
# watch delivery of Kubernetes' bindings trailed the scheduler's own stamp by p99 728 ms (50-task
# burst, equal weights) against 93-283 ms with the node side at 128. So each real node's processes
# and its containers share one cpu cgroup, /computeops-NODE (its containers' cgroup parent on both
# orchestrators), weighted TESTBED_NODE_CPU_SHARES against 1,024 for each control-plane process
# (1024 = no preference). The Swarm manager's engine is its control plane and stays out; its
# containerd and containers go in. Simulated nodes (KWOK, the Swarm simulator) are not moved.
TESTBED_NODE_CPU_SHARES=${TESTBED_NODE_CPU_SHARES:-128}

# cpu_cgroup NAME: the directory of cgroup NAME in the cpu controller (v1, or v2's unified tree).
cpu_cgroup() {
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then echo "/sys/fs/cgroup/$1"; else echo "/sys/fs/cgroup/cpu/$1"; fi
}

# node_side_cpu NODE PID...: weights NODE's cgroup and moves each PID with its descendants into it
# (a leaf, "daemons", beside the containers'). Idempotent; a PID that is gone is skipped.
node_side_cpu() {
  local node=$1 dir p i all; shift
  [[ "$TESTBED_NODE_CPU_SHARES" =~ ^[0-9]+$ ]] && [ "$TESTBED_NODE_CPU_SHARES" -ge 2 ] && [ "$TESTBED_NODE_CPU_SHARES" -le 262144 ] \
    || die "TESTBED_NODE_CPU_SHARES must be a number from 2 to 262144 (cpu.shares; 1024 = as the control plane), was '$TESTBED_NODE_CPU_SHARES'"
  dir=$(cpu_cgroup "computeops-$node")
  mkdir -p "$dir/daemons" || die "cannot create the cpu cgroup $dir/daemons"
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    # v2 weights are 1-10000 with 100 as the default, shares/1024 of that
    echo $(( TESTBED_NODE_CPU_SHARES * 100 / 1024 > 0 ? TESTBED_NODE_CPU_SHARES * 100 / 1024 : 1 )) > "$dir/cpu.weight" 2>/dev/null \
      || warn "cannot set cpu.weight of $dir (is the cpu controller enabled in its parent's cgroup.subtree_control?): node $node competes with the control plane at equal weight"
  else
    echo "$TESTBED_NODE_CPU_SHARES" > "$dir/cpu.shares" || die "cannot set cpu.shares of $dir"
  fi
  all=("$@")
  # descendants too (dockerd's containerd, containerd's shims), breadth first
  for (( i = 0; i < ${#all[@]}; i++ )); do
    # shellcheck disable=SC2207
    all+=($(pgrep -P "${all[$i]}" || true))
  done
  # a container's own processes stay in the container's cgroup (below the same parent)
  for p in "${all[@]}"; do
    grep -q "computeops-$node/." "/proc/$p/cgroup" 2>/dev/null && ! grep -q "computeops-$node/daemons" "/proc/$p/cgroup" && continue
    echo "$p" > "$dir/daemons/cgroup.procs" 2>/dev/null || true
  done
}

# process_memory PID...: "RSS_KIB PEAK_KIB" summed over the processes (VmRSS now, VmHWM: each one's
# own peak since it started, as the kernel counted it); a PID that is gone counts 0.
process_memory() {
  local p rss=0 hwm=0 r h
  for p in "$@"; do
    r=$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || true)
    h=$(awk '/^VmHWM:/{print $2}' "/proc/$p/status" 2>/dev/null || true)
    rss=$(( rss + ${r:-0} )); hwm=$(( hwm + ${h:-0} ))
  done
  echo "$rss $hwm"
}

# --- equal layouts ----------------------------------------------------------------------------------
# Every local testbed's up writes testbed.realNodes (its real nodes) and testbed.gpuLayout (GPUs
# per real node, largest first: "2,0,0") into its testbed.properties; `compare` sets only equal
# layouts side by side.

# gpu_layout N...: GPUs per node, largest first, comma-separated.
gpu_layout() { printf '%s\n' "$@" | sort -rn | paste -sd, -; }

# layout_difference TESTBED...: when the testbeds' real-node layouts differ (or one does not say),
# prints one sentence naming each one's and returns 1; returns 0 when all are equal.
layout_difference() {
  local t file nodes gpus shares first="" differ=0 parts=()
  for t in "$@"; do
    file="$TESTBED_STATE_DIR/$t/testbed.properties"
    nodes=$(testbed_properties "$file" 2>/dev/null | sed -n 's/^testbed\.realNodes=//p' | tail -1)
    gpus=$(testbed_properties "$file" 2>/dev/null | sed -n 's/^testbed\.gpuLayout=//p' | tail -1)
    # the node side's CPU weight (node_side_cpu), where a testbed sets one
    shares=$(testbed_properties "$file" 2>/dev/null | sed -n 's/^testbed\.nodeCpuShares=//p' | tail -1)
    parts+=("$t ${nodes:-an unknown number of} real nodes with GPUs ${gpus:-unknown}${shares:+ at node-side cpu.shares $shares}")
    [ -n "$nodes" ] && [ -n "$gpus" ] || differ=1
    if [ -z "$first" ]; then first="$nodes/$gpus/$shares"; elif [ "$nodes/$gpus/$shares" != "$first" ]; then differ=1; fi
  done
  [ "$differ" = 1 ] || return 0
  local IFS=';'
  printf 'the testbeds are not laid out alike: %s\n' "$(printf '%s' "${parts[*]}" | sed 's/;/; /g')"
  return 1
}

# --- the testbed lock -----------------------------------------------------------------------------
# One infra/testbed command at a time per machine. The lock is the file $TESTBED_LOCK, created
# exclusively (link(2): it fails when the file exists) and holding Java-properties lines
#   pid=PID  command=compare|test|up|down|report  runId=RUN  started=ISO-8601  dir=CLONE
# It is held while /proc/PID/cmdline has an argument whose last path element is "testbed"; a file
# naming a dead pid or another program is stale and is taken over with a warning. Taking it over
# is serialised by flock(1) on $TESTBED_LOCK.guard. A Java process checks it by reading the file
# and /proc the same way (no flock needed to read); children of the holder see TESTBED_LOCK_PID.
TESTBED_LOCK="$TESTBED_STATE_DIR/testbed.lock"
TESTBED_LOCK_OWNED=0

# lock_holder_alive PID: PID is a live infra/testbed.
lock_holder_alive() {
  local pid=$1
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -E '(^|/)testbed$' >/dev/null
}

lock_field() { sed -n "s/^$1=//p" "$TESTBED_LOCK" 2>/dev/null | head -1; }

# testbed_lock COMMAND RUN_ID: takes the lock for this process, or dies naming its holder.
testbed_lock() {
  local command=$1 run_id=${2:--} tmp pid guard
  # infra/testbed called from within a run that holds the lock (its child): nothing to take.
  if [ -n "${TESTBED_LOCK_PID:-}" ] && [ "$(lock_field pid)" = "$TESTBED_LOCK_PID" ] && lock_holder_alive "$TESTBED_LOCK_PID"; then
    return 0
  fi
  tmp="$TESTBED_LOCK.$$"
  printf 'pid=%s\ncommand=%s\nrunId=%s\nstarted=%s\ndir=%s\n' "$$" "$command" "$run_id" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$REPO_DIR" > "$tmp"
  exec {guard}>>"$TESTBED_LOCK.guard"
  flock -w 30 "$guard" || { rm -f "$tmp"; die "could not get $TESTBED_LOCK.guard within 30 s"; }
  for _ in 1 2; do
    if ln "$tmp" "$TESTBED_LOCK" 2>/dev/null; then
      TESTBED_LOCK_OWNED=1
      break
    fi
    pid=$(lock_field pid)
    if lock_holder_alive "$pid"; then
      rm -f "$tmp"; exec {guard}>&-
      die "another infra/testbed $(lock_field command) (pid $pid, run $(lock_field runId), started $(lock_field started), from $(lock_field dir)) holds the testbed lock ($TESTBED_LOCK); wait for it to end"
    fi
    warn "taking over a stale testbed lock: $(tr '\n' ' ' < "$TESTBED_LOCK" 2>/dev/null)(pid ${pid:-?} is no infra/testbed any more)"
    rm -f "$TESTBED_LOCK"
  done
  rm -f "$tmp"; exec {guard}>&-
  [ "$TESTBED_LOCK_OWNED" = 1 ] || die "could not take the testbed lock $TESTBED_LOCK"
  export TESTBED_LOCK_PID=$$
}

# testbed_unlock: releases the lock when this process holds it.
testbed_unlock() {
  [ "$TESTBED_LOCK_OWNED" = 1 ] || return 0
  [ "$(lock_field pid)" = "$$" ] && rm -f "$TESTBED_LOCK"
  TESTBED_LOCK_OWNED=0
}

# --- Docker engines -------------------------------------------------------------------------------
# The Debian engine's own client matches its API; /usr/local/bin may hold a newer one.
DOCKER_CLI=$(command -v /usr/bin/docker || command -v docker || true)
docker_at() { local sock=$1; shift; "$DOCKER_CLI" -H "unix://$sock" "$@"; }

# The host's Docker engine, used to build and export workload images. Started here when not
# running; like every engine of the testbed it listens on its UNIX socket only.
HOST_DOCKER_SOCK=/var/run/docker.sock
ensure_host_dockerd() {
  if [ -S "$HOST_DOCKER_SOCK" ] && docker_at "$HOST_DOCKER_SOCK" info >/dev/null 2>&1; then return 0; fi
  require_root "starting the Docker engine"
  apt_ensure docker.io iptables
  DOCKER_CLI=/usr/bin/docker
  log "starting the host Docker engine (log: $TESTBED_STATE_DIR/dockerd-host.log)"
  # dockerd writes and checks its own pidfile (the system's usual one).
  start_detached "$TESTBED_STATE_DIR/dockerd-host.log" "" dockerd --pidfile /var/run/docker.pid
  wait_for --log "$TESTBED_STATE_DIR/dockerd-host.log" 60 "the host Docker engine" docker_at "$HOST_DOCKER_SOCK" info
}
