package org.computeops.submit;

import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.orchestrators.spi.Phase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.computeops.orchestrators.spi.Phase.CREATED;
import static org.computeops.orchestrators.spi.Phase.FAILED;
import static org.computeops.orchestrators.spi.Phase.RUNNING;
import static org.computeops.orchestrators.spi.Phase.SCHEDULED;
import static org.computeops.orchestrators.spi.Phase.SUCCEEDED;

class SubmitCliTest {

    static final List<Phase> OK = List.of(CREATED, SCHEDULED, RUNNING, SUCCEEDED);
    static final List<Phase> FAILS = List.of(CREATED, SCHEDULED, RUNNING, FAILED);

    @TempDir
    Path dir;
    Path job;
    Path state;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final List<FakeOrchestrator> opened = Collections.synchronizedList(new ArrayList<>());
    List<List<Phase>> script = List.of(OK, OK, OK, OK);
    RuntimeException openFails;
    String refuse;

    @BeforeEach
    void files() throws Exception {
        job = dir.resolve("job.yaml");
        Files.writeString(job, JobFileReaderTest.GOOD);
        state = dir.resolve("state");
        Files.createDirectories(state.resolve("slurm"));
        Files.writeString(state.resolve("slurm/testbed.properties"), "testbed.slurm.url=http://127.0.0.1:6820\ntestbed.slurm.user=root\n");
    }

    int run(boolean terminal, String... args) {
        SubmitCli cli = new SubmitCli((name, settings) -> open(settings), Map.of(), state,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                terminal, Duration.ofMillis(10), Duration.ofMillis(50));
        return SubmitCli.commandLine(cli).execute(args);
    }

    FakeOrchestrator open(AdapterSettings settings) {
        if (openFails != null) throw openFails;
        FakeOrchestrator o = new FakeOrchestrator(settings, script);
        o.refuse = refuse;
        opened.add(o);
        return o;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsTheJobPrintsEachTaskAndRemovesIt() {
        int code = run(false, "--on", "slurm", job.toString());

        assertThat(code).as(err()).isZero();
        FakeOrchestrator o = opened.get(0);
        assertThat(o.submitted).isEqualTo(JobFileReader.read(job, "job.yaml"));
        assertThat(o.closed).as("close() removes what the run created").isTrue();
        assertThat(o.eventsClosed).isTrue();
        assertThat(o.runId()).matches("submit-\\d{8}-\\d{6}-[a-z0-9]{4}").hasSize(SubmitCli.RUN_ID_LENGTH);
        assertThat(o.settings.properties()).containsEntry("testbed.slurm.url", "http://127.0.0.1:6820");
        assertThat(out())
                .contains("slurm at fake://cluster: Fake 1.0, 2/2 nodes ready, 2 GPU(s); settings from " + state.resolve("slurm/testbed.properties"))
                .contains("4/4 succeeded, 0 running, 0 failed")
                .contains("job sleepy done: 4/4 succeeded, 0 failed")
                .contains("removed what run " + o.runId() + " created on slurm");
        List<String> rows = out().lines().filter(l -> l.startsWith("task-")).toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).matches("task-0\\s+node-1\\s+\\d+\\.\\d{3} s\\s+\\d+\\.\\d{3} s\\s+\\d+\\.\\d{3} s\\s+\\d+\\.\\d{3} s\\s+succeeded");
        assertThat(rows.get(1)).contains("node-2");
    }

    @Test
    void aFailedTaskGivesExitCode1AndItsDetail() {
        script = List.of(OK, FAILS, OK, OK);
        int code = run(false, "--on", "slurm", job.toString());

        assertThat(code).isEqualTo(SubmitCli.TASK_FAILED);
        assertThat(out()).contains("job sleepy FAILED: 3/4 succeeded, 1 failed");
        assertThat(out().lines().filter(l -> l.startsWith("task-1"))).singleElement().asString().contains("failed", "exit code 3");
        assertThat(opened.get(0).closed).isTrue();
    }

    @Test
    void theTimeoutRemovesTheJobAndGivesExitCode3() {
        script = List.of(OK, List.of(CREATED, SCHEDULED, RUNNING));
        int code = run(false, "--on", "slurm", "--timeout", "300ms", job.toString());

        assertThat(code).isEqualTo(SubmitCli.TIMED_OUT);
        assertThat(out()).contains("job sleepy TIMED OUT after 300 ms: 1/4 succeeded, 0 failed");
        assertThat(out().lines().filter(l -> l.startsWith("task-1"))).singleElement().asString().matches(".*\\s-\\s+running$");
        assertThat(opened.get(0).closed).isTrue();
    }

