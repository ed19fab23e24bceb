package org.computeops.results.measurements;

import org.computeops.results.model.Figure;
import org.computeops.results.model.TaskRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code submit_call_ms}: how long each submit call took, from issued to returned (client clock), one value per deployment. */
public record SubmitCall() implements Measurement {

    public static SubmitCall fromInputs(Map<String, String> inputs) {
        return new SubmitCall();
    }

    @Override
    public Map<String, String> inputs() {
        return Map.of();
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        Map<String, TaskRecord> byDeployment = new LinkedHashMap<>();
        evidence.tasks().forEach(t -> byDeployment.putIfAbsent(t.deploymentId(), t));
        List<Double> values = new ArrayList<>();
        long errors = 0;
        for (TaskRecord t : byDeployment.values()) {
            if (t.submitStartedAt() == null || t.submittedAt() == null) errors++;
            else values.add(Duration.between(t.submitStartedAt(), t.submittedAt()).toNanos() / 1e6);
        }
        if (values.isEmpty() && errors == 0) return List.of();
        return List.of(Quantiles.latency("submit_call_ms", values, errors, "client",
                "submit call issued -> returned, per deployment (a harness cost, not part of any latency's start)"));
    }
}
