-- file_read_mib_s[${runtime}, cold|warm]: bytes / 2^20 / the median of the reads' seconds (cold: page cache
-- dropped before; warm: right after), over the rows of ${samples}.
WITH r AS (SELECT CAST(bytes AS BIGINT) AS bytes, CAST(cold_s AS DOUBLE) AS cold, CAST(warm_s AS DOUBLE) AS warm
           FROM read_csv('${run_dir}/${samples}', header = true, all_varchar = true) WHERE runtime = '${runtime}'),
a AS (SELECT count(*) AS n, any_value(bytes) / 1048576.0 AS mib, median(cold) AS cold, median(warm) AS warm FROM r)
SELECT 'file_read_mib_s[${runtime}, cold]' AS name, n, 0 AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90,
       NULL::DOUBLE AS p99, NULL::DOUBLE AS max, round(mib / cold, 3) AS value FROM a WHERE n > 0
UNION ALL SELECT 'file_read_mib_s[${runtime}, warm]', n, 0, NULL, NULL, NULL, NULL, round(mib / warm, 3) FROM a WHERE n > 0;
