package org.computeops.scenarios;

import org.computeops.results.measurements.ComputeOverhead;
import org.computeops.runtimes.measure.Bench;
import org.computeops.scenarios.harness.RuntimeExtension;
import org.computeops.scenarios.harness.RuntimeSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

/**
 * Compute overhead: the same kernel (busybox sha256sum over the image's fixed file, passes timed inside) in each
 * runtime and on the bare host, in interleaved pairs whose order alternates; the ratio runtime / bare per pair.
 */
@ExtendWith(RuntimeExtension.class)
class RuntimesCompute {

    @Test
    @DisplayName("Container runtimes: compute overhead against the bare host")
    void computeOverhead(RuntimeSession session) {
        session.execute("runtime-compute", scenario -> {
            int reps = scenario.parameters().positiveInt("scenario.runtimes.reps", 10);
            int iters = scenario.parameters().positiveInt("scenario.runtimes.iters", 4);
            List<List<Object>> rows = new ArrayList<>();
            List<String> done = new ArrayList<>();
            scenario.perRuntime(session.ready(), r -> {
                Bench.Compute c = Bench.compute(r.runtime(), r.image(), session.bare().runtime(), session.bare().image(),
                        session.images().blobPath(), iters, reps);
                for (int i = 0; i < reps; i++) rows.add(List.of(r.id(), i + 1, c.runtimeSeconds()[i], c.bareSeconds()[i]));
                done.add(r.id());
            });
            String file = scenario.samples("compute", List.of("runtime", "i", "runtime_s", "bare_s"), rows);
            done.forEach(id -> scenario.measure(new ComputeOverhead(file, id)));
        });
    }
}
