package org.computeops.scenarios.harness;

import org.computeops.results.measurements.ErrorBudget;
import org.computeops.results.model.Figure;

import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's status from how its body ended and what its figures say. Body: passed, or failed
 * (an assertion), broken (could not run to the end), skipped (capability missing). Then a passed
 * scenario fails when a latency figure misses too many readings (the error budget) or a figure
 * breaks its measurement's threshold, and is broken when a measurement could not be computed.
 */
record Verdict(String status, String reason, boolean byFigures) {

    static Verdict of(String bodyStatus, String bodyReason, List<Figure> figures, ErrorBudget budget,
                      List<String> violations, List<String> uncomputed) {
        String status = bodyStatus == null ? "passed" : bodyStatus;
        if (!"passed".equals(status)) return new Verdict(status, bodyReason, false);
        if (!uncomputed.isEmpty()) return new Verdict("broken", "could not compute: " + String.join("; ", uncomputed), true);
        List<String> failures = new ArrayList<>();
        List<String> over = budget.overBudget(figures);
        if (!over.isEmpty()) failures.add(budget.describe(over));
        if (!violations.isEmpty()) failures.add("threshold broken: " + String.join("; ", violations));
        return failures.isEmpty() ? new Verdict("passed", null, false) : new Verdict("failed", String.join("; ", failures), true);
    }
}
