package org.computeops.results.measurements;

import org.computeops.results.model.Figure;
import org.computeops.results.model.TaskRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code scale_out_s}: from the scale call to the target number of the service's replicas first
 * seen running at once (client clock), by the same definition as recovery.
 */
public record ScaleOut(String service, Instant scaledAt, int from, int to) implements Measurement {

    public static final String FIGURE = "scale_out_s";

    public static ScaleOut fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("ScaleOut", inputs);
        return new ScaleOut(in.string("service"), in.instant("scaled_at"), in.integer("from"), in.integer("to"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("service", service, "scaled_at", scaledAt.toString(), "from", Integer.toString(from), "to", Integer.toString(to));
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<TaskRecord> replicas = evidence.tasks(t -> t.workload().equals(service));
        String note = "scale call -> " + to + " replicas first seen running at once (scale from " + from + " to " + to + ")";
        return List.of(Recovery.firstRunningAtOnce(replicas, null, scaledAt, to)
                .map(at -> Figure.value(FIGURE, "s", to, Duration.between(scaledAt, at).toMillis() / 1000.0, "client", note))
                .orElse(Figure.value(FIGURE, "s", 0, null, "client", to, note + ": never reached")));
    }
}
