#!/usr/bin/env bash
# Stops the local Slurm testbed: slurmrestd, slurmd, slurmctld, munged; removes its namespaces,
# bridge and firewall rule. Keeps the configuration, keys and bundles under $TESTBED_STATE_DIR/slurm
# (SLURM_PURGE=1 removes them too).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/env.sh"

require_root "infra/testbed down slurm"
rest_pidfile="$SLURM_STATE/run/slurmrestd.pid"
if slurm_pid_ok "$rest_pidfile" "$SLURM_REST_CMD"; then kill "$(cat "$rest_pidfile")" 2>/dev/null || true; fi
rm -f "$rest_pidfile"
for n in "${SLURM_NODES[@]}" "$SLURM_CTL"; do slurm_kill_ns "$n"; done
if slurm_pid_ok "$SLURM_STATE/munge/munged.pid" "$SLURM_MUNGED_CMD"; then kill "$(cat "$SLURM_STATE/munge/munged.pid")" 2>/dev/null || true; fi
rm -f "$SLURM_STATE/munge/munged.pid"
for n in "$SLURM_CTL" "${SLURM_NODES[@]}"; do netns_node_delete "$n"; done
ip link del "$SLURM_BRIDGE" 2>/dev/null || true
while iptables -C FORWARD -i "$SLURM_BRIDGE" -o "$SLURM_BRIDGE" -j ACCEPT 2>/dev/null; do
  iptables -D FORWARD -i "$SLURM_BRIDGE" -o "$SLURM_BRIDGE" -j ACCEPT
done
# runc containers of jobs died with their node's namespace; drop their state.
rm -rf "$SLURM_STATE/runc" "$SLURM_STATE/containers"
if [ "${SLURM_PURGE:-0}" = 1 ]; then rm -rf "$SLURM_STATE"; log "slurm testbed stopped and its state removed"
else log "slurm testbed stopped (configuration and keys kept in $SLURM_STATE; SLURM_PURGE=1 removes them)"; fi
