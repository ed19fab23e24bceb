-- interop_identical[${runtime}]: 1 when the probe's output in ${runtime} has the same SHA-256 as on the bare host;
-- interop_same_lines[${runtime}]: the same for the output with CRLF read as LF (stdout_lf_sha256).
WITH r AS (SELECT * FROM read_csv('${run_dir}/${samples}', header = true, all_varchar = true))
SELECT 'interop_identical[${runtime}]' AS name, 1 AS n, 0 AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90, NULL::DOUBLE AS p99,
       NULL::DOUBLE AS max, CASE WHEN m.stdout_sha256 = h.stdout_sha256 THEN 1.0 ELSE 0.0 END AS value
FROM r m, r h WHERE m.runtime = '${runtime}' AND h.runtime = 'host'
UNION ALL
SELECT 'interop_same_lines[${runtime}]', 1, 0, NULL, NULL, NULL, NULL, CASE WHEN m.stdout_lf_sha256 = h.stdout_lf_sha256 THEN 1.0 ELSE 0.0 END
FROM r m, r h WHERE m.runtime = '${runtime}' AND h.runtime = 'host';
