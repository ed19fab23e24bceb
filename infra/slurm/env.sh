# Layout of the local Slurm testbed: addresses, names, paths. Sourced by up.sh, down.sh, node.sh
# after lib/common.sh.
# shellcheck shell=bash
# The controller and each slurmd run in their own network, UTS, PID and mount namespaces on a
# bridge of their own (Swarm uses 10.213.0.0/24, Kubernetes 10.214-10.216.x: we stay off both).
# slurmctld and slurmd listen on every address of their own namespace only; slurmrestd, the one
# thing in the host's namespace, listens on 127.0.0.1.
SLURM_STATE="$TESTBED_STATE_DIR/slurm"
SLURM_BRIDGE=co-slurm0
SLURM_BRIDGE_IP=10.231.0.1
SLURM_CTL=co-slctl
SLURM_NODES=(co-sl1 co-sl2 co-slgpu)
declare -A SLURM_IP=([co-slctl]=10.231.0.2 [co-sl1]=10.231.0.3 [co-sl2]=10.231.0.4 [co-slgpu]=10.231.0.5)
SLURM_GPU_NODE=co-slgpu
SLURM_GPUS=2                               # fake: /dev/null clones under $SLURM_STATE/dev (no real device)
# Declared per node. The host has fewer cores: every node shares them (as the Swarm engines do),
# and Slurm gives each task at least one whole CPU, so 2 CPUs per node would queue Resources.NONE
# tasks behind cores Swarm and Kubernetes never reserve. slurmd reports these (config_overrides).
: "${SLURM_NODE_CPUS:=8}"
: "${SLURM_NODE_MEMORY_MIB:=4000}"
: "${SLURM_REST_PORT:=6820}"
SLURM_OPENAPI=v0.0.38                      # pinned: 22.05's slurmrestd serves v0.0.36, v0.0.37, v0.0.38
# The high priority class: a second partition over the same nodes with a higher PriorityTier (its
# pending jobs are considered first; no preemption). Needs no slurmdbd, unlike QOS priority.
SLURM_HIGH_PARTITION=high
SLURM_USER=root                            # jobs run as this user (runc needs root here); the token is its
# Tuned for many short jobs (Slurm's high_throughput guide); a probe here measured a 100-task array
# of `true` at 33.9 s with the defaults and 16.0 s with the first three. bf_interval: the main
# scheduler stops at the first job of a partition that cannot start (a GPU job waiting for GPUs)
# and leaves the jobs behind it to the backfill scheduler, which runs every 30 s by default; every
# second here (cheap with a few hundred jobs). The reports show these (the adapter's describe()).
: "${SLURM_SCHEDULER_PARAMETERS:=sched_min_interval=0,batch_sched_delay=0,default_queue_depth=200,bf_interval=1}"

slurm_conf()  { echo "$SLURM_STATE/etc/slurm.conf"; }
slurm_pidfile() { echo "$SLURM_STATE/run/$1.pid"; }
# The munge socket every daemon and client of this testbed uses (a path, so it crosses namespaces).
SLURM_MUNGE_SOCKET="$SLURM_STATE/munge/munge.socket"
# What the command lines of this testbed's munged and slurmrestd contain (checked before a kill).
SLURM_MUNGED_CMD="munged --force --socket=$SLURM_MUNGE_SOCKET"
SLURM_REST_CMD="slurmrestd -a rest_auth/jwt -s openapi/$SLURM_OPENAPI 127.0.0.1:$SLURM_REST_PORT"

# True when the pidfile names a live process whose command line is this testbed's process for NAME
# (a recycled pid or another program never is).
slurm_pid_ok() {
  local f=$1 want=$2 pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$want"
}

# Marker in the command line of each namespace's init (unshare), checked before any kill.
slurm_marker() { echo "computeops-slurm:$SLURM_STATE:$1"; }

# SIGKILLs the namespace of NAME at once (its init is the child of the recorded unshare: killing a
# PID namespace's init kills everything in it: daemon, slurmstepd, jobs, runc containers).
slurm_kill_ns() {
  local n=$1 f pid child
  f=$(slurm_pidfile "$n")
  if slurm_pid_ok "$f" "$(slurm_marker "$n")"; then
    pid=$(cat "$f")
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do kill -9 "$child" 2>/dev/null || true; done
    kill -9 "$pid" 2>/dev/null || true
    # gone, or a zombie waiting for PID 1 to reap it
    local i; for i in $(seq 1 40); do [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || break; sleep 0.25; done
  fi
  rm -f "$f"
}

# Starts CMD in the namespaces of NAME, in its own session (a Ctrl-C of the caller does not reach it).
slurm_start_ns() {
  local n=$1 cmd=$2 log=$3
  # shellcheck disable=SC2016
  setsid nsenter --net="/var/run/netns/$n" unshare --uts --pid --fork --kill-child --mount-proc \
    sh -c 'hostname "$1"; shift; exec "$@"' "$(slurm_marker "$n")" "$n" tini -s -- sh -c "$cmd" \
    </dev/null >"$log" 2>&1 &
  echo $! > "$(slurm_pidfile "$n")"
}

slurm_env() { export SLURM_CONF; SLURM_CONF=$(slurm_conf); }
