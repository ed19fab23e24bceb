-- compute_ratio[${runtime}]: the kernel's seconds inside the runtime / on the bare host, per interleaved pair of
-- ${samples}; the median of the pair ratios (mean of the middle two for an even count) and its distribution-free
-- interval [x(k), x(n+1-k)] for the largest k whose coverage 1 - 2 P(Binomial(n, 1/2) < k) is at least 95 %
-- (k = 1 when none is: the interval is then [min, max]); no interval for one pair.
WITH r AS (
  SELECT CAST(runtime_s AS DOUBLE) / CAST(bare_s AS DOUBLE) AS ratio
  FROM read_csv('${run_dir}/${samples}', header = true, all_varchar = true) WHERE runtime = '${runtime}'
), a AS (SELECT count(*) AS n, list_sort(list(ratio)) AS v, median(ratio) AS med FROM r),
pmf AS (SELECT i, exp(lgamma(a.n + 1) - lgamma(i + 1) - lgamma(a.n - i + 1)) / pow(2, a.n) AS p FROM a, range(0, a.n + 1) t(i)),
cdf AS (SELECT i, sum(p) OVER (ORDER BY i) AS c FROM pmf),
ks AS (SELECT coalesce(max(k.i + 1), 1) AS k FROM cdf k, a WHERE k.i + 1 <= a.n // 2 AND 1 - 2 * k.c >= 0.95),
pick AS (SELECT a.*, ks.k FROM a, ks)
SELECT 'compute_ratio[${runtime}]' AS name, n, 0 AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90, NULL::DOUBLE AS p99,
       NULL::DOUBLE AS max, round(med, 3) AS value FROM pick WHERE n > 0
UNION ALL SELECT 'compute_ratio_low[${runtime}]', n, 0, NULL, NULL, NULL, NULL, round(v[k], 3) FROM pick WHERE n > 1
UNION ALL SELECT 'compute_ratio_high[${runtime}]', n, 0, NULL, NULL, NULL, NULL, round(v[n + 1 - k], 3) FROM pick WHERE n > 1;
