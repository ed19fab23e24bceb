-- submit_call_ms: per deployment, submit call issued -> returned (client clock); nearest-rank quantiles.
WITH calls AS (
  SELECT deployment, ms_between(ts(any_value(submit_started_at)), ts(any_value(submitted_at))) AS ms
  FROM scenario_tasks GROUP BY deployment
), agg AS (SELECT count(ms) AS n, count(*) - count(ms) AS errors, list_sort(list(ms) FILTER (WHERE ms IS NOT NULL)) AS v,
                  count(*) AS deployments FROM calls)
SELECT 'submit_call_ms' AS name, n, errors,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 50), 3) END AS p50, CASE WHEN n > 0 THEN round(nearest_rank(v, 90), 3) END AS p90,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 99), 3) END AS p99, CASE WHEN n > 0 THEN round(v[len(v)], 3) END AS max,
       NULL::DOUBLE AS value
FROM agg WHERE deployments > 0;
