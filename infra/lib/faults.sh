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

# scenario_status RUN_DIR REPETITION ORCHESTRATOR: "status: reason" of scheduling-latency there.
scenario_status() {
  python3 - "$1/summary.json" "$2" "$3" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    print("missing: summary.json unreadable (%s)" % e); sys.exit(0)
for o in s["orchestrators"]:
    for sc in o["scenarios"]:
        if o["name"] == sys.argv[3] and sc["scenario"] == "scheduling-latency" and int(sc.get("repetition") or 1) == int(sys.argv[2]):
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
  outcome=$(scenario_status "$run_dir" 1 swarm)
  echo "fault manager-paused (SIGSTOP 20 s, budget 10 s): $outcome"
  [[ "$outcome" == "broken: testbed outage: "* ]] || { warn "fault manager-paused: expected 'broken: testbed outage: ...'"; failed=1; }

  # 2. A worker node killed outside the failure scenario, and 3. its pidfile then naming a live unrelated process.
  log=$logs/node-killed.log
  # Swarm keeps the tasks of a dead node "running" (it orphans them only after 24 h): the scenario ends
  # at its timeout, and its status names the lost node (the harness lists the nodes when a wait runs out)
  fault_scenario "$run_id" "$log" 2 -Dscenario.latency.taskSeconds=40 -Dscenario.timeout.s=60
  mvn_pid=$FAULT_PID
  if await_scenario_start "$log" "$mvn_pid"; then sleep 5; "$INFRA_DIR/swarm/node.sh" stop co-w1; fi
  wait "$mvn_pid" || true
  outcome=$(scenario_status "$run_dir" 2 swarm)
  echo "fault node-killed (co-w1 mid-scenario): $outcome"
  [[ "$outcome" == "broken: testbed fault: swarm lost node co-w1"* ]] || { warn "fault node-killed: expected 'broken: testbed fault: swarm lost node co-w1 ...'"; failed=1; }
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

# --- SIGINT and SIGKILL of `infra/testbed compare` at each stage, then a new run (issue 12, item 7) ---
# Against the local Slurm testbed (the quickest): each pass starts `infra/testbed compare slurm` in a
# session of its own, small (one repetition of the scheduling-latency scenario only: the signal
# handling does not depend on which scenario runs, and a full repetition takes minutes), waits for a
# stage, and signals it: INT to its whole process group (a Ctrl-C in a terminal), or KILL to the
# group (a crash: the script, Maven and the JVMs die at once, the lock file stays). Each pass is the
# "new run" after the pass before it; a last run goes to the end. After each INT: exit 130, the
# testbed still up (every node idle or busy), "what remains" printed, the run folder there and,
# where it has results, summary.json and tasks.csv read and verify with no problem. After each pass:
# no unfinished job of an earlier interrupted run (cancelled as leftovers by the next run's start).
# At the end a new run takes the stale lock of the last pass over with a warning and succeeds. The caller's testbed lock is handed to each compare (the lock
# file rewritten to name it, before it starts) and back after it, so that no other command gets in
# between and a KILLed compare leaves a lock naming itself, as a crashed one would; the last run is
# started without it and must take that stale lock over.
SIGNAL_ARGS=(-Dscenario.repetitions=1 -Dit.test=SchedulingLatencyScenario -Dscenario.latency.tasks=3
  -Dscenario.latency.taskSeconds=1 -Dscenario.timeout.s=120 -Dtestbed.leftovers.minAgeSeconds=5 -Dscale.simulatedTier=false)

# signal_stage_reached STAGE LOG SID: the compare in session SID is at STAGE (up, scenario, default, report).
signal_stage_reached() {
  local stage=$1 log=$2 sid=$3
  case "$stage" in
    up) ps -s "$sid" -o args= 2>/dev/null | grep -q 'slurm/up\.sh' ;;
    scenario) grep -q 'scenario .* starting' "$log" 2>/dev/null ;;
    default) grep -q "failure detection back to each orchestrator's default" "$log" 2>/dev/null \
               && [ "$(grep -c 'scenario .* starting' "$log")" -ge 2 ] ;;
    report) ps -s "$sid" -o args= 2>/dev/null | grep -q 'ResultsCli publish' ;;
  esac
}

# lock_hand_to PID COMMAND: the testbed lock this process holds, rewritten (atomically) to name PID.
lock_hand_to() {
  local tmp="$TESTBED_LOCK.$$.handover"
  printf 'pid=%s\ncommand=%s\nrunId=-\nstarted=%s\ndir=%s\n' "$1" "$2" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$REPO_DIR" > "$tmp"
  mv -f "$tmp" "$TESTBED_LOCK"
}

