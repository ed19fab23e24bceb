#!/usr/bin/env bash
# Starts a local Slurm cluster from Debian's packages: slurmctld and 3 slurmd (one with 2 fake GPUs
# through GRES), each in its own namespaces on bridge co-slurm0, munge auth, and slurmrestd serving
# the REST API (OpenAPI v0.0.38, JWT) on 127.0.0.1. Jobs run the workload images with runc through
# oci.conf. Writes the scenarios' settings to $TESTBED_STATE_DIR/slurm/testbed.properties.
# Reuses what already runs; TESTBED_FAILURE_DETECTION=default|short picks SlurmdTimeout and cred_expire.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/env.sh"

require_root "infra/testbed up slurm"
# Debian's emulator build makes its own slurmctld/slurmd/slurmstepd the default (alternatives, priority 60).
if dpkg-query -W -f='${Status}' slurm-wlm-emulator 2>/dev/null | grep -q 'install ok installed'; then
  die "slurm-wlm-emulator is installed: its binaries replace the normal slurmctld/slurmd through update-alternatives; remove it (apt-get remove slurm-wlm-emulator) first"
fi
apt_ensure slurmctld slurmd slurmrestd slurm-client munge slurm-wlm-jwt-plugin tini runc iproute2 iptables util-linux
mkdir -p "$SLURM_STATE"/{etc,run,run/in-namespace,log,ctld,spool,dev,munge,runc,containers,bundles}
chmod 711 "$SLURM_STATE/munge"

failure_detection   # SLURM_SLURMD_TIMEOUT, SLURM_CRED_EXPIRE (lib/common.sh)

# --- munge: one daemon, its own key and socket, used by every namespace (the socket is a path).
[ -s "$SLURM_STATE/munge/munge.key" ] || mungekey --create --keyfile="$SLURM_STATE/munge/munge.key" --force
chmod 600 "$SLURM_STATE/munge/munge.key"
if ! slurm_pid_ok "$SLURM_STATE/munge/munged.pid" "$SLURM_MUNGED_CMD" || ! munge -S "$SLURM_MUNGE_SOCKET" -n </dev/null >/dev/null 2>&1; then
  log "starting munged"
  setsid munged --force --socket="$SLURM_MUNGE_SOCKET" --key-file="$SLURM_STATE/munge/munge.key" \
    --pid-file="$SLURM_STATE/munge/munged.pid" --log-file="$SLURM_STATE/log/munged.log" \
    --seed-file="$SLURM_STATE/munge/munged.seed" </dev/null >/dev/null 2>&1
  wait_for 20 "munged" sh -c "munge -S '$SLURM_MUNGE_SOCKET' -n </dev/null >/dev/null"
fi

# --- JWT key for slurmrestd's token auth.
[ -s "$SLURM_STATE/etc/jwt.key" ] || { head -c 32 /dev/urandom > "$SLURM_STATE/etc/jwt.key"; }
chmod 600 "$SLURM_STATE/etc/jwt.key"

# --- fake GPUs: character devices that are /dev/null clones (GRES insists on device files).
for i in $(seq 0 $((SLURM_GPUS - 1))); do
  [ -c "$SLURM_STATE/dev/nvidia$i" ] || mknod "$SLURM_STATE/dev/nvidia$i" c 1 3
done

