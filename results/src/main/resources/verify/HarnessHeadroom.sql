-- The harness's headroom probe, from its sample files. harness_submit_calls_per_s: calls with ok = true /
-- (last end_us - first start_us) in seconds, over all calls of ${submit}; harness_submit_call_ms: nearest-rank
-- quantiles of (end_us - start_us) / 1000 over the ok calls; harness_observer_changes_per_s: sum(changes) /
-- sum(end_us - start_us) in seconds over ${observer}; harness_server_cpu_cores, harness_client_cpu_cores:
-- server_cpu_s and client_cpu_s / wall_s of ${cpu} (the server's only where it was read).
WITH c AS (
  SELECT ok = 'true' AS ok, CAST(start_us AS DOUBLE) AS s, CAST(end_us AS DOUBLE) AS e
  FROM read_csv('${run_dir}/${submit}', header = true, all_varchar = true)
), cagg AS (
  SELECT count(*) FILTER (WHERE ok) AS n, count(*) FILTER (WHERE NOT ok) AS errors, (max(e) - min(s)) / 1e6 AS span,
         list_sort(list((e - s) / 1000.0) FILTER (WHERE ok)) AS v
  FROM c
), o AS (
  SELECT sum(CAST(changes AS BIGINT)) AS n, sum(CAST(end_us AS DOUBLE) - CAST(start_us AS DOUBLE)) / 1e6 AS busy
  FROM read_csv('${run_dir}/${observer}', header = true, all_varchar = true)
), u AS (
  SELECT CAST(wall_s AS DOUBLE) AS wall, server_cpu_s, CAST(client_cpu_s AS DOUBLE) AS client
  FROM read_csv('${run_dir}/${cpu}', header = true, all_varchar = true) LIMIT 1
)
SELECT 'harness_submit_calls_per_s' AS name, n, errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90, NULL::DOUBLE AS p99,
       NULL::DOUBLE AS max, CASE WHEN span > 0 THEN round(n / span, 3) END AS value FROM cagg
UNION ALL
SELECT 'harness_submit_call_ms', n, errors,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 50), 3) END, CASE WHEN n > 0 THEN round(nearest_rank(v, 90), 3) END,
       CASE WHEN n > 0 THEN round(nearest_rank(v, 99), 3) END, CASE WHEN n > 0 THEN round(v[len(v)], 3) END, NULL FROM cagg
UNION ALL
SELECT 'harness_observer_changes_per_s', n, 0, NULL, NULL, NULL, NULL, CASE WHEN busy > 0 THEN round(n / busy, 3) END FROM o
UNION ALL
SELECT 'harness_server_cpu_cores', cagg.n, 0, NULL, NULL, NULL, NULL,
       CASE WHEN coalesce(server_cpu_s, '') <> '' THEN round(CAST(server_cpu_s AS DOUBLE) / wall, 3) END FROM u, cagg
UNION ALL
SELECT 'harness_client_cpu_cores', cagg.n, 0, NULL, NULL, NULL, NULL, round(client / wall, 3) FROM u, cagg;
