package org.computeops.results.cli;

import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.measurements.Measurement;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.model.Figure;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;
import org.computeops.results.files.TaskCsv;
import org.computeops.results.report.ComparisonPage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/** Checks and publishes the results of a run: {@code verify RUN_DIR}, {@code page RUN_DIR}, {@code new-run ...}. */
@Command(name = "results", mixinStandardHelpOptions = true,
        subcommands = {ResultsCli.Verify.class, ResultsCli.Page.class, ResultsCli.NewRun.class, ResultsCli.Folder.class,
                PublishCommand.class, PublishCommand.Gate.class})
public final class ResultsCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ResultsCli()).execute(args));
    }

    static RunFolder folder(Path runDir) {
        Path abs = runDir.toAbsolutePath().normalize();
        return new RunFolder(abs, abs.getFileName().toString());
    }

    static RunSummary load(RunFolder run) throws Exception {
        RunSummary summary = RunFiles.readSummary(run);
        if (summary == null) throw new CommandLine.ParameterException(new CommandLine(new ResultsCli()),
                "no summary.json in " + run.dir());
        return summary;
    }

    @Command(name = "verify", description = "Rebuild every figure of summary.json from its measurement's kind and inputs over "
            + "tasks.csv and the run's Gatling reports; exit 1 on any difference, on a figure of unknown kind, or when nothing was checked.")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR")
        Path runDir;
        @Override
        public Integer call() throws Exception {
            RunFolder run = folder(runDir);
            RunSummary summary = load(run);
            List<String> torn = new ArrayList<>();
            List<TaskRecord> tasks = Files.exists(run.tasksFile()) ? TaskCsv.read(run.tasksFile(), torn::add) : List.of();
            torn.forEach(t -> System.out.println("UNREADABLE tasks.csv " + t));
            int checked = 0, wrong = torn.size();
            try (IndependentCheck sql = new IndependentCheck(tasksCsvOrEmpty(run))) {
                for (OrchestratorResults o : summary.orchestrators()) {
                    for (ScenarioResult s : o.scenarios()) {
                        List<TaskRecord> mine = tasks.stream()
                                .filter(t -> t.orchestrator().equals(o.name()) && t.scenario().equals(s.scenario())
                                        && t.repetition() == s.repetition()).toList();
                        Evidence evidence = new Evidence(mine, run);
                        Map<Measurement, List<Figure>> again = new LinkedHashMap<>();
                        Map<String, List<Figure>> independent = new LinkedHashMap<>();
                        for (Figure reported : s.figures()) {
                            String where = o.name() + " / " + s.scenario() + (s.repetition() > 1 ? " #" + s.repetition() : "") + " / " + reported.name();
                            List<String> problems = new ArrayList<>();
                            try {
                                Measurement m = MeasurementKinds.rebuild(reported.measurement(), reported.inputs());
                                List<Figure> rebuilt = again.computeIfAbsent(m, k -> MeasurementKinds.compute(k, evidence));
                                problems.addAll(compareWith("its measurement", reported, rebuilt));
                                if (!IndependentCheck.knows(reported.measurement())) {
                                    problems.add("no independent definition of " + reported.measurement()
                                            + " (results/src/main/resources/verify/" + reported.measurement() + ".sql)");
                                } else {
                                    String key = reported.measurement() + " " + reported.inputs();
                                    if (!independent.containsKey(key)) {
                                        independent.put(key, sql.figures(reported.measurement(), reported.inputs(), o.name(), s.scenario(),
                                                s.repetition(), run.dir()));
                                    }
                                    problems.addAll(compareWith("its SQL definition", reported, independent.get(key)));
                                }
                            } catch (RuntimeException | java.sql.SQLException e) {
                                wrong++;
                                System.out.printf("UNCHECKED %s: %s%n", where, e.getMessage());
                                continue;
                            }
                            checked++;
                            if (!problems.isEmpty()) {
                                wrong++;
                                System.out.printf("MISMATCH %s: %s%n", where, String.join("; ", problems));
                            }
                        }
                    }
                }
            }
            System.out.printf("verify %s: %d figures rebuilt by their measurement and recomputed independently in SQL (DuckDB) "
                    + "from %d task rows and the Gatling reports, %d problem(s)%n", run.dir(), checked, tasks.size(), wrong);
            if (checked == 0) {
                System.out.println("verify: no figure was checked; a run without figures cannot be verified");
                return 1;
            }
            return wrong == 0 ? 0 : 1;
        }

        private static List<String> compareWith(String source, Figure reported, List<Figure> computed) {
            Figure same = computed.stream().filter(f -> f.name().equals(reported.name())).findFirst().orElse(null);
            if (same == null) return List.of(source + " makes no figure of that name");
            return differences(reported, same).stream().map(d -> d + " (" + source + ")").toList();
        }

        /** The run's tasks.csv, or a header-only one when the run has no task rows. */
        private static Path tasksCsvOrEmpty(RunFolder run) throws java.io.IOException {
            if (Files.exists(run.tasksFile())) return run.tasksFile();
            Path empty = Files.createTempFile("tasks", ".csv");
            empty.toFile().deleteOnExit();
            StringBuilder header = new StringBuilder("orchestrator,scenario,repetition,deployment,workload,task_id,node,node_simulated,gpus,"
                    + "submit_started_at,submitted_at");
            for (String p : List.of("created", "scheduled", "started", "running", "succeeded", "failed", "lost")) {
                header.append(',').append(p).append("_server,").append(p).append("_stamp,").append(p).append("_observed");
            }
            Files.writeString(empty, header.append(",last_detail\n").toString());
            return empty;
        }
    }

    /** Differences between a reported and a rebuilt figure, in words; empty when they agree. */
    static List<String> differences(Figure reported, Figure recomputed) {
        List<String> diffs = new ArrayList<>();
        compare(diffs, "n", (double) reported.n(), (double) recomputed.n());
        compare(diffs, "errors", (double) reported.errors(), (double) recomputed.errors());
        compare(diffs, "p50", reported.p50(), recomputed.p50());
        compare(diffs, "p90", reported.p90(), recomputed.p90());
        compare(diffs, "p99", reported.p99(), recomputed.p99());
        compare(diffs, "max", reported.max(), recomputed.max());
        compare(diffs, "value", reported.value(), recomputed.value());
        return diffs;
    }

    private static void compare(List<String> diffs, String field, Double reported, Double recomputed) {
        if (Objects.equals(reported, recomputed)) return;
        if (reported != null && recomputed != null && Math.abs(reported - recomputed) <= 0.001) return;
        diffs.add(field + " reported " + reported + " but the run's files (tasks.csv, Gatling report) give " + recomputed);
    }

    @Command(name = "page", description = "Write comparison.html: the same scenarios side by side per orchestrator, and the history of earlier runs.")
    static final class Page implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR")
        Path runDir;

        @Override
        public Integer call() throws Exception {
            RunFolder run = folder(runDir);
            RunSummary summary = load(run);
            Files.writeString(run.comparisonPage(), ComparisonPage.render(summary, ComparisonPage.history(run.dir().getParent()),
                    org.computeops.results.report.PageSections.NONE.withRuntimes(org.computeops.results.report.RuntimesSection.render(summary, run))));
            System.out.println("comparison: " + run.comparisonPage());
            return 0;
        }
    }

    @Command(name = "new-run", description = "Print the folder of a new run (results/runs/RUN_ID) under REPO_DIR; refuses an existing one.")
    static final class NewRun implements Callable<Integer> {
        @Parameters(paramLabel = "REPO_DIR")
        Path repoDir;

        @Option(names = "--purpose", defaultValue = "run", description = "first word of a generated run id (compare, test, run)")
        String purpose;

        @Option(names = "--run-id", description = "use this run id instead of a generated one")
        String runId;

        @Override
        public Integer call() {
            String id = runId != null ? RunFolder.checkRunId(runId) : RunFolder.newRunId(purpose);
            RunFolder run = RunFolder.of(RunFolder.runsDir(repoDir.toAbsolutePath().normalize()), id);
            if (run.exists()) {
                System.err.println("run " + id + " already has results in " + run.dir() + "; choose another testbed.runId");
                return 1;
            }
            System.out.println(run.dir());
            return 0;
        }
    }

    @Command(name = "folder", description = "Print the folder of run RUN_ID under REPO_DIR; exit 1 when it has no results.")
    static final class Folder implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REPO_DIR")
        Path repoDir;

        @Parameters(index = "1", paramLabel = "RUN_ID")
        String runId;

        @Override
        public Integer call() {
            RunFolder run = RunFolder.of(RunFolder.runsDir(repoDir.toAbsolutePath().normalize()), runId);
            if (!run.exists()) {
                System.err.println("no results for run " + runId + " in " + run.dir());
                return 1;
            }
            System.out.println(run.dir());
            return 0;
        }
    }
}