# --- configuration. Written each time; a change restarts the daemons below.
conf=$(slurm_conf)
nodes_csv=$(IFS=,; echo "${SLURM_NODES[*]}")
new_conf=$(cat <<CONF
# Written by infra/slurm/up.sh; edits are overwritten.
ClusterName=computeops
SlurmctldHost=$SLURM_CTL(${SLURM_IP[$SLURM_CTL]})
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$SLURM_MUNGE_SOCKET${SLURM_CRED_EXPIRE:+,cred_expire=$SLURM_CRED_EXPIRE}
CredType=cred/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$SLURM_STATE/etc/jwt.key
StateSaveLocation=$SLURM_STATE/ctld
SlurmdSpoolDir=$SLURM_STATE/spool/%n
SlurmctldPidFile=$SLURM_STATE/run/in-namespace/slurmctld.pid
SlurmdPidFile=$SLURM_STATE/run/in-namespace/slurmd-%n.pid
SlurmctldLogFile=$SLURM_STATE/log/slurmctld.log
SlurmdLogFile=$SLURM_STATE/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
DefMemPerCPU=100
SlurmdParameters=config_overrides
ReturnToService=2
SlurmdTimeout=$SLURM_SLURMD_TIMEOUT
JobRequeue=1
MinJobAge=300
MaxJobCount=20000
SchedulerParameters=$SLURM_SCHEDULER_PARAMETERS
NodeName=DEFAULT CPUs=$SLURM_NODE_CPUS RealMemory=$SLURM_NODE_MEMORY_MIB State=UNKNOWN
$(for n in "${SLURM_NODES[@]}"; do
  if [ "$n" = "$SLURM_GPU_NODE" ]; then echo "NodeName=$n NodeAddr=${SLURM_IP[$n]} Gres=gpu:$SLURM_GPUS"
  else echo "NodeName=$n NodeAddr=${SLURM_IP[$n]}"; fi
done)
PartitionName=main Nodes=$nodes_csv Default=YES MaxTime=INFINITE State=UP PriorityTier=1
PartitionName=$SLURM_HIGH_PARTITION Nodes=$nodes_csv Default=NO MaxTime=INFINITE State=UP PriorityTier=2
CONF
)
new_gres="NodeName=$SLURM_GPU_NODE Name=gpu File=$SLURM_STATE/dev/nvidia[0-$((SLURM_GPUS - 1))]"
# Per node (%n): a node killed mid-job leaves its containers' folders and runc state behind, and a
# requeued job relaunched under the same id then fails ("File exists", held); node.sh start clears them.
new_oci=$(cat <<OCI
# runc runs the job's OCI bundle (sbatch --container=BUNDLE); written by infra/slurm/up.sh.
ContainerPath=$SLURM_STATE/containers/%n/%j.%s.%t
RunTimeQuery="runc --root=$SLURM_STATE/runc/%n state %n.%u.%j.%s.%t"
RunTimeKill="runc --root=$SLURM_STATE/runc/%n kill -a %n.%u.%j.%s.%t"
RunTimeDelete="runc --root=$SLURM_STATE/runc/%n delete --force %n.%u.%j.%s.%t"
RunTimeRun="runc --root=$SLURM_STATE/runc/%n run %n.%u.%j.%s.%t -b %b"
OCI
)
changed=0
write_if_changed() {
  if [ "$(cat "$1" 2>/dev/null)" != "$2" ]; then printf '%s\n' "$2" > "$1"; changed=1; fi
}
write_if_changed "$conf" "$new_conf"
write_if_changed "$SLURM_STATE/etc/gres.conf" "$new_gres"
write_if_changed "$SLURM_STATE/etc/oci.conf" "$new_oci"
slurm_env

# --- the bridge and one namespace per daemon (lib/common.sh, as the other testbeds' nodes).
bridge_up "$SLURM_BRIDGE" "$SLURM_BRIDGE_IP/24"
for n in "$SLURM_CTL" "${SLURM_NODES[@]}"; do
  netns_node "$n" "$SLURM_BRIDGE" "${SLURM_IP[$n]}/24" "$SLURM_BRIDGE_IP"
done

# --- daemons. Their own pidfiles (run/in-namespace) hold PIDs of their PID namespace: never kill by them.
# A changed configuration restarts them (slurmctld keeps its state in StateSaveLocation).
ctld_alive() { slurm_pid_ok "$(slurm_pidfile "$SLURM_CTL")" "$(slurm_marker "$SLURM_CTL")" && scontrol ping 2>/dev/null | grep -q 'is UP'; }
if [ "$changed" = 1 ]; then
  log "configuration changed: restarting the Slurm daemons"
  for n in "${SLURM_NODES[@]}" "$SLURM_CTL"; do slurm_kill_ns "$n"; done
