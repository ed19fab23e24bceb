package org.computeops.scenarios;

import org.computeops.results.measurements.RuntimeFootprint;
import org.computeops.runtimes.measure.Bench;
import org.computeops.scenarios.harness.RuntimeExtension;
import org.computeops.scenarios.harness.RuntimeSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

/** Memory of K idle containers (sleep) per runtime: the containers' host processes and the runtime's daemons. */
@ExtendWith(RuntimeExtension.class)
class RuntimesFootprint {

    @Test
    @DisplayName("Container runtimes: memory with idle containers running")
    void footprint(RuntimeSession session) {
        session.execute("runtime-footprint", scenario -> {
            int k = scenario.parameters().positiveInt("scenario.runtimes.k", 20);
            List<List<Object>> rows = new ArrayList<>();
            scenario.perRuntime(session.ready(), r -> {
                Bench.Footprint f = Bench.footprint(r.runtime(), r.image(), k);
                rows.add(List.of(r.id(), f.k(), f.containersPssKib(), f.containersRssKib(), f.processes(), f.daemonsRssBeforeKib(),
                        f.daemonsRssDuringKib(), f.daemonsPssDuringKib()));
            });
            String file = scenario.samples("footprint", List.of("runtime", "k", "containers_pss_kib", "containers_rss_kib", "processes",
                    "daemons_rss_before_kib", "daemons_rss_during_kib", "daemons_pss_during_kib"), rows);
            rows.forEach(row -> scenario.measure(new RuntimeFootprint(file, row.get(0).toString())));
        });
    }
}
