package org.computeops.results.cli;

import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.measurements.HarnessHeadroom;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.measurements.SampleFiles;
import org.computeops.results.model.Figure;
import org.computeops.results.model.ScenarioResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.computeops.results.Fixtures.T0;
import static org.computeops.results.Fixtures.cluster;

/** The harness headroom figures: computed from the probe's sample files, and the same again in SQL. */
class HarnessHeadroomVerifyTest {

    @TempDir
    Path runs;

    @Test
    void figuresFromTheSampleFilesAndTheirSqlAgree() throws Exception {
        RunFolder run = RunFolder.of(runs, "scale1");
        RunFiles files = new RunFiles(run, T0);
        List<List<Object>> calls = new ArrayList<>();
        // 10 calls of 2 ms each, one every 1 ms from 0: span 0..11 ms; call 3 failed
        for (int i = 0; i < 10; i++) calls.add(List.of(i, "dry run", 1000L * i, 1000L * i + 2000, i != 3));
        String submit = SampleFiles.write(run, SampleFiles.SCENARIO_DIR, "k-submit.csv", List.of("i", "call", "start_us", "end_us", "ok"), calls);
        String observer = SampleFiles.write(run, SampleFiles.SCENARIO_DIR, "k-observer.csv", List.of("batch", "changes", "start_us", "end_us"),
                List.of(List.of(0, 1000, 0L, 100_000L), List.of(1, 1000, 500_000L, 700_000L)));
        String cpu = SampleFiles.write(run, SampleFiles.SCENARIO_DIR, "k-cpu.csv", List.of("wall_s", "server_cpu_s", "client_cpu_s", "server_source"),
                List.of(List.of(2.0, "3.0", 0.5, "kube-apiserver /metrics process_cpu_seconds_total")));
        List<Figure> figures = MeasurementKinds.compute(new HarnessHeadroom(submit, observer, cpu), new Evidence(List.of(), run));
        files.record(cluster("kubernetes"), new ScenarioResult("harness-headroom", "passed", null, T0, T0, Map.of(), figures), List.of());

        assertThat(value(figures, "harness_submit_calls_per_s")).isEqualTo(9 / 0.011, org.assertj.core.data.Offset.offset(0.001));
        Figure duration = figures.stream().filter(f -> f.name().equals("harness_submit_call_ms")).findFirst().orElseThrow();
        assertThat(duration.n()).isEqualTo(9);
        assertThat(duration.errors()).isEqualTo(1);
        assertThat(duration.p99()).isEqualTo(2.0);
        assertThat(value(figures, "harness_observer_changes_per_s")).isEqualTo(2000 / 0.3, org.assertj.core.data.Offset.offset(0.001));
        assertThat(value(figures, "harness_server_cpu_cores")).isEqualTo(1.5);
        assertThat(value(figures, "harness_client_cpu_cores")).isEqualTo(0.25);

        assertThat(verify(run)).as(out).isZero();
        assertThat(out).contains(" 0 problem(s)").doesNotContain("MISMATCH").doesNotContain("UNCHECKED");

        // a sample changed after the figures were written: verify's SQL sees it
        Path file = run.dir().resolve(observer);
        Files.writeString(file, Files.readString(file).replace("1,1000,500000,700000", "1,1000,500000,900000"));
        assertThat(verify(run)).isEqualTo(1);
        assertThat(out).contains("MISMATCH").contains("harness_observer_changes_per_s");
    }

    private String out;

    private static double value(List<Figure> figures, String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().value();
    }

    private int verify(RunFolder run) {
        VerifyRun v = VerifyRun.of(run.dir());
        out = v.out();
        return v.exitCode();
    }
}
