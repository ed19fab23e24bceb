package org.computeops.scenarios;

import org.computeops.results.measurements.RuntimeIsolation;
import org.computeops.runtimes.measure.Bench;
import org.computeops.scenarios.harness.RuntimeExtension;
import org.computeops.scenarios.harness.RuntimeSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

/**
 * What each runtime does by default, from probes run inside it: user id and capabilities inside, the host user of
 * the payload (the non-root account for the rootless runtimes), host processes and host network visible, own user
 * namespace.
 */
@ExtendWith(RuntimeExtension.class)
class RuntimesIsolation {

    @Test
    @DisplayName("Container runtimes: isolation by default, probed inside each")
    void isolation(RuntimeSession session) {
        session.execute("runtime-isolation", scenario -> {
            List<List<Object>> rows = new ArrayList<>();
            scenario.perRuntime(session.ready(), r -> {
                Bench.Isolation i = Bench.isolation(r.runtime(), r.image());
                rows.add(List.of(r.id(), i.attempts(), i.uidInside(), i.hostUidOfPayload(), i.capEff(), i.capCount(),
                        i.hostPidsVisible(), i.procsVisible(), i.hostNetwork(), i.userNamespace(), i.uidMap()));
            });
            String file = scenario.samples("isolation", List.of("runtime", "attempts", "uid_inside", "host_uid", "cap_eff",
                    "cap_count", "host_pids_visible", "procs_visible", "host_network", "user_namespace", "uid_map"), rows);
            rows.forEach(row -> scenario.measure(new RuntimeIsolation(file, row.get(0).toString())));
        });
    }
}
