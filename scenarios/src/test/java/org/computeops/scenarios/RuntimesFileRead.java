package org.computeops.scenarios;

import org.computeops.results.measurements.RuntimeFileRead;
import org.computeops.runtimes.measure.Bench;
import org.computeops.scenarios.harness.RuntimeExtension;
import org.computeops.scenarios.harness.RuntimeSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading the image's fixed file (its size set by prepare-image.sh's IO_BLOB_MB: 200 MiB in compare, 16 MiB in
 * test) inside each runtime: overlay in an engine's store, unpacked directory, SquashFS; cold and warm.
 */
@ExtendWith(RuntimeExtension.class)
class RuntimesFileRead {

    @Test
    @DisplayName("Container runtimes: reading a file of the image (overlay, directory, SquashFS)")
    void fileRead(RuntimeSession session) {
        session.execute("runtime-file-read", scenario -> {
            int reps = scenario.parameters().positiveInt("scenario.runtimes.ioReps", 3);
            scenario.condition("file_bytes", Long.toString(session.images().blobBytes()));
            List<RuntimeSession.Ready> all = session.bareAndReady();
            List<List<Object>> rows = new ArrayList<>();
            List<String> done = new ArrayList<>();
            scenario.perRuntime(all, r -> {
                Bench.FileRead f = Bench.fileRead(r.runtime(), r.image(), session.images().blobPath(), session.images().blobBytes(), reps);
                for (int i = 0; i < reps; i++) rows.add(List.of(r.id(), f.form(), f.bytes(), i + 1, f.coldSeconds()[i], f.warmSeconds()[i]));
                done.add(r.id());
            });
            String file = scenario.samples("fileread", List.of("runtime", "form", "bytes", "i", "cold_s", "warm_s"), rows);
            done.forEach(id -> scenario.measure(new RuntimeFileRead(file, id)));
        });
    }
}
