-- observation_lag_ms[phase]: for each phase in ${phases}, this client's receive time minus the
-- orchestrator's sub-second stamp of the same change; tasks that reached the phase without a
-- sub-second stamp (or without an observation) are errors. Nearest-rank quantiles.
WITH wanted AS (SELECT unnest(string_split('${phases}', ',')) AS phase),
lags AS (
  SELECT p.phase, CASE WHEN p.stamp = 'sub-second' AND p.observed IS NOT NULL THEN ms_between(p.server, p.observed) END AS ms
  FROM scenario_phases p JOIN wanted w ON p.phase = w.phase
), agg AS (
  SELECT phase, count(ms) AS n, count(*) - count(ms) AS errors, list_sort(list(ms) FILTER (WHERE ms IS NOT NULL)) AS v
  FROM lags GROUP BY phase
)
SELECT 'observation_lag_ms[' || lower(phase) || ']' AS name, n, errors,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 50), 3) END AS p50, CASE WHEN n > 0 THEN round(nearest_rank(v, 90), 3) END AS p90,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 99), 3) END AS p99, CASE WHEN n > 0 THEN round(v[len(v)], 3) END AS max,
       NULL::DOUBLE AS value
FROM agg;
