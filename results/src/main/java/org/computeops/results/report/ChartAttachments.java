package org.computeops.results.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.results.files.Json;
import org.computeops.results.files.RunFolder;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Each orchestrator's own charts of a scenario (latency CDFs, stages, GPUs per node, replicas
 * around a fault, Gatling steps) attached to its Allure test when the report is built: the
 * harness only records, the report side draws. Found by the labels the harness writes
 * (orchestrator, scenario, repetition); a chart already attached is not attached twice.
 */
public final class ChartAttachments {

    static final String PREFIX = "chart: ";

    private ChartAttachments() {
    }

    public static int attachAll(RunFolder run, RunSummary summary, List<TaskRecord> tasks) throws IOException {
        Path dir = run.allureResults();
        if (!Files.isDirectory(dir)) return 0;
        int attached = 0;
        List<Path> results;
        try (Stream<Path> files = Files.list(dir)) {
            results = files.filter(p -> p.getFileName().toString().endsWith("-result.json")).toList();
        }
        for (Path f : results) {
            ObjectNode result = (ObjectNode) Json.MAPPER.readTree(f.toFile());
            String orchestrator = label(result, "orchestrator"), scenario = label(result, "scenario");
            if (orchestrator == null || scenario == null) continue;
            int repetition = Integer.parseInt(Optional.ofNullable(label(result, "repetition")).orElse("1"));
            ArrayNode attachments = result.withArray("attachments");
            boolean done = false;
            for (JsonNode a : attachments) done |= a.path("name").asText().startsWith(PREFIX);
            if (done) continue;
            Optional<ScenarioResult> scenarioResult = summary.orchestrator(orchestrator).stream()
                    .flatMap(o -> o.scenarios().stream())
                    .filter(s -> s.scenario().equals(scenario) && s.repetition() == repetition).findFirst();
            if (scenarioResult.isEmpty()) continue;
            List<TaskRecord> rows = tasks.stream().filter(t -> t.orchestrator().equals(orchestrator) && t.scenario().equals(scenario)
                    && t.repetition() == repetition).toList();
            for (ScenarioCharts.Chart c : ScenarioCharts.charts(scenario, List.of(new ScenarioCharts.Entry(orchestrator, scenarioResult.get(), rows)))) {
                String source = UUID.randomUUID() + "-attachment.svg";
                Files.writeString(dir.resolve(source), c.svg());
                attachments.addObject().put("name", PREFIX + c.title()).put("source", source).put("type", "image/svg+xml");
                attached++;
            }
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.writeString(tmp, Json.MAPPER.writeValueAsString(result));
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return attached;
    }

    private static String label(JsonNode result, String name) {
        for (JsonNode l : result.path("labels")) if (name.equals(l.path("name").asText())) return l.path("value").asText();
        return null;
    }
}