fi
if ! ctld_alive; then
  slurm_kill_ns "$SLURM_CTL"
  log "starting slurmctld in $SLURM_CTL"
  slurm_start_ns "$SLURM_CTL" "SLURM_CONF=$conf exec slurmctld -D -i" "$SLURM_STATE/log/slurmctld.out"
  wait_for 60 "slurmctld (log: $SLURM_STATE/log/slurmctld.log)" sh -c "scontrol ping | grep -q 'is UP'"
fi
for n in "${SLURM_NODES[@]}"; do
  if slurm_pid_ok "$(slurm_pidfile "$n")" "$(slurm_marker "$n")"; then node_side_cpu "$n" "$(cat "$(slurm_pidfile "$n")")"; continue; fi
  log "starting slurmd $n"
  "$INFRA_DIR/slurm/node.sh" start "$n" --no-wait
done
wait_for 90 "all ${#SLURM_NODES[@]} slurm nodes idle or allocated (log: $SLURM_STATE/log/slurmd-*.log)" sh -c \
  "[ \$(sinfo -h -N -o '%N %t' | grep -cE ' (idle|mix|alloc)\$') -ge ${#SLURM_NODES[@]} ]"

# --- slurmrestd: refuses to run as root; JWT on 127.0.0.1 only.
rest_url="http://127.0.0.1:$SLURM_REST_PORT"
rest_pidfile="$SLURM_STATE/run/slurmrestd.pid"
rest_alive() { slurm_pid_ok "$rest_pidfile" "$SLURM_REST_CMD" && curl -fsS -o /dev/null -H "X-SLURM-USER-NAME: $SLURM_USER" \
  -H "X-SLURM-USER-TOKEN: $(cat "$SLURM_STATE/etc/token" 2>/dev/null)" "$rest_url/slurm/$SLURM_OPENAPI/ping"; }
token_fresh() { [ -s "$SLURM_STATE/etc/token" ] && [ -n "$(find "$SLURM_STATE/etc/token" -mmin -1380)" ]; }
# A day's token, renewed by each `up` older than 23 h; the adapter reads the file at start.
if ! token_fresh || [ "$changed" = 1 ]; then
  scontrol token username="$SLURM_USER" lifespan=86400 | sed -n 's/^SLURM_JWT=//p' > "$SLURM_STATE/etc/token.new"
  [ -s "$SLURM_STATE/etc/token.new" ] || die "scontrol token gave no token"
  chmod 600 "$SLURM_STATE/etc/token.new"; mv "$SLURM_STATE/etc/token.new" "$SLURM_STATE/etc/token"
fi
if [ "$changed" = 1 ] || ! rest_alive; then
  if slurm_pid_ok "$rest_pidfile" "$SLURM_REST_CMD"; then kill "$(cat "$rest_pidfile")"; sleep 0.5; fi
  rm -f "$rest_pidfile"
  log "starting slurmrestd on $rest_url (OpenAPI $SLURM_OPENAPI)"
  chmod 644 "$conf"
  # started in / : it outlives this checkout, and with a deleted working directory it dies on the
  # first job submission (getcwd failed)
  (cd / && SLURM_JWT=daemon exec setsid setpriv --reuid=nobody --regid=nogroup --clear-groups \
    slurmrestd -a rest_auth/jwt -s "openapi/$SLURM_OPENAPI" "127.0.0.1:$SLURM_REST_PORT" \
    </dev/null >"$SLURM_STATE/log/slurmrestd.log" 2>&1) &
  echo $! > "$rest_pidfile"
  wait_for 30 "slurmrestd (log: $SLURM_STATE/log/slurmrestd.log)" rest_alive
