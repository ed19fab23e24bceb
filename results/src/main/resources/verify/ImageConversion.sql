-- conversion_s[STEP] and conversion_bytes[STEP]: each prepare-image.sh step's wall time and output size (${samples}).
WITH r AS (SELECT * FROM read_csv('${run_dir}/${samples}', header = true, all_varchar = true))
SELECT 'conversion_s[' || step || ']' AS name, 1 AS n, 0 AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90, NULL::DOUBLE AS p99,
       NULL::DOUBLE AS max, CAST(seconds AS DOUBLE) AS value FROM r
UNION ALL SELECT 'conversion_bytes[' || step || ']', 1, 0, NULL, NULL, NULL, NULL, CAST(bytes AS DOUBLE) FROM r;