# signal_pass SIGNAL STAGE LOG HANDOVER [ARGS...]: one compare signalled at STAGE (HANDOVER=1: it gets
# this process's lock); sets PASS_RUN (its run id, or empty), PASS_RC (its exit code) and
# PASS_REACHED (1 when the stage was reached and signalled).
signal_pass() {
  local sig=$1 stage=$2 log=$3 handover=$4 sid before; shift 4
  before=$(ls "$REPO_DIR/results/runs" 2>/dev/null || true)
  # Its own session and process group; INT and QUIT back to their defaults, as in a terminal (bash
  # starts a background job with them ignored, and a signal ignored at a shell's start cannot be
  # trapped). With a handover it waits (before exec) until the lock names it, and sees it as its
  # own through TESTBED_LOCK_PID: it neither takes nor releases it.
  env -u TESTBED_LOCK_PID TESTBED_PREBUILT=1 python3 -c 'import os, signal, sys, time
for s in (signal.SIGINT, signal.SIGQUIT): signal.signal(s, signal.SIG_DFL)
os.setsid()
if sys.argv[2] == "1":
    os.environ["TESTBED_LOCK_PID"] = str(os.getpid())
    for _ in range(200):
        try:
            if "pid=%d\n" % os.getpid() in open(sys.argv[1]).read(): break
        except OSError: pass
        time.sleep(0.05)
os.execv(sys.argv[3], sys.argv[3:])' "$TESTBED_LOCK" "$handover" "$INFRA_DIR/testbed" compare slurm "${SIGNAL_ARGS[@]}" "$@" > "$log" 2>&1 < /dev/null &
  sid=$!
  [ "$handover" != 1 ] || lock_hand_to "$sid" compare
  PASS_REACHED=0; PASS_RC=0
  if [ "$stage" != none ]; then
    for _ in $(seq 1 1500); do
      if signal_stage_reached "$stage" "$log" "$sid"; then PASS_REACHED=1; break; fi
      kill -0 "$sid" 2>/dev/null || break
      sleep 0.2
    done
  fi
  if [ "$PASS_REACHED" = 1 ]; then
    [ "$stage" = up ] || [ "$stage" = report ] || sleep 2   # inside the scenario (its tasks run 8 s there)
    kill -"$sig" -- "-$sid" 2>/dev/null || true
  fi
  while :; do
    wait "$sid" && PASS_RC=0 || PASS_RC=$?
    kill -0 "$sid" 2>/dev/null || break
    # this command itself was interrupted (its trap ran): the compare stops too
    [ -z "$INTERRUPTED" ] || kill -TERM -- "-$sid" 2>/dev/null || true
  done
  # the run id its scenarios ran under; else a folder that appeared (a run cut before its first
  # scenario has none: new-run only reserves the id)
  PASS_RUN=$(sed -n 's/.*running the scenarios on slurm (run \([^)]*\)).*/\1/p' "$log" | head -1)
  [ -n "$PASS_RUN" ] || PASS_RUN=$(comm -13 <(echo "$before") <(ls "$REPO_DIR/results/runs" 2>/dev/null) | grep compare | tail -1 || true)
}

# check_partial_run RUN_ID: the folder exists; summary.json and tasks.csv, where written, read and
# verify with no problem (a run cut before its first result has nothing to verify). Prints one line.
check_partial_run() {
  local dir="$REPO_DIR/results/runs/$1" out
  [ -n "$1" ] || { echo "nothing measured yet, so no run folder (new-run only reserves the id)"; return 0; }
  [ -d "$dir" ] || { echo "run $1 has no folder"; return 1; }
  if [ ! -f "$dir/summary.json" ]; then
    [ ! -f "$dir/tasks.csv" ] || { echo "tasks.csv without summary.json"; return 1; }
    echo "run folder $1 without results yet"; return 0
  fi
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dir/summary.json" || { echo "summary.json does not parse"; return 1; }
  out=$(results_cli verify "$dir" 2>&1 | tail -3)
  # verify refuses a run without figures (exit 1) but must find no problem in what was written
  if grep -q ', 0 problem(s)' <<< "$out"; then
    echo "run folder $1: $(grep -o '[0-9]* figures rebuilt' <<< "$out" | head -1), $(grep -o 'from [0-9]* task rows' <<< "$out"), 0 problems"
    return 0
  fi
  echo "run folder $1 does not verify: $out"; return 1
}

# slurm_up_ok: every daemon answers and no node is down or drained.
slurm_up_ok() {
  # shellcheck source=../slurm/env.sh
  ( source "$INFRA_DIR/slurm/env.sh"; slurm_env
    states=$(sinfo -h -N -o '%N %T' 2>&1 | sort -u) || { echo "sinfo failed: $states"; exit 1; }
    bad=$(grep -Ev ' (idle|allocated|mixed|completing)$' <<< "$states" || true)
    [ -z "$bad" ] || { echo "nodes not up: $(tr '\n' ' ' <<< "$bad")"; exit 1; }
    echo "slurm up ($(wc -l <<< "$states") nodes idle or busy)" )
}

# slurm_jobs_of RUN_ID...: unfinished Slurm jobs of these runs (squeue lists pending and running ones).
slurm_jobs_of() {
  ( source "$INFRA_DIR/slurm/env.sh"; slurm_env
    squeue -h -o '%i %T %k' | while read -r id state comment; do
      for r in "$@"; do [[ " $comment " == *"=$r "* ]] && echo "$id $state $r"; done
    done )
}

