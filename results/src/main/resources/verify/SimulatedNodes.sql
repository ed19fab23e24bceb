-- tasks_on_simulated_nodes: tasks bound to a simulated node, out of all tasks (n).
SELECT 'tasks_on_simulated_nodes' AS name, count(*) AS n, 0 AS errors, NULL::DOUBLE AS p50, NULL::DOUBLE AS p90,
       NULL::DOUBLE AS p99, NULL::DOUBLE AS max, CAST(count(*) FILTER (WHERE node_simulated = 'true') AS DOUBLE) AS value
FROM scenario_tasks;
