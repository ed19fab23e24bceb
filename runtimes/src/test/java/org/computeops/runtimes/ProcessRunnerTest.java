package org.computeops.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.computeops.runtimes.spi.RunResult;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {

    @Test
    void timesFirstOutputAndExitSeparately() throws Exception {
        long t0 = ProcessRunner.now();
        RunResult r = ProcessRunner.run(t0, List.of("/bin/sh", "-c", "sleep 0.2; echo out; echo err >&2; sleep 0.3"),
                null, null, Duration.ofSeconds(10));
        assertThat(r.ok()).isTrue();
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
        assertThat(r.firstOutputMillis()).isBetween(190.0, 480.0);
        assertThat(r.exitMillis()).isGreaterThanOrEqualTo(490.0);
        assertThat(r.exitNanos()).isGreaterThan(r.firstOutputNanos());
    }

    @Test
    void noOutputMeansNoFirstOutputTime() throws Exception {
        RunResult r = ProcessRunner.run(ProcessRunner.now(), List.of("/bin/true"), null, null, Duration.ofSeconds(10));
        assertThat(r.ok()).isTrue();
        assertThat(r.firstOutputNanos()).isEqualTo(-1);
        assertThat(r.firstOutputMillis()).isNaN();
    }

    @Test
    void exitCodeKept() throws Exception {
        RunResult r = ProcessRunner.run(ProcessRunner.now(), List.of("/bin/sh", "-c", "exit 3"), null, null,
                Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.ok()).isFalse();
        assertThat(r.timedOut()).isFalse();
    }

    @Test
    void timeoutKillsTheProcessTree() throws Exception {
        RunResult r = ProcessRunner.run(ProcessRunner.now(), List.of("/bin/sh", "-c", "echo started; sleep 30; echo never"),
                null, null, Duration.ofMillis(500));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(r.out()).isEqualTo("started\n");
        assertThat(r.exitMillis()).isBetween(490.0, 5000.0);
    }
}
