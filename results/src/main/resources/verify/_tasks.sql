-- tasks.csv as two views: all_tasks (one row per task, key k) and all_phases (one row per task
-- and phase reached: server time, its stamp, observed time). Times are nanosecond timestamps.
CREATE OR REPLACE MACRO ts(x) AS CASE WHEN x IS NULL OR x = '' THEN NULL ELSE CAST(replace(x, 'Z', '') AS TIMESTAMP_NS) END;
CREATE OR REPLACE MACRO ms_between(a, b) AS (epoch_ns(b) - epoch_ns(a)) / 1e6;
CREATE OR REPLACE MACRO nearest_rank(values_sorted, p) AS values_sorted[CAST(greatest(1, ceil(p / 100.0 * len(values_sorted))) AS INTEGER)];
CREATE OR REPLACE TABLE all_tasks AS
  SELECT row_number() OVER () AS k, * FROM read_csv(${csv}, header = true, all_varchar = true, quote = '"', escape = '"');
CREATE OR REPLACE TABLE all_phases AS
  SELECT k, upper(phase) AS phase, ts(server) AS server, NULLIF(stamp, '') AS stamp, ts(observed) AS observed FROM (
    SELECT k, 'created' AS phase, created_server AS server, created_stamp AS stamp, created_observed AS observed FROM all_tasks
    UNION ALL SELECT k, 'scheduled', scheduled_server, scheduled_stamp, scheduled_observed FROM all_tasks
    UNION ALL SELECT k, 'started', started_server, started_stamp, started_observed FROM all_tasks
    UNION ALL SELECT k, 'running', running_server, running_stamp, running_observed FROM all_tasks
    UNION ALL SELECT k, 'succeeded', succeeded_server, succeeded_stamp, succeeded_observed FROM all_tasks
    UNION ALL SELECT k, 'failed', failed_server, failed_stamp, failed_observed FROM all_tasks
    UNION ALL SELECT k, 'lost', lost_server, lost_stamp, lost_observed FROM all_tasks)
  WHERE coalesce(server, '') <> '' OR coalesce(observed, '') <> '';
