# shellcheck shell=bash
# Faults injected on purpose into the local Swarm testbed during small scenarios (issue 12, item 7),
# for infra/testbed test (one call: `faults_swarm || die ...`) or `infra/testbed faults swarm`.
# Sourced by infra/testbed after lib/common.sh. Each fault prints one line "fault NAME: OUTCOME";
# afterwards no object of a finished run is left, the unrelated process lives, and the run folder
# passes verify. Returns non-zero when any of that does not hold.

# fault_scenario RUN_ID LOG REPETITION ARGS...: the scheduling-latency scenario, small, in the background
# (not in a subshell: the caller waits for FAULT_PID).
fault_scenario() {
  local run_id=$1 log=$2 rep=$3; shift 3
  run_scenarios swarm "$run_id" -Dit.test=SchedulingLatencyScenario -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtestbed.repetition="$rep" -Dscenario.latency.tasks=4 "$@" > "$log" 2>&1 &
  FAULT_PID=$!
}

# await_scenario_start LOG PID: until the harness logs the scenario's start (or Maven ends).
await_scenario_start() {
  local log=$1 pid=$2
  for _ in $(seq 1 600); do
    grep -q 'scenario .* starting' "$log" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

# scenario_status RUN_DIR REPETITION: "status: reason" of scheduling-latency on swarm.
scenario_status() {
  python3 - "$1/summary.json" "$2" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for o in s["orchestrators"]:
    for sc in o["scenarios"]:
        if o["name"] == "swarm" and sc["scenario"] == "scheduling-latency" and int(sc.get("repetition") or 1) == int(sys.argv[2]):
            print(sc["status"] + ": " + (sc.get("reason") or "")[:300]); sys.exit(0)
print("missing: no result recorded")
PY
}

faults_swarm() {
  local run_dir run_id failed=0 log mvn_pid mgr outcome unrelated
  # shellcheck source=../swarm/nodes.sh
  source "$INFRA_DIR/swarm/nodes.sh"
  run_dir=$(new_run_dir faults); run_id=$(basename "$run_dir")
  local logs="$TESTBED_STATE_DIR/faults/$run_id"
  mkdir -p "$logs"
  log "fault group on swarm (run $run_id; Maven's output in $logs)"

  # 1. The manager's engine paused (SIGSTOP) mid-scenario for longer than the health budget, then resumed.
  log=$logs/manager-paused.log
  fault_scenario "$run_id" "$log" 1 -Dscenario.latency.taskSeconds=60 -Dtestbed.health.budgetSeconds=10 -Dtestbed.health.intervalMillis=1000
  mvn_pid=$FAULT_PID
  if await_scenario_start "$log" "$mvn_pid" && mgr=$(pidfile_pid "$(node_pidfile "$SWARM_MANAGER")" "$(node_match "$SWARM_MANAGER")"); then
    sleep 5; kill -STOP "$mgr"; sleep 20; kill -CONT "$mgr"
  else
    warn "fault manager-paused: the scenario did not start or the manager's pid is unknown (see $log)"
  fi
  wait "$mvn_pid" || true
  outcome=$(scenario_status "$run_dir" 1)
  echo "fault manager-paused (SIGSTOP 20 s, budget 10 s): $outcome"
  [[ "$outcome" == "broken: testbed outage: "* ]] || { warn "fault manager-paused: expected 'broken: testbed outage: ...'"; failed=1; }

  # 2. A worker node killed outside the failure scenario, and 3. its pidfile then naming a live unrelated process.
  log=$logs/node-killed.log
  # Swarm keeps the tasks of a dead node "running" (it orphans them only after 24 h): the scenario ends at its timeout
  fault_scenario "$run_id" "$log" 2 -Dscenario.latency.taskSeconds=40 -Dscenario.timeout.s=60
  mvn_pid=$FAULT_PID
  if await_scenario_start "$log" "$mvn_pid"; then sleep 5; "$INFRA_DIR/swarm/node.sh" stop co-w1; fi
  wait "$mvn_pid" || true
  outcome=$(scenario_status "$run_dir" 2)
  echo "fault node-killed (co-w1 mid-scenario): $outcome"
  [[ "$outcome" != missing:* ]] || failed=1
  # only while co-w1 is down: its pidfile then names a live process that is not its engine (a reused pid)
  "$INFRA_DIR/swarm/node.sh" stop co-w1
  sleep 600 & unrelated=$!
  echo "$unrelated" > "$(node_pidfile co-w1)"
  "$INFRA_DIR/swarm/node.sh" start co-w1 || { warn "fault stale-pidfile: co-w1 did not start"; failed=1; }
  if kill -0 "$unrelated" 2>/dev/null; then
    echo "fault stale-pidfile (co-w1's pidfile named pid $unrelated, a sleep): the sleep is alive, co-w1 $(node_docker co-w1 info --format 'swarm {{.Swarm.LocalNodeState}}' 2>&1)"
  else
    echo "fault stale-pidfile: the unrelated process $unrelated was killed"; failed=1
  fi
  kill "$unrelated" 2>/dev/null || true

  # after every fault: nothing of a finished run left, the run folder verifies
  local left
  left=$(node_docker "$SWARM_MANAGER" service ls --filter "label=computeops.io/run-id=$run_id" -q | wc -l)
  left=$((left + $(node_docker "$SWARM_MANAGER" config ls --filter "label=computeops.io/run-id=$run_id" -q | wc -l)))
  echo "fault group: $left object(s) of run $run_id left on the swarm"
  [ "$left" = 0 ] || failed=1
  results_cli verify "$run_dir" || failed=1
  [ -f "$run_dir/summary.json" ] || failed=1
  return $failed
}

# --- Kubernetes (issue 12, item 7): kube-apiserver and etcd each paused for 20 s ----------------------
# k8s_fault_run NAME REPETITION COMPONENT: the scheduling-latency scenario, small, on the local
# Kubernetes testbed; 5 s after it starts, COMPONENT (its pid from the testbed's pidfile, checked
# against its command line) is paused with SIGSTOP for 20 s and resumed with SIGCONT. The health
# budget is 10 s, so the scenario either passes (the outage did not reach a wait) or ends
# "broken: testbed outage" with the outage's start and length. Prints "fault NAME: OUTCOME".
k8s_fault_run() {
  local name=$1 rep=$2 comp=$3 log pid mvn_pid outcome
  log=$K8S_FAULT_LOGS/$name.log
  run_scenarios kubernetes "$K8S_FAULT_RUN" -Dit.test=SchedulingLatencyScenario -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtestbed.repetition="$rep" -Dscenario.latency.tasks=4 -Dscenario.latency.taskSeconds=40 \
    -Dtestbed.health.budgetSeconds=10 -Dtestbed.health.intervalMillis=1000 > "$log" 2>&1 &
  mvn_pid=$!
  if await_scenario_start "$log" "$mvn_pid" && pid=$(pidfile_pid "$(comp_pidfile "$comp")" "$(comp_match "$comp")"); then
    sleep 5
    kill -STOP "$pid"; log "fault $name: $comp (pid $pid) paused at $(date -u +%T)"
    sleep 20
    kill -CONT "$pid"; log "fault $name: $comp resumed at $(date -u +%T)"
  else
    warn "fault $name: the scenario did not start or $comp's pid is unknown (see $log)"
  fi
  wait "$mvn_pid" || true
  outcome=$(k8s_scenario_status "$K8S_FAULT_DIR" "$rep")
  echo "fault $name ($comp SIGSTOP 20 s, health budget 10 s): $outcome"
  case "$outcome" in
    passed:*|"broken: testbed outage: "*) return 0 ;;
    *) warn "fault $name: expected 'passed' or 'broken: testbed outage: ...' (see $log)"; return 1 ;;
  esac
}

