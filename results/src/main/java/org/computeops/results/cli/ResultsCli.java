package org.computeops.results.cli;

import org.computeops.results.ComparisonPage;
import org.computeops.results.GatlingStatistics;
import org.computeops.results.Metric;
import org.computeops.results.OrchestratorResults;
import org.computeops.results.Recompute;
import org.computeops.results.Recovery;
import org.computeops.results.RunSummary;
import org.computeops.results.RunWriter;
import org.computeops.results.ScenarioResult;
import org.computeops.results.TaskCsv;
import org.computeops.results.TaskRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Checks and publishes the results of a run: {@code verify RUN_DIR}, {@code compare RUN_DIR}. */
@Command(name = "results", mixinStandardHelpOptions = true,
        subcommands = {ResultsCli.Verify.class, ResultsCli.Compare.class})
public final class ResultsCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ResultsCli()).execute(args));
    }

    static RunSummary load(Path runDir) throws Exception {
        RunSummary summary = RunWriter.read(runDir.resolve("summary.json"));
        if (summary == null) throw new CommandLine.ParameterException(new CommandLine(new ResultsCli()),
                "no summary.json in " + runDir);
        return summary;
    }

    @Command(name = "verify", description = "Recompute every task-derived figure of summary.json from tasks.csv; exit 1 on any difference.")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR")
        Path runDir;

        @Override
        public Integer call() throws Exception {
            RunSummary summary = load(runDir);
            Path csv = runDir.resolve("tasks.csv");
            List<TaskRecord> tasks = Files.exists(csv) ? TaskCsv.read(csv) : List.of();
            int checked = 0, wrong = 0;
            for (OrchestratorResults o : summary.orchestrators()) {
                for (ScenarioResult s : o.scenarios()) {
                    Map<String, Integer> gpusByNode = new HashMap<>();
                    o.nodes().forEach(n -> gpusByNode.put(n.name(), n.gpus()));
                    List<TaskRecord> mine = tasks.stream()
                            .filter(t -> t.orchestrator().equals(o.name()) && t.scenario().equals(s.scenario())).toList();
                    List<Metric> fromGatling = GatlingStatistics.recompute(runDir, s.parameters());
                    for (Metric m : s.metrics()) {
                        Optional<Metric> again = Recompute.metric(m.name(), mine, gpusByNode)
                                .or(() -> Recovery.recompute(m.name(), mine, s.parameters()));
                        if (again.isEmpty()) again = fromGatling.stream().filter(g -> g.name().equals(m.name())).findFirst();
                        if (again.isEmpty()) continue;
                        checked++;
                        List<String> diffs = Recompute.differences(m, again.get());
                        if (!diffs.isEmpty()) {
                            wrong++;
                            System.out.printf("MISMATCH %s / %s / %s: %s%n", o.name(), s.scenario(), m.name(), String.join("; ", diffs));
                        }
                    }
                }
            }
            System.out.printf("verify %s: %d figures recomputed from %d task rows and the Gatling reports, %d mismatch(es)%n",
                    runDir, checked, tasks.size(), wrong);
            return wrong == 0 ? 0 : 1;
        }
    }

    @Command(name = "compare", description = "Write comparison.html: the same scenarios side by side per orchestrator, and the history of earlier runs.")
    static final class Compare implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR")
        Path runDir;

        @Override
        public Integer call() throws Exception {
            RunSummary summary = load(runDir);
            Path out = runDir.resolve("comparison.html");
            Files.writeString(out, ComparisonPage.render(summary, ComparisonPage.history(runDir.getParent())));
            System.out.println("comparison: " + out);
            return 0;
        }
    }
}
