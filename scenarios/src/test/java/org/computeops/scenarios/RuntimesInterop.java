package org.computeops.scenarios;

import org.computeops.results.measurements.ImageConversion;
import org.computeops.results.measurements.RuntimeInterop;
import org.computeops.runtimes.measure.Bench;
import org.computeops.scenarios.harness.RuntimeExtension;
import org.computeops.scenarios.harness.RuntimeSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Docker image, every runtime: the image's conversion steps (time, size), then the same probe in every runtime
 * (SHA-256 of a generated stream and of the image's fixed file, uname -m) compared with the bare host's output.
 */
@ExtendWith(RuntimeExtension.class)
class RuntimesInterop {

    static final List<String> HEADER = List.of("runtime", "form", "docker_image_unchanged", "exit_code", "stdout_sha256",
            "stdout_lf_sha256", "stdout");

    @Test
    @DisplayName("Container runtimes: the same command gives the same output from one Docker image in every runtime")
    void interoperability(RuntimeSession session) {
        session.execute("runtime-interop", scenario -> {
            List<List<Object>> steps = new ArrayList<>();
            Map<String, String> s = session.images().steps();
            s.keySet().stream().filter(k -> k.endsWith(".seconds")).map(k -> k.substring(0, k.length() - 8))
                    .forEach(step -> steps.add(List.of(step, s.get(step + ".seconds"), s.getOrDefault(step + ".bytes", "0"))));
            scenario.measure(new ImageConversion(scenario.samples("conversion", List.of("step", "seconds", "bytes"), steps)));

            List<RuntimeSession.Ready> all = session.bareAndReady();
            List<List<Object>> rows = new ArrayList<>();
            List<String> done = new ArrayList<>();
            scenario.perRuntime(all, r -> {
                Bench.Interop i = Bench.interop(r.runtime(), r.image(), session.images().blobPath());
                rows.add(List.of(r.id(), i.form(), i.dockerImageUnchanged(), i.exitCode(), sha256(i.stdout()),
                        sha256(i.stdout().replace("\r\n", "\n")), i.stdout()));
                done.add(r.id());
            });
            String file = scenario.samples("interop", HEADER, rows);
            for (String id : done) if (!id.equals("host")) scenario.measure(new RuntimeInterop(file, id));
            assertThat(done).as("the bare host's reference output").contains("host");
            assertThat(rows.get(0).get(6).toString()).as("the bare host reads the image's fixed file")
                    .contains(session.images().blobSha256());
        });
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