# k8s_scenario_status RUN_DIR REPETITION: "status: reason" of scheduling-latency on kubernetes.
k8s_scenario_status() {
  python3 - "$1/summary.json" "$2" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    print("missing: summary.json unreadable (%s)" % e); sys.exit(0)
for o in s["orchestrators"]:
    for sc in o["scenarios"]:
        if o["name"] == "kubernetes" and sc["scenario"] == "scheduling-latency" and int(sc.get("repetition") or 1) == int(sys.argv[2]):
            print(sc["status"] + ": " + (sc.get("reason") or "")[:300]); sys.exit(0)
print("missing: no result recorded")
PY
}

faults_kubernetes() {
  local failed=0 left
  # shellcheck source=../kubernetes/versions.sh
  source "$INFRA_DIR/kubernetes/versions.sh"
  # shellcheck source=../kubernetes/env.sh
  source "$INFRA_DIR/kubernetes/env.sh"
  # shellcheck source=../kubernetes/components.sh
  source "$INFRA_DIR/kubernetes/components.sh"
  # run ids are at most 32 characters: "faults-k8s-" + the UTC time
  K8S_FAULT_DIR=$(new_run_dir faults-k8s) && [ -n "$K8S_FAULT_DIR" ] || { warn "fault group on kubernetes: no run folder"; return 1; }
  K8S_FAULT_RUN=$(basename "$K8S_FAULT_DIR")
  K8S_FAULT_LOGS="$TESTBED_STATE_DIR/faults/$K8S_FAULT_RUN"
  mkdir -p "$K8S_FAULT_LOGS"
  log "fault group on kubernetes (run $K8S_FAULT_RUN; Maven's output in $K8S_FAULT_LOGS)"
  k8s_fault_run apiserver-paused 1 kube-apiserver || failed=1
  # the API server answers again before the next fault (and before the leftover check)
  ( wait_for 60 "kube-apiserver /readyz" kapi -f -o /dev/null "$K8S_API_URL/readyz" ) || failed=1
  k8s_fault_run etcd-paused 2 etcd || failed=1
  ( wait_for 60 "kube-apiserver /readyz" kapi -f -o /dev/null "$K8S_API_URL/readyz" ) || failed=1
  # nothing of the run left: its namespaces (by the run-id label) gone or going
  left=$(kapi -f "$K8S_API_URL/api/v1/namespaces?labelSelector=computeops.io/run-id%3D$K8S_FAULT_RUN" \
    | jq '[.items[] | select(.status.phase != "Terminating")] | length' || echo unknown)
  echo "fault group: $left namespace(s) of run $K8S_FAULT_RUN left on kubernetes (Terminating ones excluded)"
  [ "$left" = 0 ] || failed=1
  results_cli verify "$K8S_FAULT_DIR" || failed=1
  [ -f "$K8S_FAULT_DIR/summary.json" ] || failed=1
  return $failed
}
