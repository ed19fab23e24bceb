package org.computeops.results.cli;

import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.ComputeOverhead;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.measurements.ImageConversion;
import org.computeops.results.measurements.Measurement;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.measurements.RuntimeFileRead;
import org.computeops.results.measurements.RuntimeFootprint;
import org.computeops.results.measurements.RuntimeInterop;
import org.computeops.results.measurements.RuntimeIsolation;
import org.computeops.results.measurements.SampleFiles;
import org.computeops.results.measurements.RuntimeStartup;
import org.computeops.results.model.Figure;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.report.ComparisonPage;
import org.computeops.results.report.PageSections;
import org.computeops.results.report.RuntimesSection;
import org.junit.jupiter.api.BeforeEach;
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

/** The container-runtime kinds: each figure rebuilt by its measurement and by its SQL from the sample files. */
class RuntimeKindsVerifyTest {

    @TempDir
    Path runs;
    RunFolder run;
    String out;

    @BeforeEach
    void aRuntimeRun() {
        run = RunFolder.of(runs, "rt1");
        RunFiles files = new RunFiles(run, T0);
        SampleFiles.write(run, "runtimes.csv", List.of("runtime", "name", "version", "unavailable", "image_form",
                "docker_image_unchanged", "capabilities", "gpu", "prepare_s"), List.of(
                List.of("runc", "runc (root)", "runc 1.1.5", "", "OCI_BUNDLE", false, "[]", "NVIDIA hook", "0.1"),
                List.of("crun", "crun (root)", "crun 1.8.1", "", "OCI_BUNDLE", false, "[]", "NVIDIA hook", "0.1"),
                List.of("rkt", "rkt", "", "project ended in 2020", "DOCKER_ARCHIVE", true, "[]", "none maintained", "")));
        List<List<Object>> start = new ArrayList<>();
        for (String rt : List.of("host", "runc", "crun")) {
            for (int i = 1; i <= 37; i++) {
                double ms = (rt.equals("host") ? 1 : rt.equals("runc") ? 30 : 14) + i * 0.37 + (i % 5) * 1.1;
                start.add(List.of(rt, "warm", "true", i, ms, ms, i != 7 || !rt.equals("runc")));
                start.add(List.of(rt, "cold", "true", i, ms * 3, ms * 3, true));
                start.add(List.of(rt, "echo", "echo ready", i, ms - 0.2, ms, true));
            }
        }
        String startFile = SampleFiles.write(run, "startup.csv", List.of("runtime", "mode", "command", "i", "first_output_ms", "exit_ms", "ok"), start);
        List<List<Object>> compute = new ArrayList<>();
        for (int i = 1; i <= 10; i++) compute.add(List.of("runc", i, 1.0 + i * 0.013, 1.0 + (i % 3) * 0.01));
        String computeFile = SampleFiles.write(run, "compute.csv", List.of("runtime", "i", "runtime_s", "bare_s"), compute);
        String footFile = SampleFiles.write(run, "footprint.csv", List.of("runtime", "k", "containers_pss_kib", "containers_rss_kib",
                "processes", "daemons_rss_before_kib", "daemons_rss_during_kib", "daemons_pss_during_kib"),
                List.of(List.of("runc", 20, 12345, 23456, 40, 0, 0, 0)));
        String readFile = SampleFiles.write(run, "fileread.csv", List.of("runtime", "form", "bytes", "i", "cold_s", "warm_s"),
                List.of(List.of("runc", "OCI_BUNDLE", 209715200, 1, 1.5, 0.2), List.of("runc", "OCI_BUNDLE", 209715200, 2, 1.7, 0.25)));
        String isoFile = SampleFiles.write(run, "isolation.csv", List.of("runtime", "attempts", "uid_inside", "host_uid", "cap_eff",
                "cap_count", "host_pids_visible", "procs_visible", "host_network", "user_namespace", "uid_map"),
                List.of(List.of("runc", 1, 0, 0, "00000000a80425fb", 14, false, 2, false, false, "0 0 4294967295")));
        String interopFile = SampleFiles.write(run, "interop.csv", List.of("runtime", "form", "docker_image_unchanged", "exit_code",
                "stdout_sha256", "stdout_lf_sha256", "stdout"), List.of(
                List.of("host", "HOST", false, 0, "aa", "aa", "x\ny\n"), List.of("runc", "OCI_BUNDLE", false, 0, "aa", "aa", "x\ny\n"),
                List.of("udocker-r1", "DOCKER_ARCHIVE", true, 1, "bb", "aa", "x\r\ny\r\n")));
        String convFile = SampleFiles.write(run, "conversion.csv", List.of("step", "seconds", "bytes"),
                List.of(List.of("save", "0.227", "18921472"), List.of("oci", "0.244", "17881645")));
        List<Measurement> ms = new ArrayList<>();
        for (String rt : List.of("host", "runc", "crun")) {
            ms.add(new RuntimeStartup(startFile, rt, "warm", "exit_ms"));
            ms.add(new RuntimeStartup(startFile, rt, "cold", "exit_ms"));
            ms.add(new RuntimeStartup(startFile, rt, "echo", "first_output_ms"));
        }
        ms.add(new ComputeOverhead(computeFile, "runc"));
        ms.add(new RuntimeFootprint(footFile, "runc"));
        ms.add(new RuntimeFileRead(readFile, "runc"));
        ms.add(new RuntimeIsolation(isoFile, "runc"));
        ms.add(new RuntimeInterop(interopFile, "runc"));
        ms.add(new RuntimeInterop(interopFile, "udocker-r1"));
        ms.add(new ImageConversion(convFile));
        List<Figure> figures = new ArrayList<>();
        ms.forEach(m -> figures.addAll(MeasurementKinds.compute(m, new Evidence(List.of(), run))));
        files.record(cluster(RuntimesSection.NAME), new ScenarioResult("runtime-all", "passed", null, T0, T0, Map.of(), figures), List.of());
    }

