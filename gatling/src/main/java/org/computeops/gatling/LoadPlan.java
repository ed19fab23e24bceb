package org.computeops.gatling;

import java.util.List;

/**
 * Stepped open-model load: {@code ratesPerSecond[i]} new requests per second during step i, each
 * step {@code stepSeconds} long, sent to the {@code targetUrls} in turn.
 */
public record LoadPlan(List<String> targetUrls, List<Integer> ratesPerSecond, int stepSeconds) {

    public LoadPlan {
        targetUrls = LoadTargets.checked(targetUrls);
        if (ratesPerSecond == null || ratesPerSecond.isEmpty() || ratesPerSecond.stream().anyMatch(r -> r <= 0)) {
            throw new IllegalArgumentException("load steps must be rates > 0 per second, was " + ratesPerSecond);
        }
        if (stepSeconds <= 0) throw new IllegalArgumentException("step length must be > 0 s, was " + stepSeconds);
        ratesPerSecond = List.copyOf(ratesPerSecond);
    }

    static String requestName(int step, int rate) {
        return String.format("step %d: %d req/s", step + 1, rate);
    }
}
