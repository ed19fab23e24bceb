package org.computeops.results.report;

import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.SimulatedNodes;
import org.computeops.results.model.Figure;
import org.computeops.results.model.ScenarioResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.computeops.results.Fixtures.T0;
import static org.computeops.results.Fixtures.cluster;
import static org.computeops.results.files.RunFilesTest.result;
import static org.computeops.results.files.RunFilesTest.tasks;

class ComparisonPageTest {

    @TempDir
    Path runs;

    @Test
    void comparisonPagePutsOrchestratorsSideBySide() throws Exception {
        RunFiles files = new RunFiles(RunFolder.of(runs, "r3"), T0);
        files.record(cluster("swarm"), result("latency", tasks("swarm", "latency", 4)), tasks("swarm", "latency", 4));
        files.record(cluster("kubernetes"), result("latency", tasks("kubernetes", "latency", 4)), tasks("kubernetes", "latency", 4));
        String html = ComparisonPage.render(RunFiles.readSummary(files.folder()), ComparisonPage.history(runs));
        assertThat(html).contains("<th>swarm</th><th>kubernetes</th>").contains("submit_to_scheduled_ms").contains("<svg");
    }

    @Test
    void figuresFromSimulatedNodesNeverShareATableWithRealOnes() throws Exception {
        RunFiles files = new RunFiles(RunFolder.of(runs, "r4"), T0);
        files.record(cluster("swarm"), result("latency", tasks("swarm", "latency", 4)), tasks("swarm", "latency", 4));
        ScenarioResult kwok = result("latency", tasks("kubernetes", "latency", 4));
        List<Figure> figures = new java.util.ArrayList<>(kwok.figures());
        figures.add(Figure.value(SimulatedNodes.FIGURE, "tasks", 4, 4.0, "-", null));
        files.record(cluster("kubernetes"), new ScenarioResult("latency", "passed", null, T0, T0, Map.of(), figures), List.of());
        String html = ComparisonPage.render(RunFiles.readSummary(files.folder()), List.of());
        String real = html.substring(html.indexOf("<h3>Real nodes</h3>"), html.indexOf("<h3>Simulated nodes"));
        assertThat(real).contains("<th>swarm</th>").doesNotContain("<th>kubernetes</th>");
        assertThat(html.substring(html.indexOf("<h3>Simulated nodes"))).contains("<th>kubernetes</th>");
    }

    @Test
    void repetitionsAreSummedUpAsAMedianWithItsInterval() throws Exception {
        RunFiles files = new RunFiles(RunFolder.of(runs, "r5"), T0);
        for (int rep = 1; rep <= 5; rep++) {
            ScenarioResult one = result("burst", List.of());
            files.record(cluster("swarm"), new ScenarioResult("burst", "passed", null, T0, T0, Map.of(),
                    List.of(Figure.value("throughput_tasks_per_s", "tasks/s", 10, 10.0 + rep, "server", null)), rep), List.of());
            files.record(cluster("kubernetes"), new ScenarioResult("burst", "passed", null, T0, T0, Map.of(),
                    List.of(Figure.value("throughput_tasks_per_s", "tasks/s", 10, 30.0 + rep, "server", null)), rep), List.of());
        }
        String html = ComparisonPage.render(RunFiles.readSummary(files.folder()), List.of());
        assertThat(html).contains("13 <small>[11, 15] 93.8 %, 5 reps</small>")
                .contains("kubernetes higher by 154 % (medians 33 vs 13; 93.8 % and 93.8 % intervals do not overlap)");
    }

