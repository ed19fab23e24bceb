-- A queue under contention: workload ${low} submitted first, then ${high} (client clock).
-- queue_wait_ms[W], per task of workload W: submit call issued (submit_started_at) -> RUNNING
-- observed; missing or negative: an error. Nearest-rank quantiles, rounded to the microsecond.
-- high_overtakes: tasks of ${high} observed RUNNING strictly before the last task of ${low} was;
-- n: ${high} tasks with a RUNNING reading, errors: those without (all of them when no ${low} task ran).
WITH starts AS (
  SELECT t.workload, ts(t.submit_started_at) AS issued,
         (SELECT p.observed FROM scenario_phases p WHERE p.k = t.k AND p.phase = 'RUNNING') AS run_at
  FROM scenario_tasks t WHERE t.workload IN ('${low}', '${high}')
), waits AS (
  SELECT workload, CASE WHEN run_at IS NOT NULL AND issued IS NOT NULL AND run_at >= issued THEN ms_between(issued, run_at) END AS ms
  FROM starts
), per_class AS (
  SELECT w.name, w.workload, count(x.ms) AS n, count(x.workload) - count(x.ms) AS errors,
         list_sort(list(x.ms) FILTER (WHERE x.ms IS NOT NULL)) AS v
  FROM (SELECT 'queue_wait_ms[${low}]' AS name, '${low}' AS workload UNION ALL SELECT 'queue_wait_ms[${high}]', '${high}') w
  LEFT JOIN waits x ON x.workload = w.workload GROUP BY w.name, w.workload
), last_low AS (
  SELECT max(run_at) AS at FROM starts WHERE workload = '${low}'
)
SELECT name, n, errors,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 50), 3) END AS p50, CASE WHEN n > 0 THEN round(nearest_rank(v, 90), 3) END AS p90,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 99), 3) END AS p99, CASE WHEN n > 0 THEN round(v[len(v)], 3) END AS max,
       NULL::DOUBLE AS value
FROM per_class
UNION ALL
SELECT 'high_overtakes',
       CASE WHEN l.at IS NULL THEN 0 ELSE (SELECT count(run_at) FROM starts WHERE workload = '${high}') END,
       CASE WHEN l.at IS NULL THEN (SELECT count(*) FROM starts WHERE workload = '${high}')
            ELSE (SELECT count(*) - count(run_at) FROM starts WHERE workload = '${high}') END,
       NULL, NULL, NULL, NULL,
       CASE WHEN l.at IS NOT NULL THEN CAST((SELECT count(*) FROM starts WHERE workload = '${high}' AND run_at < l.at) AS DOUBLE) END
FROM last_low l;
