-- scale_out_s: from the scale call at ${scaled_at} to the first instant at which ${to} tasks of
-- workload ${service} were seen running at once (client clock), in whole milliseconds, as seconds.
WITH counted AS (
  SELECT t.k,
    (SELECT p.observed FROM scenario_phases p WHERE p.k = t.k AND p.phase = 'RUNNING') AS run_at,
    (SELECT min(p.observed) FROM scenario_phases p WHERE p.k = t.k AND p.phase IN ('SUCCEEDED', 'FAILED', 'LOST')) AS end_at
  FROM scenario_tasks t WHERE t.workload = '${service}'
), candidates AS (
  SELECT DISTINCT greatest(run_at, ts('${scaled_at}')) AS instant FROM counted WHERE run_at IS NOT NULL
), reached AS (
  SELECT min(c.instant) AS instant FROM candidates c
  WHERE (SELECT count(*) FROM counted x WHERE x.run_at IS NOT NULL AND x.run_at <= c.instant AND (x.end_at IS NULL OR x.end_at > c.instant)) >= ${to}
)
SELECT 'scale_out_s' AS name, CASE WHEN r.instant IS NULL THEN 0 ELSE ${to} END AS n, CASE WHEN r.instant IS NULL THEN ${to} ELSE 0 END AS errors,
       NULL::DOUBLE AS p50, NULL::DOUBLE AS p90, NULL::DOUBLE AS p99, NULL::DOUBLE AS max,
       CASE WHEN r.instant IS NOT NULL THEN floor((epoch_ns(r.instant) - epoch_ns(ts('${scaled_at}'))) / 1e6) / 1000.0 END AS value
FROM reached r;
