-- GPU placement over the GPU tasks (gpus > 0), with the GPUs each node advertised (${gpus_by_node},
-- "node=gpus,..."): gpu_misplaced, tasks on a node advertising fewer GPUs than asked; gpu_overcommit,
-- tasks whose start pushed their node's GPUs in use above what it advertises, a task holding its
-- GPUs from its first of SCHEDULED/STARTED/RUNNING/SUCCEEDED until its first of SUCCEEDED/FAILED/LOST
-- (server time where given, else client), releases before starts at the same at; a hold of no
-- length, or without node or start, cannot be checked (errors); gpu_peak_in_use, most GPUs held at once.
WITH capacity AS (
  SELECT split_part(pair, '=', 1) AS node, CAST(split_part(pair, '=', 2) AS INTEGER) AS gpus
  FROM (SELECT unnest(string_split('${gpus_by_node}', ',')) AS pair) WHERE pair <> ''
), gpu_tasks AS (
  SELECT t.k, t.node, CAST(t.gpus AS INTEGER) AS gpus,
    (SELECT coalesce(p.server, p.observed) FROM scenario_phases p WHERE p.k = t.k AND p.phase IN ('SCHEDULED', 'STARTED', 'RUNNING', 'SUCCEEDED')
       ORDER BY CASE p.phase WHEN 'SCHEDULED' THEN 1 WHEN 'STARTED' THEN 2 WHEN 'RUNNING' THEN 3 ELSE 4 END LIMIT 1) AS hold_start,
    (SELECT coalesce(p.server, p.observed) FROM scenario_phases p WHERE p.k = t.k AND p.phase IN ('SUCCEEDED', 'FAILED', 'LOST')
       ORDER BY CASE p.phase WHEN 'SUCCEEDED' THEN 1 WHEN 'FAILED' THEN 2 ELSE 3 END LIMIT 1) AS hold_end
  FROM scenario_tasks t WHERE CAST(t.gpus AS INTEGER) > 0
), checkable AS (
  SELECT * FROM gpu_tasks WHERE coalesce(node, '') <> '' AND hold_start IS NOT NULL AND (hold_end IS NULL OR hold_end > hold_start)
), changes AS (
  SELECT c.node, epoch_ns(c.hold_start) AS instant, 1 AS is_start, c.gpus AS delta FROM checkable c
  UNION ALL
  SELECT c.node, coalesce(epoch_ns(c.hold_end), 9223372036854775807), 0, -c.gpus FROM checkable c
), swept AS (
  SELECT ch.*, sum(delta) OVER (PARTITION BY ch.node ORDER BY instant, is_start ROWS UNBOUNDED PRECEDING) AS in_use,
         coalesce(cap.gpus, 0) AS capacity
  FROM changes ch LEFT JOIN capacity cap ON cap.node = ch.node
)
SELECT 'gpu_misplaced' AS name, (SELECT count(*) FROM gpu_tasks) AS n, 0 AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90,
       NULL::DOUBLE AS p99, NULL::DOUBLE AS max,
       CAST((SELECT count(*) FROM gpu_tasks g LEFT JOIN capacity cap ON cap.node = g.node
             WHERE coalesce(g.node, '') <> '' AND coalesce(cap.gpus, 0) < g.gpus) AS DOUBLE) AS value
UNION ALL
SELECT 'gpu_overcommit', (SELECT count(*) FROM checkable), (SELECT count(*) FROM gpu_tasks) - (SELECT count(*) FROM checkable),
       NULL, NULL, NULL, NULL, CAST((SELECT count(*) FROM swept WHERE is_start = 1 AND in_use > capacity) AS DOUBLE)
UNION ALL
SELECT 'gpu_peak_in_use', (SELECT count(*) FROM gpu_tasks), 0, NULL, NULL, NULL, NULL,
       CAST(coalesce((SELECT max(in_use) FROM swept), 0) AS DOUBLE);
