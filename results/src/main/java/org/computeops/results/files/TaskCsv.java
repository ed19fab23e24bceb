package org.computeops.results.files;

import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.TaskRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * {@code tasks.csv}: one row per task with every phase on both clocks (ISO-8601, nanoseconds where
 * the orchestrator gives them), so every figure in summary.json can be recomputed.
 */
public final class TaskCsv {

    private static final CsvMapper CSV = new CsvMapper();
    static final List<String> COLUMNS;

    static {
        List<String> columns = new ArrayList<>(List.of("orchestrator", "scenario", "deployment", "workload", "task_id",
                "node", "node_simulated", "gpus", "submit_started_at", "submitted_at"));
        for (Phase p : Phase.values()) {
            columns.add(p.lower() + "_server");
            columns.add(p.lower() + "_observed");
        }
        columns.add("last_detail");
        COLUMNS = List.copyOf(columns);
    }

    private TaskCsv() {
    }

    private static CsvSchema schema(boolean header) {
        CsvSchema.Builder b = CsvSchema.builder();
        COLUMNS.forEach(b::addColumn);
        return b.build().withUseHeader(header);
    }

    static void append(Path file, List<TaskRecord> tasks) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        List<Map<String, String>> rows = new ArrayList<>();
        for (TaskRecord t : tasks) rows.add(row(t));
        try (Writer out = Files.newBufferedWriter(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            CSV.writer(schema(fresh)).writeValues(out).writeAll(rows).close();
        }
    }

    private static Map<String, String> row(TaskRecord t) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("orchestrator", t.orchestrator());
        row.put("scenario", t.scenario());
        row.put("deployment", t.deploymentId());
        row.put("workload", t.workload());
        row.put("task_id", t.taskId());
        row.put("node", t.node() == null ? "" : t.node());
        row.put("node_simulated", Boolean.toString(t.nodeSimulated()));
        row.put("gpus", Integer.toString(t.gpus()));
        row.put("submit_started_at", str(t.submitStartedAt()));
        row.put("submitted_at", str(t.submittedAt()));
        for (Phase p : Phase.values()) {
            PhaseTimes times = t.at(p);
            row.put(p.lower() + "_server", times == null ? "" : str(times.serverTime()));
            row.put(p.lower() + "_observed", times == null ? "" : str(times.observedAt()));
        }
        row.put("last_detail", t.lastDetail() == null ? "" : t.lastDetail());
        return row;
    }

    private static String str(Instant i) {
        return i == null ? "" : i.toString();
    }

    private static Instant instant(String s) {
        return s == null || s.isBlank() ? null : Instant.parse(s);
    }

    public static List<TaskRecord> read(Path file) throws IOException {
        List<TaskRecord> tasks = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file);
             MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class)
                     .with(CsvSchema.emptySchema().withHeader()).readValues(in)) {
            while (it.hasNext()) {
                Map<String, String> r = it.next();
                Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
                for (Phase p : Phase.values()) {
                    Instant server = instant(r.get(p.lower() + "_server"));
                    Instant observed = instant(r.get(p.lower() + "_observed"));
                    if (server != null || observed != null) phases.put(p, new PhaseTimes(server, observed));
                }
                tasks.add(new TaskRecord(r.get("orchestrator"), r.get("scenario"), r.get("deployment"), r.get("workload"),
                        r.get("task_id"), r.get("node"), Boolean.parseBoolean(r.get("node_simulated")),
                        Integer.parseInt(r.getOrDefault("gpus", "0")), instant(r.get("submit_started_at")),
                        instant(r.get("submitted_at")), phases, r.get("last_detail")));
            }
        }
        return tasks;
    }
}
