-- footprint_pss_mib_per_container[${runtime}]: containers' PSS (KiB) / 1024 / K idle containers;
-- footprint_daemons_rss_mib[${runtime}]: the runtime's daemons' RSS (KiB) / 1024 while they ran. From ${samples}.
WITH r AS (SELECT CAST(k AS INTEGER) AS k, CAST(containers_pss_kib AS BIGINT) AS pss, CAST(daemons_rss_during_kib AS BIGINT) AS d
           FROM read_csv('${run_dir}/${samples}', header = true, all_varchar = true) WHERE runtime = '${runtime}')
SELECT 'footprint_pss_mib_per_container[${runtime}]' AS name, k AS n, 0 AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90,
       NULL::DOUBLE AS p99, NULL::DOUBLE AS max, round(pss / 1024.0 / k, 3) AS value FROM r
UNION ALL SELECT 'footprint_daemons_rss_mib[${runtime}]', k, 0, NULL, NULL, NULL, NULL, round(d / 1024.0, 3) FROM r;
