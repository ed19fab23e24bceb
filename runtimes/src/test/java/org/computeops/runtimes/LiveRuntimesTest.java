package org.computeops.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.computeops.runtimes.adapters.BareHost;
import org.computeops.runtimes.measure.Bench;
import org.computeops.runtimes.measure.Probes;
import org.computeops.runtimes.spi.ContainerRuntime;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs every runtime that can run here, at small n (-Druntimes.n, default 10). Needs root and
 * infra/runtimes/install.sh + prepare-image.sh; without them the class is reported as skipped (never as passed).
 * An installed runtime that fails to prepare fails the test: only the listed not-installable ones may be absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveRuntimesTest {

    /** Runtimes install.sh installs; each must be available after it ran. */
    static final List<String> EXPECTED = List.of("docker", "podman-crun", "podman-runc", "runc", "crun",
            "runc-rootless", "crun-rootless", "lxc",
            "charliecloud-dir", "charliecloud-squashfs-zstd", "charliecloud-squashfs-gzip", "udocker-p1", "udocker-r1");

    ImageSet images;
    String runId;
    BareHost bare;
    PreparedImage bareImg;
    final Map<ContainerRuntime, PreparedImage> ready = new LinkedHashMap<>();
    final List<ContainerRuntime> all = new ArrayList<>();
    int n;

    @BeforeAll
    void prepare() throws IOException {
        // infra/testbed test prepares the runtimes and sets runtimes.required: there a missing one fails, never skips
        if (Boolean.getBoolean("runtimes.required")) {
            assertThat(ImageSet.isPrepared(ImageSet.defaultStateDir()))
                    .as("run infra/runtimes/install.sh and infra/runtimes/prepare-image.sh first").isTrue();
        }
        assumeThat(ImageSet.isPrepared(ImageSet.defaultStateDir()))
                .as("run infra/runtimes/install.sh and infra/runtimes/prepare-image.sh first").isTrue();
        assumeThat(ProcessHandle.current().info().user().orElse("")).as("the live runtimes test runs as root").isEqualTo("root");
        images = ImageSet.load(ImageSet.defaultStateDir());
        runId = "t" + Long.toString(ProcessHandle.current().pid(), 36);
        n = Integer.parseInt(System.getProperty("runtimes.n", "10"));
        bare = Runtimes.baselines(images, runId).get(0);
        bareImg = bare.prepare(images);
        all.addAll(Runtimes.all(images, runId));
        for (ContainerRuntime rt : all) {
            if (EXPECTED.contains(rt.id())) {
                assertThat(rt.whyUnavailable()).as(rt.id() + " should be installed by install.sh").isEmpty();
                ready.put(rt, rt.prepare(images));
            } else {
                assertThat(rt.whyUnavailable()).as(rt.id()).isPresent();
            }
        }
        assertThat(ready.keySet()).extracting(ContainerRuntime::id).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @AfterAll
    void cleanUp() {
        if (images == null) return;
        all.forEach(ContainerRuntime::close);
        // nothing carrying this run id may be left in the engines
        assertThat(ProcessRunner.quiet(List.of("/usr/bin/docker", "ps", "-aq", "--filter", "name=ctb-" + runId),
                null, java.time.Duration.ofSeconds(60)).out()).isBlank();
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/run/ctb-runc-" + runId))).isFalse();
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/run/ctb-lxc-" + runId))).isFalse();
    }

    @Test
    void sameCommandGivesByteIdenticalOutputEverywhere() throws IOException {
        Bench.Interop ref = Bench.interop(bare, bareImg, images.blobPath());
        assertThat(ref.exitCode()).isZero();
        assertThat(ref.stdout()).contains(images.blobSha256()).contains("x86_64");
        for (Map.Entry<ContainerRuntime, PreparedImage> e : ready.entrySet()) {
            Bench.Interop i = Bench.interop(e.getKey(), e.getValue(), images.blobPath());
            if (e.getKey().id().equals("udocker-r1")) {
                // its terminal relay sometimes loses output (seen here); up to 3 runs to see the complete one
                for (int a = 1; a < 3 && !i.stdout().replace("\r\n", "\n").equals(ref.stdout()); a++) {
                    i = Bench.interop(e.getKey(), e.getValue(), images.blobPath());
                }
                // udocker 1.3.17 R1 runs runc with a terminal: CRLF line ends, and exit 1 after success with its
                // Popen object on stderr (its returncode printed as 0, or as None when printed before runc
                // returned: both seen in CI). The content is the same; the bytes and the exit are not. If a
                // later udocker fixes this, this assertion fails and the special case goes.
                assertThat(i.stdout()).isNotEqualTo(ref.stdout());
                assertThat(i.stdout().replace("\r\n", "\n")).isEqualTo(ref.stdout());
                assertThat(i.stderr()).containsPattern("Popen: returncode: (0|None)");
                continue;
            }
            assertThat(i.exitCode()).as(e.getKey().id() + ": " + i.stderr()).isZero();
            assertThat(i.stdout()).as(e.getKey().id()).isEqualTo(ref.stdout());
        }
    }

    @Test
    void everyRuntimeGivesTheStartupCountAskedFor() throws IOException {
        for (Map.Entry<ContainerRuntime, PreparedImage> e : ready.entrySet()) {
            Bench.Startup s = Bench.startup(e.getKey(), e.getValue(), n, false, Probes.ECHO);
            assertThat(s.n()).as(e.getKey().id()).isEqualTo(n);
            assertThat(java.util.Arrays.stream(s.exitMs()).min().orElse(0)).as(e.getKey().id()).isPositive();
            assertThat(java.util.Arrays.stream(s.firstOutputMs()).min().orElse(0)).as(e.getKey().id()).isPositive();
            assertThat(s.p(50)).isGreaterThanOrEqualTo(s.firstP(50) * 0.999 - 50); // exit comes after the output
            // udocker R1's exit 1 after success counts as a success when it reports its payload's exit 0 (see Bench).
            // Sometimes it prints the Popen object instead of relaying the payload's exit and output
            // ("returncode: None", or "returncode: 0" with the output cut short, both seen in CI): the sample
            // stays a failure (an error in the figure), but it is udocker's relay, not this harness; only
            // that failure is let through, and never for every sample.
            if (e.getKey().id().equals("udocker-r1") && s.failures() > 0) {
                assertThat(s.firstFailure()).as(e.getKey().id()).contains("<Popen: returncode: ");
                assertThat(s.failures()).as(e.getKey().id() + ": " + s.firstFailure()).isLessThan(n);
                continue;
            }
            assertThat(s.failures()).as(e.getKey().id() + ": " + s.firstFailure()).isZero();
        }
    }

    @Test
    void theHarnessCostIsMeasuredOnTheBareHost() throws IOException {
        // bare host `true` (busybox itself included) through the same run path as every runtime; its
        // figure (target < 5 ms) is quoted from RuntimeBench, not timed here: a test checks correctness
        Bench.Startup s = Bench.startup(bare, bareImg, Math.max(n, 20), false, Probes.TRUE);
        assertThat(s.failures()).isZero();
        assertThat(s.n()).isEqualTo(Math.max(n, 20));
        assertThat(s.p(50)).as("bare host true p50, ms").isPositive();
    }

    @Test
    void isolationAsDesigned() throws IOException {
        Map<String, Bench.Isolation> rows = new LinkedHashMap<>();
        for (Map.Entry<ContainerRuntime, PreparedImage> e : ready.entrySet()) {
            rows.put(e.getKey().id(), Bench.isolation(e.getKey(), e.getValue()));
        }
        for (String id : List.of("docker", "podman-crun", "runc", "crun", "lxc")) {
            Bench.Isolation i = rows.get(id);
            assertThat(i.uidInside()).as(id).isZero();
            assertThat(i.hostUidOfPayload()).as(id + ": root in the container is root on the host").isZero();
            assertThat(i.hostPidsVisible()).as(id).isFalse();
            assertThat(i.hostNetwork()).as(id).isFalse();
        }
        for (String id : List.of("runc-rootless", "crun-rootless")) {
            Bench.Isolation i = rows.get(id);
            assertThat(i.uidInside()).as(id).isZero();
            assertThat(i.hostUidOfPayload()).as(id + ": root inside is the account outside").isEqualTo(images.uid());
            assertThat(i.userNamespace()).as(id).isTrue();
            assertThat(i.hostPidsVisible()).as(id).isFalse();
        }
        for (String id : List.of("charliecloud-dir", "charliecloud-squashfs-zstd", "udocker-p1", "udocker-r1")) {
            Bench.Isolation i = rows.get(id);
            assertThat(i.hostUidOfPayload()).as(id + " runs as the non-root account").isEqualTo(images.uid());
            assertThat(i.nonRootOnHost()).isTrue();
            assertThat(i.hostNetwork()).as(id + " shares the host network").isTrue();
        }
        assertThat(rows.get("charliecloud-dir").hostPidsVisible()).isTrue();
        assertThat(rows.get("charliecloud-dir").uidInside()).isEqualTo(images.uid());
        assertThat(rows.get("udocker-p1").uidInside()).as("proot fakes root").isZero();
        assertThat(rows.get("udocker-p1").userNamespace()).isFalse();
    }

    @Test
    void computeKernelAndFileReadRunEverywhere() throws IOException {
        for (Map.Entry<ContainerRuntime, PreparedImage> e : ready.entrySet()) {
            Bench.Compute c = Bench.compute(e.getKey(), e.getValue(), bare, bareImg, images.blobPath(), 1, 2);
            assertThat(c.runtimeSeconds()).hasSize(2);
            assertThat(java.util.Arrays.stream(c.runtimeSeconds()).min().orElse(0)).as(e.getKey().id()).isPositive();
            assertThat(c.ci().low()).isLessThanOrEqualTo(c.ci().high());
            Bench.FileRead f = Bench.fileRead(e.getKey(), e.getValue(), images.blobPath(), images.blobBytes(), 1);
            assertThat(f.coldMibPerS()).as(e.getKey().id()).isPositive();
        }
    }

    @Test
    void idleContainersLeaveNoProcessBehind() throws Exception {
        for (Map.Entry<ContainerRuntime, PreparedImage> e : ready.entrySet()) {
            java.util.Set<Long> pids;
            long payload;
            try (var c = e.getKey().startIdle(e.getValue(), "leak")) {
                pids = c.hostPids();
                payload = c.payloadPid();
                assertThat(pids).as(e.getKey().id()).isNotEmpty();
                assertThat(Procs.comm(payload)).as(e.getKey().id()).hasValue("sleep");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (pids.stream().anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pids).as(e.getKey().id() + ": processes left after close")
                    .noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void footprintCountsTheContainersProcesses() throws IOException {
        for (Map.Entry<ContainerRuntime, PreparedImage> e : ready.entrySet()) {
            Bench.Footprint f = Bench.footprint(e.getKey(), e.getValue(), 2);
            assertThat(f.processes()).as(e.getKey().id()).isGreaterThanOrEqualTo(2);
            assertThat(f.containersPssKib()).as(e.getKey().id()).isPositive();
            if (e.getKey().id().equals("docker")) assertThat(f.daemonsRssDuringKib()).isPositive();
        }
    }
}
