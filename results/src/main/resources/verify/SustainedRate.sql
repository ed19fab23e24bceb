-- SustainedRate: one step of a sustained-rate run, the tasks of workloads named 'rate-${rate}-...'.
-- created_to_scheduled per task (both ends on the ${clock} clock: the orchestrator's stamp unless
-- whole-second, or when this client saw it), nearest-rank quantiles; offered_per_s = tasks of every
-- submit call but the last / (last submit_started_at - first submit_started_at); scheduled_per_s = tasks with SCHEDULED / (last
-- SCHEDULED - first submit_started_at); early/late p50 = median of the first/last quarter (n / 4,
-- integer) in submit order (submit_started_at, then task_id); keeping_up = 1 when every task was
-- placed (SCHEDULED or a later phase but LOST seen: the observer can miss a short SCHEDULED), scheduled_per_s >= 0.9 x offered_per_s and late_p50 <= 2 x early_p50 + 1000.
WITH covered AS (
  SELECT *, row_number() OVER (ORDER BY ts(submit_started_at) NULLS LAST, task_id) AS pos
  FROM scenario_tasks WHERE starts_with(workload, 'rate-${rate}-')
), ends AS (
  SELECT c.k, c.pos,
    (SELECT CASE WHEN '${clock}' = 'SERVER' THEN (CASE WHEN p.stamp = 'whole-second' THEN NULL ELSE p.server END) ELSE p.observed END
       FROM scenario_phases p WHERE p.k = c.k AND p.phase = 'CREATED') AS created,
    (SELECT CASE WHEN '${clock}' = 'SERVER' THEN (CASE WHEN p.stamp = 'whole-second' THEN NULL ELSE p.server END) ELSE p.observed END
       FROM scenario_phases p WHERE p.k = c.k AND p.phase = 'SCHEDULED') AS scheduled
  FROM covered c
), readings AS (
  SELECT k, pos, scheduled, CASE WHEN ms_between(created, scheduled) >= 0 THEN ms_between(created, scheduled) END AS ms FROM ends
), totals AS (
  SELECT (SELECT count(*) FROM covered) AS n,
         (SELECT count(*) FROM covered) / 4 AS q,
         (SELECT count(*) FROM covered WHERE coalesce(submit_started_at, '') <> '') AS issued,
         (SELECT count(*) FROM covered WHERE ts(submit_started_at) < (SELECT max(ts(submit_started_at)) FROM covered)) AS submitted,
         (SELECT min(ts(submit_started_at)) FROM covered) AS first_issued,
         (SELECT max(ts(submit_started_at)) FROM covered) AS last_returned,
         (SELECT count(scheduled) FROM readings) AS n_scheduled,
         (SELECT count(*) FROM covered c WHERE EXISTS (SELECT 1 FROM scenario_phases p WHERE p.k = c.k
            AND p.phase IN ('SCHEDULED', 'STARTED', 'RUNNING', 'SUCCEEDED', 'FAILED'))) AS n_placed,
         (SELECT max(scheduled) FROM readings) AS last_scheduled,
         (SELECT list_sort(list(ms) FILTER (WHERE ms IS NOT NULL)) FROM readings) AS v
), halves AS (
  SELECT t.*,
    CASE WHEN q > 0 THEN (SELECT round(nearest_rank(list_sort(list(ms)), 50), 3) FROM readings WHERE pos <= t.q AND ms IS NOT NULL) END AS early,
    CASE WHEN q > 0 THEN (SELECT round(nearest_rank(list_sort(list(ms)), 50), 3) FROM readings WHERE pos > t.n - t.q AND ms IS NOT NULL) END AS late,
    CASE WHEN submitted > 0 AND epoch_ns(last_returned) - epoch_ns(first_issued) > 0
         THEN round(submitted / ((epoch_ns(last_returned) - epoch_ns(first_issued)) / 1e9), 3) ELSE 0.0 END AS offered,
    CASE WHEN n_scheduled > 0 AND epoch_ns(last_scheduled) - epoch_ns(first_issued) > 0
         THEN round(n_scheduled / ((epoch_ns(last_scheduled) - epoch_ns(first_issued)) / 1e9), 3) ELSE 0.0 END AS throughput
  FROM totals t
)
SELECT 'rate_${rate}_created_to_scheduled_ms' AS name, coalesce(len(v), 0) AS n, n - coalesce(len(v), 0) AS errors,
       CASE WHEN len(v) > 0 THEN round(nearest_rank(v, 50), 3) END AS p50,
       CASE WHEN len(v) > 0 THEN round(nearest_rank(v, 90), 3) END AS p90,
       CASE WHEN len(v) > 0 THEN round(nearest_rank(v, 99), 3) END AS p99,
       CASE WHEN len(v) > 0 THEN round(v[len(v)], 3) END AS max, NULL::DOUBLE AS value
FROM halves
UNION ALL SELECT 'rate_${rate}_offered_per_s', submitted, n - issued, NULL, NULL, NULL, NULL, offered FROM halves
UNION ALL SELECT 'rate_${rate}_scheduled_per_s', n_scheduled, n - n_scheduled, NULL, NULL, NULL, NULL, throughput FROM halves
UNION ALL SELECT 'rate_${rate}_early_p50_ms', q, 0, NULL, NULL, NULL, NULL, early FROM halves
UNION ALL SELECT 'rate_${rate}_late_p50_ms', q, 0, NULL, NULL, NULL, NULL, late FROM halves
UNION ALL SELECT 'rate_${rate}_keeping_up', n, 0, NULL, NULL, NULL, NULL,
       CASE WHEN n > 0 AND n_placed = n AND throughput >= 0.9 * offered
                 AND (early IS NULL OR late IS NULL OR late <= 2 * early + 1000) THEN 1.0 ELSE 0.0 END FROM halves;