    @Test
    void onATerminalTheProgressIsOneLineRewrittenInPlace() {
        int code = run(true, "--on", "slurm", job.toString());

        assertThat(code).isZero();
        String all = out();
        String progress = all.substring(all.indexOf(" pass\n") + 6, all.indexOf("\ntask "));
        // every update returns to the line's start and erases what was there: no new line until the end
        assertThat(progress).startsWith("\r0/4 succeeded").contains("\r4/4 succeeded, 0 running, 0 failed  [0 s]\033[K").doesNotContain("\n");
    }

    @Test
    void aBadJobFileOpensNothing() throws Exception {
        Files.writeString(job, JobFileReaderTest.GOOD.replace("tasks: 4", "tasks: -1"));
        int code = run(false, "--on", "slurm", job.toString());

        assertThat(code).isEqualTo(SubmitCli.BAD_INPUT);
        assertThat(opened).isEmpty();
        assertThat(err()).isEqualTo("submit: " + job + ": tasks must be a whole number >= 1 (default 1); was -1\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void anUnknownOrchestratorIsOneLine() {
        assertThat(run(false, "--on", "k8s", job.toString())).isEqualTo(SubmitCli.BAD_INPUT);
        assertThat(err()).isEqualTo("submit: --on must be one of slurm, kubernetes, swarm, mesos; was 'k8s'\n");
        assertThat(opened).isEmpty();
    }

    @Test
    void aMissingOptionIsOneLine() {
        assertThat(run(false, job.toString())).isEqualTo(SubmitCli.BAD_INPUT);
        assertThat(err()).isEqualTo("submit: Missing required option: '--on=ORCHESTRATOR' (see --help)\n");
    }

    @Test
    void settingsOverrideTheLocalTestbedKeyByKey() {
        int code = run(false, "--on", "slurm", "-Dtestbed.slurm.user=alice", "--setting", "testbed.slurm.partition=gpu", job.toString());

        assertThat(code).as(err()).isZero();
        assertThat(opened.get(0).settings.properties())
                .containsEntry("testbed.slurm.url", "http://127.0.0.1:6820")
                .containsEntry("testbed.slurm.user", "alice")
                .containsEntry("testbed.slurm.partition", "gpu");
        assertThat(out()).contains("settings from " + state.resolve("slurm/testbed.properties") + " + 2 explicit setting(s)");
    }

    @Test
    void aSettingOutsideTestbedIsRefusedBeforeOpening() {
        assertThat(run(false, "--on", "slurm", "--setting", "slurm.url=x", job.toString())).isEqualTo(SubmitCli.BAD_INPUT);
        assertThat(err()).startsWith("submit: setting 'slurm.url' is not an adapter setting").doesNotContain("\n\n");
        assertThat(opened).isEmpty();
    }

    @Test
    void anUnreachableOrchestratorIsOneLineWithExitCode4() {
        openFails = new AdapterException("slurmrestd at http://127.0.0.1:6820 does not answer");
        int code = run(false, "--on", "slurm", job.toString());

        assertThat(code).isEqualTo(SubmitCli.ORCHESTRATOR_ERROR);
        assertThat(err()).isEqualTo("submit: cannot talk to slurm: slurmrestd at http://127.0.0.1:6820 does not answer (settings from "
                + state.resolve("slurm/testbed.properties") + ")\n");
    }

    @Test
    void aJobTheClusterRefusesIsNotSubmittedAndTheAdapterIsClosed() {
        refuse = "workload 'sleepy' asks for 1 GPU(s) per task but no ready node advertises a gpu GRES";
        int code = run(false, "--on", "slurm", job.toString());

        assertThat(code).isEqualTo(SubmitCli.ORCHESTRATOR_ERROR);
        assertThat(err()).isEqualTo("submit: slurm did not take job sleepy: " + refuse + "\n");
        assertThat(opened.get(0).submitted).isNull();
        assertThat(opened.get(0).closed).isTrue();
    }

    @Test
    void twoRunIdsOfTheSameSecondDiffer() {
        var now = java.time.Instant.parse("2026-11-29T05:00:00Z");
        assertThat(SubmitCli.newRunId(now)).startsWith("submit-20261129-050000-").isNotEqualTo(SubmitCli.newRunId(now));
        new AdapterSettings(SubmitCli.newRunId(now), Map.of()); // the SPI's own check of the run id
    }
}
