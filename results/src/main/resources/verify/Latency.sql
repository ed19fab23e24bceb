-- Latency: per task, from the submit call issued (or from phase ${from}) to phase ${to}, in ms.
-- An end on the SERVER clock is the orchestrator's stamp unless it is whole-second; on the CLIENT
-- clock, when this client saw it. Missing or negative: an error, never a value. Two figures: the
-- ends on their recorded clocks, and the twin with both ends on the client clock (_client_ms).
-- Quantiles: nearest rank, ceil(p/100 * n)-th smallest; values rounded to the microsecond.
WITH covered AS (
  SELECT * FROM scenario_tasks
  WHERE '${tasks}' = 'ALL' OR ('${tasks}' = 'GPU' AND CAST(gpus AS INTEGER) > 0) OR ('${tasks}' = 'CPU' AND CAST(gpus AS INTEGER) = 0)
), ends AS (
  SELECT c.k,
    CASE WHEN '${from}' = 'SUBMIT_ISSUED' THEN ts(c.submit_started_at)
         ELSE (SELECT CASE WHEN '${from_clock}' = 'SERVER' THEN (CASE WHEN p.stamp = 'whole-second' THEN NULL ELSE p.server END) ELSE p.observed END
               FROM scenario_phases p WHERE p.k = c.k AND p.phase = '${from}') END AS start_recorded,
    CASE WHEN '${from}' = 'SUBMIT_ISSUED' THEN ts(c.submit_started_at)
         ELSE (SELECT p.observed FROM scenario_phases p WHERE p.k = c.k AND p.phase = '${from}') END AS start_client,
    (SELECT CASE WHEN '${to_clock}' = 'SERVER' THEN (CASE WHEN p.stamp = 'whole-second' THEN NULL ELSE p.server END) ELSE p.observed END
       FROM scenario_phases p WHERE p.k = c.k AND p.phase = '${to}') AS end_recorded,
    (SELECT p.observed FROM scenario_phases p WHERE p.k = c.k AND p.phase = '${to}') AS end_client
  FROM covered c
), readings AS (
  SELECT 'recorded' AS which, CASE WHEN ms_between(start_recorded, end_recorded) >= 0 THEN ms_between(start_recorded, end_recorded) END AS ms FROM ends
  UNION ALL
  SELECT 'client', CASE WHEN ms_between(start_client, end_client) >= 0 THEN ms_between(start_client, end_client) END FROM ends
), per_figure AS (
  SELECT which, count(ms) AS n, count(*) - count(ms) AS errors, list_sort(list(ms) FILTER (WHERE ms IS NOT NULL)) AS v
  FROM readings GROUP BY which
), names AS (
  SELECT CASE '${tasks}' WHEN 'GPU' THEN 'gpu_task_' WHEN 'CPU' THEN 'cpu_task_' ELSE '' END
         || CASE WHEN '${from}' = 'SUBMIT_ISSUED' THEN 'submit' ELSE lower('${from}') END || '_to_' || lower('${to}') AS base
)
SELECT base || CASE which WHEN 'recorded' THEN '_ms' ELSE '_client_ms' END AS name, n, errors,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 50), 3) END AS p50,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 90), 3) END AS p90,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 99), 3) END AS p99,
       CASE WHEN n > 0 THEN round(v[len(v)], 3) END AS max,
       NULL::DOUBLE AS value
FROM per_figure, names
-- a scenario with no task still has both figures: n = 0
UNION ALL
SELECT base || suffix, 0, 0, NULL, NULL, NULL, NULL, NULL FROM names, (VALUES ('_ms'), ('_client_ms')) s(suffix)
WHERE NOT EXISTS (SELECT 1 FROM per_figure);