    @Test
    void aValueFigureWithoutDataOnOneSideStaysAValueRow() throws Exception {
        RunFiles files = new RunFiles(RunFolder.of(runs, "r8"), T0);
        for (int rep = 1; rep <= 5; rep++) {
            // swarm never sees a task lost (no reading), kubernetes does in every repetition
            files.record(cluster("swarm"), new ScenarioResult("failure", "passed", null, T0, T0, Map.of(),
                    List.of(Figure.value("detection_s", "s", 0, null, "client", 0, "no task on the stopped node was seen lost")), rep), List.of());
            files.record(cluster("kubernetes"), new ScenarioResult("failure", "passed", null, T0, T0, Map.of(),
                    List.of(Figure.value("detection_s", "s", 4, 24.0 + rep, "client", null)), rep), List.of());
        }
        String html = ComparisonPage.render(RunFiles.readSummary(files.folder()), List.of());
        assertThat(html).contains("<tr><td>detection_s</td><td>s</td><td>client</td><td>no data <small>(n=0)</small></td><td>27 <small>[25, 29] 93.8 %, 5 reps</small>")
                .doesNotContain("detection_s p50");
    }

    @Test
    void threeOrchestratorsGetADifferenceForEveryPairAndTheHeadlineComesFirst() throws Exception {
        RunFiles files = new RunFiles(RunFolder.of(runs, "r6"), T0);
        Map<String, Double> base = Map.of("swarm", 10.0, "kubernetes", 30.0, "slurm", 20.0);
        for (int rep = 1; rep <= 5; rep++) {
            for (String o : List.of("swarm", "kubernetes", "slurm")) {
                files.record(cluster(o), new ScenarioResult("burst", "passed", null, T0, T0, Map.of(), List.of(
                        Figure.quantiles("observation_lag_ms[scheduled]", "ms", 10, 1.0, 2.0, 3.0, 4.0, "client−server", 0, null),
                        Figure.value("throughput_tasks_per_s", "tasks/s", 10, base.get(o) + rep, "client", null)), rep), List.of());
            }
        }
        String html = ComparisonPage.render(RunFiles.readSummary(files.folder()), List.of());
        assertThat(html).contains("<th>difference swarm / kubernetes</th><th>difference swarm / slurm</th><th>difference kubernetes / slurm</th>")
                .contains("kubernetes higher by 154 %").contains("slurm higher by 77 %").contains("kubernetes higher by 43 %");
        assertThat(html.indexOf("throughput_tasks_per_s")).isLessThan(html.indexOf("observation_lag_ms[scheduled]"));
    }

    @Test
    void harnessFiguresAreLowerOrHigherNeverFasterAndSitUnderTheirOwnHeading() {
        assertThat(ComparisonPage.betterWord("created_to_scheduled_ms", "ms")).isEqualTo("faster");
        assertThat(ComparisonPage.betterWord("recovery_s", "s")).isEqualTo("faster");
        assertThat(ComparisonPage.betterWord("observation_lag_ms[scheduled]", "ms")).isEqualTo("lower");
        assertThat(ComparisonPage.betterWord("submit_call_ms", "ms")).isEqualTo("lower");
        assertThat(ComparisonPage.betterWord("harness_submit_calls_per_s", "calls/s")).isEqualTo("higher");
        assertThat(ComparisonPage.lowerIsBetter("calls/s")).isFalse();
        assertThat(ComparisonPage.lowerIsBetter("changes/s")).isFalse();
        assertThat(ComparisonPage.lowerIsBetter("tasks")).isTrue();

        org.computeops.results.model.OrchestratorResults swarm = cluster("swarm");
        ScenarioResult headroom = new ScenarioResult("harness-headroom", "passed", null, Instant.now(), Instant.now(), Map.of(),
                List.of(Figure.value("harness_submit_calls_per_s", "calls/s", 3000, 1017.0, "client", null),
                        Figure.value("harness_observer_changes_per_s", "changes/s", 200000, 70425.0, "client", null)));
        assertThat(new ComparisonPage.Side(swarm, List.of(headroom)).tier()).isEqualTo(ComparisonPage.Tier.HARNESS);
        ScenarioResult latency = result("latency", tasks("swarm", "latency", 4));
        assertThat(new ComparisonPage.Side(swarm, List.of(latency)).tier()).isEqualTo(ComparisonPage.Tier.REAL);
        ScenarioResult failed = new ScenarioResult("harness-headroom", "failed", "x", Instant.now(), Instant.now(), Map.of(), List.of());
        assertThat(new ComparisonPage.Side(swarm, List.of(failed)).tier()).isEqualTo(ComparisonPage.Tier.REAL);
    }

