package org.computeops.results.cli;

import org.computeops.results.files.Json;
import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.measurements.SimulatedNodes;
import org.computeops.results.measurements.Throughput;
import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.computeops.results.Fixtures.T0;
import static org.computeops.results.Fixtures.cluster;
import static org.computeops.results.files.RunFilesTest.result;
import static org.computeops.results.files.RunFilesTest.tasks;

class VerifyTest {

    @TempDir
    Path runs;
    RunFolder run;
    String out;

    @BeforeEach
    void aRunOfTwoScenarios() {
        run = RunFolder.of(runs, "v1");
        RunFiles files = new RunFiles(run, T0);
        List<TaskRecord> latency = tasks("swarm", "latency", 6);
        files.record(cluster("swarm"), result("latency", latency), latency);
        List<TaskRecord> burst = tasks("swarm", "burst", 3);
        List<Figure> figures = new ArrayList<>(MeasurementKinds.compute(new Throughput(Phase.SCHEDULED), new Evidence(burst, run)));
        figures.addAll(MeasurementKinds.compute(new SimulatedNodes(), new Evidence(burst, run)));
        files.record(cluster("swarm"), new ScenarioResult("burst", "passed", null, T0, T0, Map.of(), figures), burst);
    }

    private int verify() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new ResultsCli()).execute("verify", run.dir().toString());
        } finally {
            System.setOut(old);
            out = bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private void editSummary(java.util.function.UnaryOperator<String> edit) throws Exception {
        Files.writeString(run.summaryFile(), edit.apply(Files.readString(run.summaryFile())));
    }

    @Test
    void everyFigureIsRebuiltByItsKind() {
        assertThat(verify()).isZero();
        assertThat(out).contains("7 figures rebuilt from 9 task rows").contains("0 problem(s)");
    }

    @Test
    void aFigureAlteredByHandIsAMismatch() throws Exception {
        var summary = Json.MAPPER.readTree(run.summaryFile().toFile());
        var figure = (com.fasterxml.jackson.databind.node.ObjectNode) summary.at("/orchestrators/0/scenarios/0/figures/0");
        figure.put("p50", figure.get("p50").asDouble() - 1);
        Json.MAPPER.writeValue(run.summaryFile().toFile(), summary);
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("MISMATCH swarm / latency / submit_to_scheduled_ms: p50 reported");
    }

    @Test
    void aRowAlteredByHandIsAMismatch() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(run.tasksFile()));
        lines.set(1, lines.get(1).replace("2026-11-25T10:00:00.001234567Z", "2026-11-25T10:00:09.001234567Z"));
        Files.write(run.tasksFile(), lines);
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("MISMATCH swarm / latency / submit_to_scheduled_ms");
    }

    @Test
    void aFigureOfUnknownKindFailsVerify() throws Exception {
        editSummary(s -> s.replaceFirst("\"measurement\" : \"Throughput\"", "\"measurement\" : \"Flattery\""));
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("UNCHECKED swarm / burst / throughput_tasks_per_s: unknown measurement kind 'Flattery'");
    }

    @Test
    void aFigureWithoutItsKindFailsVerify() throws Exception {
        editSummary(s -> s.replaceFirst("\"measurement\" : \"SimulatedNodes\",", ""));
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("UNCHECKED swarm / burst / tasks_on_simulated_nodes: the figure records no measurement kind");
    }

    @Test
    void aRunWithoutFiguresCannotPass() throws Exception {
        RunFiles files = new RunFiles(run = RunFolder.of(runs, "empty"), Instant.now());
        files.record(cluster("swarm"), new ScenarioResult("nothing", "skipped", "no capability", T0, T0, Map.of(), List.of()), List.of());
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("no figure was checked");
    }
}