    private int verify() {
        VerifyRun v = VerifyRun.of(run.dir());
        out = v.out();
        return v.exitCode();
    }

    @Test
    void everyRuntimeFigureIsRecomputedInSqlWithTheSameResult() throws Exception {
        assertThat(verify()).as(out).isZero();
        assertThat(out).contains(" 0 problem(s)").doesNotContain("MISMATCH").doesNotContain("UNCHECKED");
        var summary = RunFiles.readSummary(run);
        List<Figure> f = summary.orchestrators().get(0).scenarios().get(0).figures();
        Figure runcWarm = f.stream().filter(x -> x.name().equals("runtime_start_ms[runc, warm]")).findFirst().orElseThrow();
        assertThat(runcWarm.n()).isEqualTo(36);
        assertThat(runcWarm.errors()).isEqualTo(1);
        assertThat(f).extracting(Figure::name).contains("runtime_start_ms_p50_low[runc, warm]", "compute_ratio_low[runc]",
                "interop_identical[udocker-r1]", "conversion_bytes[oci]", "isolation_cap_count[runc]");
        assertThat(f.stream().filter(x -> x.name().equals("interop_identical[udocker-r1]")).findFirst().orElseThrow().value()).isZero();
        assertThat(f.stream().filter(x -> x.name().equals("interop_same_lines[udocker-r1]")).findFirst().orElseThrow().value()).isEqualTo(1.0);
        assertThat(new RuntimeInterop("runtimes/interop.csv", "udocker-r1").violations(f)).as("CRLF alone is no violation").isEmpty();
        List<Figure> differs = List.of(Figure.value("interop_same_lines[runc]", "", 1, 0.0, "probe", ""));
        assertThat(new RuntimeInterop("runtimes/interop.csv", "runc").violations(differs)).hasSize(1);
    }

    @Test
    void aChangedSampleIsAMismatch() throws Exception {
        Path startup = run.dir().resolve("runtimes/startup.csv");
        Files.writeString(startup, Files.readString(startup).replace("runc,cold,true,1,", "runc,cold,true,1,9").replace("runc,warm,true,3,", "runc,warm,true,3,x"));
        String csv = Files.readString(startup);
        Files.writeString(startup, csv.replaceFirst("runc,warm,true,2,([0-9.]+),([0-9.]+),true", "runc,warm,true,2,$1,$2,false"));
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("MISMATCH rt-lab / runtime-all / runtime_start_ms[runc, warm]".replace("rt-lab", RuntimesSection.NAME));
    }

    @Test
    void thePageHasTheRuntimesSectionWithAbsentRowsAndTheHarnessCost() throws Exception {
        var summary = RunFiles.readSummary(run);
        String page = ComparisonPage.render(summary, List.of(), PageSections.NONE.withRuntimes(RuntimesSection.render(summary, run)));
        assertThat(page).contains("<h2>Container runtimes</h2>", "not available: project ended in 2020", "not measured here",
                "id=\"harness-cost\"", "runc / crun warm", "10.95", "<svg");
        // the runtimes are not a column among the orchestrators
        assertThat(page).doesNotContain("<h2>runtime-all</h2>");
    }
}
