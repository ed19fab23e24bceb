-- Recovery around one node fault at ${fault_at} on node ${fault_node} (client clock):
-- recovery_s (only when a service ran: '${service}' not empty), from the fault to the first instant
-- at which ${replicas} tasks of workload ${service}, none on the stopped node, were seen running at
-- once (a task runs from its observed RUNNING until its first observed SUCCEEDED/FAILED/LOST).
-- detection_s: from the fault to the first task on the stopped node observed LOST at or after it.
-- batch_recovery_s: K = tasks of workload ${batch} on the stopped node running at the fault (RUNNING
-- observed at or before it, no end observed at or before it); from the fault to the K-th RUNNING
-- observed after it of a ${batch} task off the stopped node. All in whole milliseconds, as seconds.
-- tasks_lost: ${batch_tasks} minus the tasks of workload ${batch} that succeeded, at least 0.
WITH counted AS (
  SELECT t.k,
    (SELECT p.observed FROM scenario_phases p WHERE p.k = t.k AND p.phase = 'RUNNING') AS run_at,
    (SELECT min(p.observed) FROM scenario_phases p WHERE p.k = t.k AND p.phase IN ('SUCCEEDED', 'FAILED', 'LOST')) AS end_at
  FROM scenario_tasks t WHERE t.workload = '${service}' AND coalesce(t.node, '') <> '${fault_node}'
), candidates AS (
  SELECT DISTINCT greatest(run_at, ts('${fault_at}')) AS instant FROM counted WHERE run_at IS NOT NULL
), recovered AS (
  SELECT min(c.instant) AS instant FROM candidates c
  WHERE (SELECT count(*) FROM counted x WHERE x.run_at IS NOT NULL AND x.run_at <= c.instant AND (x.end_at IS NULL OR x.end_at > c.instant)) >= ${replicas}
), lost_on_node AS (
  SELECT p.observed AS instant FROM scenario_tasks t JOIN scenario_phases p USING (k)
  WHERE coalesce(t.node, '') = '${fault_node}' AND p.phase = 'LOST' AND p.observed >= ts('${fault_at}')
), batch AS (
  SELECT t.k, coalesce(t.node, '') AS node,
    (SELECT p.observed FROM scenario_phases p WHERE p.k = t.k AND p.phase = 'RUNNING') AS run_at,
    (SELECT min(p.observed) FROM scenario_phases p WHERE p.k = t.k AND p.phase IN ('SUCCEEDED', 'FAILED', 'LOST')) AS end_at
  FROM scenario_tasks t WHERE t.workload = '${batch}'
), on_node AS (
  SELECT count(*) AS k FROM batch WHERE node = '${fault_node}' AND run_at <= ts('${fault_at}')
    AND (end_at IS NULL OR end_at > ts('${fault_at}'))
), restarts AS (
  SELECT run_at, row_number() OVER (ORDER BY run_at) AS i FROM batch
  WHERE node <> '${fault_node}' AND run_at > ts('${fault_at}')
), batch_recovered AS (
  SELECT (SELECT k FROM on_node) AS k, (SELECT count(*) FROM restarts) AS seen,
         (SELECT r.run_at FROM restarts r WHERE r.i = (SELECT k FROM on_node)) AS instant
)
SELECT 'recovery_s' AS name, CASE WHEN r.instant IS NULL THEN 0 ELSE ${replicas} END AS n,
       CASE WHEN r.instant IS NULL THEN ${replicas} ELSE 0 END AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90, NULL::DOUBLE AS p99,
       NULL::DOUBLE AS max,
       CASE WHEN r.instant IS NOT NULL THEN floor((epoch_ns(r.instant) - epoch_ns(ts('${fault_at}'))) / 1e6) / 1000.0 END AS value
FROM recovered r WHERE '${service}' <> ''
UNION ALL
SELECT 'detection_s', (SELECT count(*) FROM lost_on_node), 0, NULL, NULL, NULL, NULL,
       (SELECT floor((epoch_ns(min(instant)) - epoch_ns(ts('${fault_at}'))) / 1e6) / 1000.0 FROM lost_on_node)
UNION ALL
SELECT 'batch_recovery_s', CASE WHEN b.instant IS NULL THEN 0 ELSE b.k END, CASE WHEN b.instant IS NULL THEN b.k ELSE 0 END,
       NULL, NULL, NULL, NULL,
       CASE WHEN b.instant IS NOT NULL AND b.k > 0 THEN floor((epoch_ns(b.instant) - epoch_ns(ts('${fault_at}'))) / 1e6) / 1000.0 END
FROM batch_recovered b
UNION ALL
SELECT 'tasks_lost', ${batch_tasks}, 0, NULL, NULL, NULL, NULL,
       CAST(greatest(0, ${batch_tasks} - (SELECT count(*) FROM scenario_tasks t JOIN scenario_phases p USING (k)
                                        WHERE t.workload = '${batch}' AND p.phase = 'SUCCEEDED')) AS DOUBLE);
