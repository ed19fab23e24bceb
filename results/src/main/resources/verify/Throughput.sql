-- Throughput: tasks reaching ${phase} per second, overall (arrivals / (last arrival - first submit
-- issued), in s) and at peak (most arrivals within any ${window_ms} ms window, per second), with
-- arrivals on the recorded ${clock} clock (a whole-second stamp does not count) and on the client
-- clock (_client). Rounded to 3 decimals; tasks without an arrival are errors.
WITH arrivals AS (
  SELECT 'recorded' AS which, t.k,
         (SELECT CASE WHEN '${clock}' = 'SERVER' THEN (CASE WHEN p.stamp = 'whole-second' THEN NULL ELSE p.server END) ELSE p.observed END
            FROM scenario_phases p WHERE p.k = t.k AND p.phase = '${phase}') AS instant
  FROM scenario_tasks t
  UNION ALL
  SELECT 'client', t.k, (SELECT p.observed FROM scenario_phases p WHERE p.k = t.k AND p.phase = '${phase}') FROM scenario_tasks t
), windowed AS (
  SELECT which, instant, count(*) OVER (PARTITION BY which ORDER BY epoch_ns(instant)
         RANGE BETWEEN ${window_ms} * 1000000 - 1 PRECEDING AND CURRENT ROW) AS in_window
  FROM arrivals WHERE instant IS NOT NULL
), stats AS (
  SELECT w.which, (SELECT count(*) FROM arrivals a WHERE a.which = w.which AND a.instant IS NOT NULL) AS n,
         (SELECT count(*) FROM arrivals a WHERE a.which = w.which AND a.instant IS NULL) AS errors,
         max(w.instant) AS last_at, max(w.in_window) AS busiest
  FROM windowed w GROUP BY w.which
), first_submit AS (SELECT min(ts(submit_started_at)) AS s FROM scenario_tasks),
clocks AS (SELECT * FROM (VALUES ('recorded', ''), ('client', '_client')) c(which, suffix))
SELECT 'throughput_tasks_per_s' || c.suffix AS name, coalesce(st.n, 0) AS n,
       coalesce(st.errors, (SELECT count(*) FROM scenario_tasks)) AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90,
       NULL::DOUBLE AS p99, NULL::DOUBLE AS max,
       CASE WHEN st.n IS NULL OR f.s IS NULL THEN 0.0
            WHEN epoch_ns(st.last_at) - epoch_ns(f.s) > 0 THEN round(st.n / ((epoch_ns(st.last_at) - epoch_ns(f.s)) / 1e9), 3)
            ELSE 0.0 END AS value
FROM clocks c LEFT JOIN stats st ON st.which = c.which, first_submit f
UNION ALL
SELECT 'throughput_peak_tasks_per_s' || c.suffix, coalesce(st.n, 0), coalesce(st.errors, (SELECT count(*) FROM scenario_tasks)),
       NULL, NULL, NULL, NULL,
       CASE WHEN st.n IS NULL OR f.s IS NULL THEN 0.0 ELSE round(st.busiest / (${window_ms} / 1000.0), 3) END
FROM clocks c LEFT JOIN stats st ON st.which = c.which, first_submit f;
