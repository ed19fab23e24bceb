package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.List;
import java.util.Map;

/**
 * What one runtime does by default, from probes run inside it: user id inside, the host user id of the payload
 * process, effective capabilities (count), whether host processes and the host's network namespace are visible
 * (1/0), whether it has its own user namespace (1/0). One row per runtime; each a value figure {@code isolation_*}.
 */
public record RuntimeIsolation(String samples, String runtime) implements Measurement {

    static final List<String> COLUMNS = List.of("uid_inside", "host_uid", "cap_count", "host_pids_visible", "host_network", "user_namespace");

    public static RuntimeIsolation fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("RuntimeIsolation", inputs);
        return new RuntimeIsolation(in.string("samples"), in.string("runtime"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("samples", samples, "runtime", runtime);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        Map<String, String> r = SampleFiles.onlyRow(evidence.run(), samples, runtime);
        return COLUMNS.stream().map(c -> Figure.value("isolation_" + c + "[" + runtime + "]", c.equals("cap_count") ? "capabilities" : "",
                1, bool(r.get(c)), "probe", runtime + ": probe inside the container (" + r.get("attempts") + " attempt(s))")).toList();
    }

    private static double bool(String v) {
        return switch (v) {
            case "true" -> 1;
            case "false" -> 0;
            default -> Double.parseDouble(v);
        };
    }
}
