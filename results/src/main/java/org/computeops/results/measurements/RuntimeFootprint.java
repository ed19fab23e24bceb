package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.List;
import java.util.Map;

/**
 * Memory while K idle containers of one runtime run: {@code footprint_pss_mib_per_container[RUNTIME]} (proportional
 * set size of every host process of the containers, summed, / K) and {@code footprint_daemons_rss_mib[RUNTIME]} (the
 * runtime's daemons, e.g. dockerd + containerd, 0 for daemonless runtimes), from /proc/PID/smaps_rollup.
 */
public record RuntimeFootprint(String samples, String runtime) implements Measurement {

    public static RuntimeFootprint fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("RuntimeFootprint", inputs);
        return new RuntimeFootprint(in.string("samples"), in.string("runtime"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("samples", samples, "runtime", runtime);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        Map<String, String> r = SampleFiles.onlyRow(evidence.run(), samples, runtime);
        int k = Integer.parseInt(r.get("k"));
        double pss = Long.parseLong(r.get("containers_pss_kib")) / 1024.0 / k;
        double daemons = Long.parseLong(r.get("daemons_rss_during_kib")) / 1024.0;
        return List.of(
                Figure.value("footprint_pss_mib_per_container[" + runtime + "]", "MiB", k, RuntimeStartup.round(pss), "host",
                        runtime + ": PSS of all host processes of " + k + " idle containers / " + k + " (" + r.get("processes") + " processes)"),
                Figure.value("footprint_daemons_rss_mib[" + runtime + "]", "MiB", k, RuntimeStartup.round(daemons), "host",
                        runtime + ": RSS of the runtime's daemons while " + k + " idle containers ran (0: daemonless)"));
    }
}
