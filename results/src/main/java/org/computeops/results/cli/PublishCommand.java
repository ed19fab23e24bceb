package org.computeops.results.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.results.files.Json;
import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.model.RunSummary;
import org.computeops.results.files.AllureFiles;
import org.computeops.results.report.ChartAttachments;
import org.computeops.results.report.ComparisonPage;
import org.computeops.results.report.PageSections;
import org.computeops.results.report.RuntimesSection;
import org.computeops.results.report.RunHistory;
import org.computeops.results.report.Slo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Builds everything a person reads about a run, in one order shared by infra/testbed and a bare
 * {@code mvn verify}: verify the figures, apply the SLOs, append the run to the history, write
 * the comparison page, and generate the Allure report (with categories, environment, executor
 * and the previous run's history). Writes {@code checks.json}, which {@code gate} turns into an
 * exit status; exits itself with 0 when all is well, 1 when verify found a problem, 3 when an SLO
 * was breached (the report is built in every case).
 */
@Command(name = "publish", description = "verify, apply slo.properties, append to results/history, write comparison.html and "
        + "generate the Allure report; exit 0 all well, 1 verify problem, 3 SLO breached, 2 report not built.")
final class PublishCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR")
    Path runDir;

    @Option(names = "--allure", description = "the Allure command line (bin/allure); without it no Allure report is generated")
    Path allure;

    @Option(names = "--slo", description = "the SLO file (default: slo.properties of the checkout that holds the run)")
    Path sloFile;

    /**
     * An @file argument picocli could not expand: no scenario ran in this build (-DskipTests,
     * -DskipITs: `mvn install` builds), so there is nothing to report; a build whose scenarios
     * should have run and did not fails in failsafe:verify anyway.
     */
    static boolean noRunNamed(Path runDir) {
        if (!runDir.toString().startsWith("@")) return false;
        System.out.println("no scenario ran in this build (" + runDir.toString().substring(1) + " was not written): no report");
        return true;
    }

    @Override
    public Integer call() throws Exception {
        if (noRunNamed(runDir)) return 0;
        RunFolder run = ResultsCli.folder(runDir);
        ResultsCli.load(run);
        ResultsCli.Verify verify = new ResultsCli.Verify();
        verify.runDir = run.dir();
        int verifyStatus = verify.call();

        Path repo = run.dir().getParent().getParent().getParent();
        Slo.Outcome slo = Slo.apply(run, sloFile != null ? sloFile : repo.resolve(Slo.FILE));
        slo.breaches().forEach(b -> System.out.println("SLO BREACHED " + b.orchestrator() + " / " + b.scenario() + ": " + b.describe()));

        RunSummary summary = RunFiles.readSummary(run);
        ChartAttachments.attachAll(run, summary, RunFiles.readTasks(run));
        Path historyDir = RunHistory.dirFor(run.dir());
        RunHistory.append(historyDir, summary);
        PageSections sections = PageSections.of(summary, RunFiles.readTasks(run), slo, RunHistory.readAll(historyDir))
                .withRuntimes(RuntimesSection.render(summary, run));
        Files.writeString(run.comparisonPage(), ComparisonPage.render(summary, ComparisonPage.history(run.dir().getParent()), sections));

        boolean allureBuilt = allure(run, summary);

        ObjectNode checks = Json.MAPPER.createObjectNode().put("verify", verifyStatus == 0 ? "passed" : "failed")
                .put("sloBreaches", slo.breaches().size()).put("allureReport", allureBuilt);
        Files.writeString(run.dir().resolve("checks.json"), Json.MAPPER.writeValueAsString(checks));

        System.out.println("verify:     " + (verifyStatus == 0 ? "every figure rebuilt from the run's files" : "PROBLEMS (see above)"));
        System.out.println("SLOs:       " + (slo.breaches().isEmpty() ? slo.checks().size() + " checks met" : slo.breaches().size() + " BREACHED") + " (" + slo.source() + ")");
        System.out.println("history:    " + historyDir);
        System.out.println("comparison: " + run.comparisonPage());
        System.out.println("allure:     " + (allureBuilt ? run.allureReport().resolve("index.html") : "not built (see above)"));
        System.out.println("serve both: infra/testbed report --serve " + summary.runId() + "   (http://127.0.0.1 only)");
        if (verifyStatus != 0) return 1;
        if (!slo.breaches().isEmpty()) return 3;
        return allureBuilt || allure == null ? 0 : 2;
    }

    private boolean allure(RunFolder run, RunSummary summary) throws IOException, InterruptedException {
        Path results = run.allureResults();
        AllureFiles.writeCategories(results);
        AllureFiles.writeEnvironment(results, summary);
        AllureFiles.writeExecutor(results, summary);
        Optional<Path> previous = AllureFiles.previousHistory(run, summary);
        if (previous.isPresent()) {
            AllureFiles.copyHistory(previous.get(), results);
            System.out.println("allure history: carried from " + previous.get().getParent().getParent().getFileName()
                    + " (the previous run of the same purpose)");
        } else {
            System.out.println("allure history: no earlier run of purpose '" + RunHistory.purpose(summary.runId()) + "' with a report; the Trend starts here");
        }
        if (allure == null) {
            System.out.println("allure: no --allure given, report not generated");
            return false;
        }
        Path log = run.dir().resolve("allure-generate.log");
        // Maven's unpack may drop the script's execute bit: run it through sh then
        List<String> command = new ArrayList<>(Files.isExecutable(allure) ? List.of(allure.toString()) : List.of("sh", allure.toString()));
        command.addAll(List.of("generate", "--clean", "-o", run.allureReport().toString(), results.toString()));
        ProcessBuilder generate = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // without it the report's page loads Google's analytics script: a report must not call out
        generate.environment().put("ALLURE_NO_ANALYTICS", "true");
        Process p = generate.start();
        int rc = p.waitFor();
        if (rc != 0) System.out.println("allure generate failed (exit " + rc + "), its output: " + log);
        return rc == 0 && Files.exists(run.allureReport().resolve("index.html"));
    }

    @Command(name = "gate", description = "Exit 1 when publish found a verify problem, a breached SLO or could not build the Allure report "
            + "(reads RUN_DIR/checks.json); for builds that must fail after the report is built.")
    static final class Gate implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR")
        Path runDir;

        @Override
        public Integer call() throws IOException {
            if (noRunNamed(runDir)) return 0;
            Path file = runDir.resolve("checks.json");
            if (!Files.exists(file)) {
                System.out.println("gate: no checks.json in " + runDir + ": the report was not published");
                return 1;
            }
            var checks = Json.MAPPER.readTree(file.toFile());
            boolean ok = checks.path("verify").asText().equals("passed") && checks.path("sloBreaches").asInt() == 0
                    && checks.path("allureReport").asBoolean();
            System.out.println("gate " + runDir.getFileName() + ": verify " + checks.path("verify").asText() + ", SLO breaches "
                    + checks.path("sloBreaches").asInt() + ", Allure report " + (checks.path("allureReport").asBoolean() ? "built" : "missing"));
            System.out.println("comparison: " + runDir.resolve("comparison.html"));
            System.out.println("allure:     " + runDir.resolve("allure-report").resolve("index.html"));
            System.out.println("serve both: infra/testbed report --serve " + runDir.getFileName() + "   (http://127.0.0.1 only)");
            return ok ? 0 : 1;
        }
    }
}