faults_compare_signals() {
  local logs="$TESTBED_STATE_DIR/faults/signals-$(date -u +%Y%m%d-%H%M%S)" failed=0 sig stage line runs=() started=$SECONDS
  # TESTBED_SIGNAL_PASSES picks some (in order; 610 s for all eight here, about 7 min without the *:default ones)
  local left pass passes
  read -ra passes <<< "${TESTBED_SIGNAL_PASSES:-INT:up INT:scenario INT:default INT:report KILL:up KILL:scenario KILL:default KILL:report}"
  for pass in "${passes[@]}"; do
    [[ "$pass" =~ ^(INT|KILL):(up|scenario|default|report)$ ]] \
      || die "TESTBED_SIGNAL_PASSES: '$pass' is not SIGNAL:STAGE (SIGNAL: INT or KILL; STAGE: up, scenario, default or report)"
  done
  mkdir -p "$logs"
  log "SIGINT and SIGKILL of 'infra/testbed compare slurm' at each stage, then a new run (logs in $logs)"
  for pass in "${passes[@]}"; do
      sig=${pass%%:*} stage=${pass#*:}
      [ -z "$INTERRUPTED" ] || break
      # signalled 2 s into a scenario whose tasks run 8 s; killed in its scenario, a run leaves 90-s
      # jobs running: the next run must cancel them
      case "$pass" in
        KILL:scenario) signal_pass "$sig" "$stage" "$logs/$sig-$stage.log" 1 -Dscenario.latency.taskSeconds=90 ;;
        *:scenario|*:default) signal_pass "$sig" "$stage" "$logs/$sig-$stage.log" 1 -Dscenario.latency.taskSeconds=8 ;;
        *) signal_pass "$sig" "$stage" "$logs/$sig-$stage.log" 1 ;;
      esac
      # back to this process, except after the last pass: its stale lock is the new run's to take over
      [ "$pass" = "${passes[-1]}" ] || lock_hand_to $$ faults
      [ -z "$PASS_RUN" ] || runs+=("$PASS_RUN")
      line="fault compare-$sig-at-$stage:"
      if [ "$PASS_REACHED" != 1 ]; then
        echo "$line the stage was not reached (exit $PASS_RC; $logs/$sig-$stage.log)"; failed=1; continue
      fi
      if [ "$sig" = INT ]; then
        [ "$PASS_RC" = 130 ] || { line+=" exit $PASS_RC (expected 130)"; failed=1; }
        line+=" $(check_partial_run "$PASS_RUN")" || failed=1
        line+="; $(slurm_up_ok)" || failed=1
        grep -q 'what remains' "$logs/$sig-$stage.log" || { line+="; no 'what remains'"; failed=1; }
      else
        line+=" killed (exit $PASS_RC); $(check_partial_run "$PASS_RUN")" || failed=1
      fi
      # the jobs of the runs interrupted before this one: cancelled by this run's start at the latest
      if [ ${#runs[@]} -gt 1 ]; then
        left=$(slurm_jobs_of "${runs[@]:0:${#runs[@]}-1}")
        [ -z "$left" ] || { line+="; jobs of earlier runs left: $(tr '\n' ' ' <<< "$left")"; failed=1; }
      fi
      echo "$line"
  done
  [ -z "$INTERRUPTED" ] || { [ "$(lock_field pid)" = $$ ] || lock_hand_to $$ faults; return 1; }
  # the new run after the last pass: takes its stale lock over, succeeds, leaves nothing of the others
  signal_pass NONE none "$logs/new-run.log" 0
  line="fault compare-new-run: exit $PASS_RC"
  [ "$PASS_RC" = 0 ] || failed=1
  if grep -q 'taking over a stale testbed lock' "$logs/new-run.log"; then line+=", took the stale lock over"
  else line+=", no stale-lock warning"; failed=1; fi
  line+="; $(check_partial_run "$PASS_RUN")" || failed=1
  left=$(slurm_jobs_of "${runs[@]}")
  if [ -n "$left" ]; then line+="; jobs of interrupted runs left: $(tr '\n' ' ' <<< "$left")"; failed=1
  else line+="; no job of the ${#runs[@]} interrupted runs left"; fi
  echo "$line"
  echo "fault compare-signals: $((SECONDS - started)) s"
  # the new run released the lock it took over: this command holds none any more (taking it again
  # would race whoever waits for it)
  TESTBED_LOCK_OWNED=0
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
  outcome=$(scenario_status "$K8S_FAULT_DIR" "$rep" kubernetes)
  echo "fault $name ($comp SIGSTOP 20 s, health budget 10 s): $outcome"
  case "$outcome" in
    passed:*|"broken: testbed outage: "*) return 0 ;;
    *) warn "fault $name: expected 'passed' or 'broken: testbed outage: ...' (see $log)"; return 1 ;;
  esac
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
