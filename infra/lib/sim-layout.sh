# shellcheck shell=bash disable=SC2034  # settings, read by the scripts that source this file
# One description of a simulated node, shared by the simulated tiers of both orchestrators (KWOK
# nodes on Kubernetes, simulated SwarmKit workers on Swarm), so that their simulated clusters are
# laid out alike (issue 13: "equal simulated clusters"). Environment variables override each value.
SIM_NODE_CPUS=${SIM_NODE_CPUS:-32}              # CPUs each simulated node advertises
SIM_NODE_MEMORY_MIB=${SIM_NODE_MEMORY_MIB:-131072}  # memory each advertises (128 GiB)
SIM_NODE_PODS=${SIM_NODE_PODS:-110}             # tasks each takes at most (Kubernetes' pods limit)
SIM_NODE_GPUS=${SIM_NODE_GPUS:-4}               # GPUs on each GPU node
SIM_GPU_NODE_PERCENT=${SIM_GPU_NODE_PERCENT:-40} # share of simulated nodes with GPUs (10 nodes: 4)
# How long a simulated job task runs, from running to its end, on both simulators and without
# jitter (KWOK's own stage had 1 s + up to 5 s of jitter, the Swarm simulator 5 s fixed: a GPU
# task's wait for a free GPU then differed by simulator, not by scheduler).
SIM_JOB_RUN_SECONDS=${SIM_JOB_RUN_SECONDS:-5}
[[ "$SIM_JOB_RUN_SECONDS" =~ ^[0-9]+$ ]] && [ "$SIM_JOB_RUN_SECONDS" -ge 1 ] \
  || { echo "SIM_JOB_RUN_SECONDS must be a whole number of seconds, at least 1 (was '$SIM_JOB_RUN_SECONDS')" >&2; exit 2; }

# sim_gpu_nodes N: how many of N simulated nodes advertise GPUs (at least one when N > 0).
sim_gpu_nodes() {
  local n=$1 g
  g=$(( n * SIM_GPU_NODE_PERCENT / 100 ))
  [ "$g" -gt 0 ] || [ "$n" -eq 0 ] || [ "$SIM_GPU_NODE_PERCENT" -eq 0 ] || g=1
  echo "$g"
}