    @Test
    void theOrchestratorsConditionsStandNextToTheFigures() {
        ScenarioResult s = new ScenarioResult("failure-recovery", "passed", null, Instant.now(), Instant.now(),
                Map.of("scenario.recovery.replicas", "6", "testbed.runId", "r", "swarm.dispatcher.heartbeat", "5000 ms"), List.of());
        assertThat(ComparisonPage.conditions(s)).isEqualTo("swarm.dispatcher.heartbeat = 5000 ms");
    }

    @Test
    void unequalRealNodeLayoutsAreNamedInTheHeading() throws Exception {
        RunFiles files = new RunFiles(RunFolder.of(runs, "r6"), T0);
        java.util.function.BiFunction<String, int[], org.computeops.results.model.OrchestratorResults> layout = (name, gpus) -> {
            List<org.computeops.results.model.Node> nodes = new java.util.ArrayList<>();
            for (int i = 0; i < gpus.length; i++) {
                nodes.add(new org.computeops.results.model.Node("n" + i, name + "-" + i, false, true, 2000, 4096, gpus[i], Map.of()));
            }
            nodes.add(new org.computeops.results.model.Node("k", "kwok-gpu-0", true, true, 32000, 131072, 4, Map.of()));
            return new org.computeops.results.model.OrchestratorResults(name, "1.0", "x", nodes.size(), nodes, List.of());
        };
        files.record(layout.apply("swarm", new int[] {0, 2, 0}), result("latency", tasks("swarm", "latency", 4)), tasks("swarm", "latency", 4));
        files.record(layout.apply("kubernetes", new int[] {2, 0}), result("latency", tasks("kubernetes", "latency", 4)),
                tasks("kubernetes", "latency", 4));
        String html = ComparisonPage.render(RunFiles.readSummary(files.folder()), List.of());
        assertThat(html.substring(0, html.indexOf("<h2>"))).contains(
                "Unequal testbeds: swarm 3 real nodes, GPUs 2,0,0; kubernetes 2 real nodes, GPUs 2,0.");

        RunFiles equal = new RunFiles(RunFolder.of(runs, "r7"), T0);
        equal.record(layout.apply("swarm", new int[] {0, 0, 2}), result("latency", tasks("swarm", "latency", 4)), tasks("swarm", "latency", 4));
        equal.record(layout.apply("kubernetes", new int[] {2, 0, 0}), result("latency", tasks("kubernetes", "latency", 4)),
                tasks("kubernetes", "latency", 4));
        assertThat(ComparisonPage.render(RunFiles.readSummary(equal.folder()), List.of())).doesNotContain("Unequal testbeds");

        // the node side's CPU weight is part of the layout: shown per testbed, and a difference named
        RunFiles weighted = new RunFiles(RunFolder.of(runs, "r8"), T0);
        for (String[] side : new String[][] {{"swarm", "128"}, {"kubernetes", "1024"}}) {
            ScenarioResult r = result("latency", tasks(side[0], "latency", 4));
            Map<String, String> params = new java.util.HashMap<>(r.parameters());
            params.put("testbed.nodeCpuShares", side[1]);
            weighted.record(layout.apply(side[0], new int[] {2, 0, 0}), new ScenarioResult(r.scenario(), r.status(), r.reason(),
                    r.startedAt(), r.finishedAt(), params, r.figures()), tasks(side[0], "latency", 4));
        }
        String weightedHtml = ComparisonPage.render(RunFiles.readSummary(weighted.folder()), List.of());
        assertThat(weightedHtml.substring(0, weightedHtml.indexOf("<h2>"))).contains("Unequal testbeds: swarm 3 real nodes, GPUs 2,0,0, "
                + "node-side CPU weight 128; kubernetes 3 real nodes, GPUs 2,0,0, node-side CPU weight 1024.");
        assertThat(weightedHtml).contains("node-side CPU weight</th>").contains("<td>128 of 1024</td>").contains("<td>1024 of 1024</td>");
        assertThat(html).contains("<td>not set</td>");
    }
}
