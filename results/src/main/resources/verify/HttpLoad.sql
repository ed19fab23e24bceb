-- HTTP load from Gatling's own HTML report (<run folder>/${report}/index.html): per request name
-- (one per load step, in name order; the last is the scale-out step) its response-time
-- percentiles and its failed requests; http_requests, all requests of the run. The statistics
-- table's cells are: total, OK, KO, KO %, req/s, min, then the percentiles the testbed's
-- gatling.conf asks for (50, 90, 95, 99), max, mean, standard deviation.
WITH page AS (SELECT content FROM read_text('${run_dir}/${report}/index.html')),
rows AS (
  SELECT unnest(regexp_extract_all(content, '(?s)class="ellipsed-name">([^<]+)</span>.*?</tr>', 0)) AS row_html FROM page
), parsed AS (
  SELECT trim(regexp_extract(row_html, 'class="ellipsed-name">([^<]+)</span>', 1)) AS req,
         regexp_extract_all(row_html, '<td class="value[^"]*col-\d+">([^<]*)</td>', 1) AS cells
  FROM rows
), stats AS (
  SELECT req, CAST(NULLIF(trim(cells[1]), '-') AS BIGINT) AS total, CAST(NULLIF(trim(cells[3]), '-') AS BIGINT) AS ko,
         TRY_CAST(trim(cells[7]) AS DOUBLE) AS p50, TRY_CAST(trim(cells[8]) AS DOUBLE) AS p90,
         TRY_CAST(trim(cells[10]) AS DOUBLE) AS p99, TRY_CAST(trim(cells[11]) AS DOUBLE) AS max
  FROM parsed WHERE len(cells) >= 13
), steps AS (
  SELECT *, row_number() OVER (ORDER BY req) AS i, count(*) OVER () AS steps FROM stats WHERE req <> 'All Requests'
)
SELECT 'http_response_ms[' || req || CASE WHEN i = steps THEN ', scale-out' ELSE '' END || ']' AS name, coalesce(total, 0) AS n,
       0 AS errors, p50, p90, p99, max, NULL::DOUBLE AS value FROM steps
UNION ALL
SELECT 'http_errors[' || req || ']', coalesce(total, 0), 0, NULL, NULL, NULL, NULL, CAST(coalesce(ko, 0) AS DOUBLE) FROM steps
UNION ALL
SELECT 'http_requests', coalesce(total, 0), 0, NULL, NULL, NULL, NULL, CAST(coalesce(total, 0) AS DOUBLE) FROM stats WHERE req = 'All Requests';