fi

# --- the batch image as an OCI bundle for runc (no registry; exported from the host engine).
"$INFRA_DIR/images/build.sh" >/dev/null
# only the batch image: Slurm runs no services
# shellcheck disable=SC2043
for img in batch; do
  ref="computeops/$img:${IMAGE_TAG:-1.0}"
  bundle="$SLURM_STATE/bundles/$(echo "$ref" | tr -c 'A-Za-z0-9._\n-' '_')"
  want=$(cat "$TESTBED_CACHE_DIR/images/$img.tar.id")
  [ "$(cat "$bundle/image.id" 2>/dev/null)" = "$want" ] && continue
  log "exporting $ref as an OCI bundle for runc"
  rm -rf "$bundle"; mkdir -p "$bundle/rootfs"
  cid=$(docker_at "$HOST_DOCKER_SOCK" create "$ref" true)
  docker_at "$HOST_DOCKER_SOCK" export "$cid" | tar -C "$bundle/rootfs" -x
  docker_at "$HOST_DOCKER_SOCK" rm "$cid" >/dev/null
  (cd "$bundle" && runc spec && python3 - <<'PY'
import json
s = json.load(open("config.json"))
s["process"]["terminal"] = False
s["process"]["env"] = ["PATH=/bin:/usr/bin"]
s["root"]["readonly"] = False
json.dump(s, open("config.json", "w"), indent=1)
PY
  )
  echo "$want" > "$bundle/image.id"
done

# --- what the scenarios need (the harness reads it with -Dtestbed.params=FILE).
# the real nodes' layout (compare sets only equal ones side by side): GPUs per node
node_gpus=()
for n in "${SLURM_NODES[@]}"; do if [ "$n" = "$SLURM_GPU_NODE" ]; then node_gpus+=("$SLURM_GPUS"); else node_gpus+=(0); fi; done
mkdir -p "$SLURM_STATE/jobs"
{
  echo "testbed.slurm.url=$rest_url"
  echo "testbed.slurm.openapi=$SLURM_OPENAPI"
  echo "testbed.slurm.user=$SLURM_USER"
  echo "testbed.slurm.tokenFile=$SLURM_STATE/etc/token"
  echo "testbed.slurm.nodeControl=$INFRA_DIR/slurm/node.sh"
  echo "testbed.slurm.partition=main"
  echo "testbed.slurm.highPriorityPartition=$SLURM_HIGH_PARTITION"
  echo "testbed.slurm.containers=oci-runc"
  echo "testbed.slurm.bundleDir=$SLURM_STATE/bundles"
  echo "testbed.slurm.workDir=$SLURM_STATE/jobs"
  echo "testbed.slurm.slurmConf=$conf"
  echo "testbed.realNodes=${#SLURM_NODES[@]}"
  echo "testbed.gpuLayout=$(gpu_layout "${node_gpus[@]}")"
  echo "testbed.nodeCpuShares=$TESTBED_NODE_CPU_SHARES"
  # what this testbed tuned away from Slurm's defaults, for the report's testbed line
  echo "testbed.slurm.tuned=SchedulerParameters=$SLURM_SCHEDULER_PARAMETERS; SlurmdTimeout=$SLURM_SLURMD_TIMEOUT (default 300); cred_expire=${SLURM_CRED_EXPIRE:-120 (default)}; JobRequeue=1; ReturnToService=2; partitions main PriorityTier=1 and $SLURM_HIGH_PARTITION PriorityTier=2 over the same nodes (priority/basic, no slurmdbd)"
} | write_testbed_properties "$SLURM_STATE" slurmctld slurmd slurmrestd munge runc
log "slurm ready: ${#SLURM_NODES[@]} nodes, REST API at $rest_url (OpenAPI $SLURM_OPENAPI); settings in $SLURM_STATE/testbed.properties"
sinfo -N -o '%N %t %c %m %G' >&2
