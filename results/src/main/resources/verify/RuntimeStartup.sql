-- runtime_start_ms[${runtime}, ${mode}] (column exit_ms: run call -> exit) or runtime_first_output_ms[...]
-- (first_output_ms: run call -> first output byte), from the runtime scenarios' sample file ${samples}:
-- nearest-rank p50/p90/p99 and max over the runs with ok = true; the other runs are errors. The 95 % intervals
-- of p50 and p99 are order statistics: ranks floor(nq - 1.96 sqrt(nq(1-q))) and ceil(nq + 1.96 sqrt(nq(1-q))) + 1,
-- clipped to 1..n (the binomial's normal approximation).
WITH s AS (
  SELECT ok, CAST(CASE WHEN '${column}' = 'exit_ms' THEN exit_ms ELSE first_output_ms END AS DOUBLE) AS ms
  FROM read_csv('${run_dir}/${samples}', header = true, all_varchar = true)
  WHERE runtime = '${runtime}' AND mode = '${mode}'
), agg AS (
  SELECT count(*) FILTER (WHERE ok = 'true') AS n, count(*) FILTER (WHERE ok <> 'true') AS errors,
         list_sort(list(ms) FILTER (WHERE ok = 'true')) AS v,
         CASE WHEN '${column}' = 'exit_ms' THEN 'runtime_start_ms' ELSE 'runtime_first_output_ms' END AS base
  FROM s
), q AS (
  SELECT agg.*, p, CAST(p AS DOUBLE) / 100 AS f FROM agg, (VALUES (50), (99)) t(p) WHERE n > 0
), ranks AS (
  SELECT *, CAST(greatest(1, floor(n * f - 1.96 * sqrt(n * f * (1 - f)))) AS INTEGER) AS lo,
            CAST(least(n, ceil(n * f + 1.96 * sqrt(n * f * (1 - f))) + 1) AS INTEGER) AS hi FROM q
)
SELECT base || '[${runtime}, ${mode}]' AS name, n, errors,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 50), 3) END AS p50, CASE WHEN n > 0 THEN round(nearest_rank(v, 90), 3) END AS p90,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 99), 3) END AS p99, CASE WHEN n > 0 THEN round(v[len(v)], 3) END AS max,
       NULL::DOUBLE AS value
FROM agg
UNION ALL
SELECT base || '_p' || p || '_low[${runtime}, ${mode}]', n, errors, NULL, NULL, NULL, NULL, round(v[lo], 3) FROM ranks
UNION ALL
SELECT base || '_p' || p || '_high[${runtime}, ${mode}]', n, errors, NULL, NULL, NULL, NULL, round(v[hi], 3) FROM ranks;
