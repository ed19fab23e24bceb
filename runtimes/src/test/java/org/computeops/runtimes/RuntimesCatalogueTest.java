package org.computeops.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.computeops.runtimes.spi.ContainerRuntime;
import org.computeops.runtimes.spi.ImageSet;
import org.junit.jupiter.api.Test;

class RuntimesCatalogueTest {

    private static final ImageSet FAKE = new ImageSet(Path.of("/nonexistent/runtimes"), "computeops/batch-runtimes:1.0",
            "sha256:x", Path.of("/nonexistent/a.tar"), Path.of("/nonexistent/oci"), Path.of("/nonexistent/bundle"),
            Path.of("/nonexistent/bundle/rootfs"), Path.of("/nonexistent/ch"), Path.of("/nonexistent/z.sqfs"),
            Path.of("/nonexistent/g.sqfs"), "/data/blob", 1, "x", Map.of(), "ctbench", 995,
            Path.of("/nonexistent/udocker"), Path.of("/nonexistent/crun-wrapper"), Path.of("/nonexistent/c.conf"));

    @Test
    void idsAreUniqueAndEveryRuntimeSaysHowItDoesGpus() {
        List<ContainerRuntime> all = Runtimes.all(FAKE, "t");
        assertThat(all.stream().map(ContainerRuntime::id).collect(Collectors.toSet())).hasSameSizeAs(all);
        for (ContainerRuntime rt : all) {
            assertThat(rt.gpuMechanism()).as(rt.id()).isNotBlank();
            if (!rt.id().equals("rkt")) assertThat(rt.gpuMechanism()).as(rt.id()).isNotEqualTo("none");
        }
        assertThat(all.stream().filter(r -> r.whyUnavailable().isEmpty()).map(ContainerRuntime::id))
                .as("with no prepared image, only runtimes that need no file of it may claim to run")
                .doesNotContain("runc", "crun", "charliecloud-dir", "charliecloud-squashfs-zstd", "udocker-p1");
    }

    @Test
    void notInstallableRowsCarryAReasonAndRefuseToRun() {
        List<ContainerRuntime> rows = Runtimes.notInstallable();
        assertThat(rows).extracting(ContainerRuntime::id).containsExactly("apptainer", "shifter", "sarus", "enroot", "rkt");
        for (ContainerRuntime r : rows) {
            assertThat(r.whyUnavailable()).as(r.id()).hasValueSatisfying(w -> assertThat(w).isNotBlank());
            assertThat(r.version()).isEmpty();
            assertThatThrownBy(() -> r.run(null, List.of("true"), Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(r.whyUnavailable().get());
        }
    }

    @Test
    void gpuTextNeverClaimsAMeasurement() {
        for (ContainerRuntime rt : Runtimes.all(FAKE, "t")) {
            if (rt.whyUnavailable().isEmpty() || !Runtimes.notInstallable().contains(rt)) {
                assertThat(rt.gpuMechanism()).as(rt.id()).contains("not measured here");
            }
        }
    }
}
