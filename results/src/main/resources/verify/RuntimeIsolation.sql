-- isolation_*[${runtime}]: the isolation probe's row of ${samples}, one value per column (true = 1, false = 0).
WITH r AS (SELECT * FROM read_csv('${run_dir}/${samples}', header = true, all_varchar = true) WHERE runtime = '${runtime}'),
u AS (UNPIVOT r ON uid_inside, host_uid, cap_count, host_pids_visible, host_network, user_namespace INTO NAME col VALUE v)
SELECT 'isolation_' || col || '[${runtime}]' AS name, 1 AS n, 0 AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90,
       NULL::DOUBLE AS p99, NULL::DOUBLE AS max,
       CASE v WHEN 'true' THEN 1.0 WHEN 'false' THEN 0.0 ELSE CAST(v AS DOUBLE) END AS value FROM u;
