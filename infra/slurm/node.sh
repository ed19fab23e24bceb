#!/usr/bin/env bash
# Power switch of one local Slurm node, for the failure scenarios:
#   node.sh stop NODE    SIGKILLs the node's namespace at once: slurmd, slurmstepd and its jobs (a crash, not a drain)
#   node.sh start NODE   starts slurmd again and waits until the controller sees the node idle
#                        (ReturnToService=2 brings a DOWN node back on registration)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/env.sh"

[ $# -ge 2 ] || die "usage: node.sh stop|start NODE (nodes: ${SLURM_NODES[*]})"
action=$1 n=$2 wait=1
[ "${3:-}" = --no-wait ] && wait=0
[[ " ${SLURM_NODES[*]} " == *" $n "* ]] || die "unknown node '$n' (nodes: ${SLURM_NODES[*]}; $SLURM_CTL is the controller)"
require_root "node.sh"
slurm_env
case "$action" in
  stop)
    slurm_kill_ns "$n"
    log "node $n stopped hard"
    ;;
  start)
    if slurm_pid_ok "$(slurm_pidfile "$n")" "$(slurm_marker "$n")"; then
      log "node $n is running"
    else
      # What a killed slurmd left: its jobs' container folders and runc state (nothing of it runs now).
      rm -rf "${SLURM_STATE:?}/containers/$n" "${SLURM_STATE:?}/runc/$n"
      mkdir -p "$SLURM_STATE/spool/$n" "$SLURM_STATE/containers/$n" "$SLURM_STATE/runc/$n"
      slurm_start_ns "$n" "SLURM_CONF=$(slurm_conf) exec slurmd -D -N $n" "$SLURM_STATE/log/slurmd-$n.out"
      log "node $n started"
    fi
    # slurmd, its steps and their runc containers (runc puts a container below its own cgroup)
    node_side_cpu "$n" "$(cat "$(slurm_pidfile "$n")")"
    if [ "$wait" = 1 ]; then
      wait_for 90 "node $n idle (log: $SLURM_STATE/log/slurmd-$n.log)" sh -c \
        "sinfo -h -n '$n' -N -o '%t' | grep -qE '^(idle|mix|alloc)\$'"
    fi
    ;;
  *) die "unknown action '$action' (stop or start)" ;;
esac
