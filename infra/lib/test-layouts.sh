#!/usr/bin/env bash
# Shell-level test of compare's equal-layout rule (lib/common.sh: gpu_layout, layout_difference)
# on testbed.properties files written to a temporary state dir; needs nothing running.
#   infra/lib/test-layouts.sh     prints each case, exits non-zero on the first wrong answer
set -euo pipefail
TESTBED_STATE_DIR=$(mktemp -d)
trap 'rm -rf "$TESTBED_STATE_DIR"' EXIT
export TESTBED_STATE_DIR
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$HERE/common.sh"

props() { # TESTBED NODES GPUS [SHARES] (empty: the key is left out)
  mkdir -p "$TESTBED_STATE_DIR/$1"
  { echo "# test"; [ -z "$2" ] || echo "testbed.realNodes=$2"; [ -z "$3" ] || echo "testbed.gpuLayout=$3"
    [ -z "${4:-}" ] || echo "testbed.nodeCpuShares=$4"; } \
    > "$TESTBED_STATE_DIR/$1/testbed.properties"
}
expect() { # WANT(equal|SENTENCE) TESTBED...
  local want=$1 got rc=0; shift
  got=$(layout_difference "$@") || rc=$?
  if [ "$want" = equal ]; then
    [ "$rc" = 0 ] && [ -z "$got" ] || { echo "FAIL $*: want equal, got rc=$rc '$got'"; exit 1; }
  else
    [ "$rc" = 1 ] && [ "$got" = "$want" ] || { echo "FAIL $*: want '$want', got rc=$rc '$got'"; exit 1; }
  fi
  echo "ok   $* -> ${got:-equal}"
}

[ "$(gpu_layout 0 2 0)" = "2,0,0" ] || { echo "FAIL gpu_layout 0 2 0 = $(gpu_layout 0 2 0)"; exit 1; }
echo "ok   gpu_layout 0 2 0 -> 2,0,0"
props swarm 3 2,0,0; props kubernetes 3 2,0,0; props slurm 3 2,0,0
expect equal swarm kubernetes
expect equal swarm kubernetes slurm
expect equal kubernetes
props kubernetes 2 2,0
expect "the testbeds are not laid out alike: swarm 3 real nodes with GPUs 2,0,0; kubernetes 2 real nodes with GPUs 2,0" swarm kubernetes
props kubernetes 3 4,0,0
expect "the testbeds are not laid out alike: swarm 3 real nodes with GPUs 2,0,0; kubernetes 3 real nodes with GPUs 4,0,0" swarm kubernetes
props swarm 3 2,0,0 128; props kubernetes 3 2,0,0 128
expect equal swarm kubernetes
props kubernetes 3 2,0,0 1024
expect "the testbeds are not laid out alike: swarm 3 real nodes with GPUs 2,0,0 at node-side cpu.shares 128; kubernetes 3 real nodes with GPUs 2,0,0 at node-side cpu.shares 1024" swarm kubernetes
props swarm 3 2,0,0
props slurm "" ""
expect "the testbeds are not laid out alike: swarm 3 real nodes with GPUs 2,0,0; slurm an unknown number of real nodes with GPUs unknown" swarm slurm
echo "layout checks passed"
