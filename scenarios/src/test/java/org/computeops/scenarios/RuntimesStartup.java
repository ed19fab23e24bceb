package org.computeops.scenarios;

import org.computeops.results.measurements.RuntimeStartup;
import org.computeops.runtimes.measure.Bench;
import org.computeops.runtimes.measure.Probes;
import org.computeops.scenarios.harness.RuntimeExtension;
import org.computeops.scenarios.harness.RuntimeSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

/**
 * Start-up of every runtime, one container after the other: `true` warm (n runs after one discarded), `true` cold
 * (page cache dropped before each run), and `echo ready` for the time to the first output byte. The bare host runs
 * the same commands through the same code path: its `true` is the harness's own cost (must stay below 5 ms).
 */
@ExtendWith(RuntimeExtension.class)
class RuntimesStartup {

    @Test
    @DisplayName("Container runtimes: start-up of `true`, warm and cold, and time to first output")
    void startup(RuntimeSession session) {
        session.execute("runtime-startup", scenario -> {
            int n = scenario.parameters().positiveInt("scenario.runtimes.n", 100);
            int cold = scenario.parameters().positiveInt("scenario.runtimes.cold", 100);
            List<RuntimeSession.Ready> all = session.bareAndReady();
            List<List<Object>> rows = new ArrayList<>();
            List<String> done = new ArrayList<>();
            scenario.perRuntime(all, r -> {
                List<Bench.Startup> runs = List.of(
                        Bench.startup(r.runtime(), r.image(), n, false, Probes.TRUE),
                        Bench.startup(r.runtime(), r.image(), n, false, Probes.ECHO),
                        Bench.startup(r.runtime(), r.image(), cold, true, Probes.TRUE));
                for (Bench.Startup s : runs) {
                    String mode = s.command().startsWith("echo") ? "echo" : s.mode();
                    for (int i = 0; i < s.n(); i++) {
                        rows.add(List.of(r.id(), mode, s.command(), i + 1, s.firstOutputMs()[i], s.exitMs()[i], s.ok()[i]));
                    }
                }
                done.add(r.id());
            });
            String file = scenario.samples("startup", List.of("runtime", "mode", "command", "i", "first_output_ms", "exit_ms", "ok"), rows);
            for (String id : done) {
                scenario.measure(new RuntimeStartup(file, id, "warm", "exit_ms"));
                scenario.measure(new RuntimeStartup(file, id, "cold", "exit_ms"));
                scenario.measure(new RuntimeStartup(file, id, "echo", "first_output_ms"));
            }
        });
    }
}
