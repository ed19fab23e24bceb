package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.ArrayList;
import java.util.List;

/**
 * The measurement-quality rule of every scenario: a latency figure with more than
 * {@code maxErrorRate} of its tasks without a usable reading fails the scenario rather than
 * publishing a flattering number over the tasks that happened to be measured.
 */
public record ErrorBudget(double maxErrorRate) {

    public ErrorBudget {
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("testbed.maxErrorRate must be between 0 and 1, was " + maxErrorRate);
        }
    }

    public List<String> overBudget(List<Figure> figures) {
        List<String> over = new ArrayList<>();
        for (Figure f : figures) {
            if ("ms".equals(f.unit()) && f.errorRate() > maxErrorRate) {
                over.add(String.format("%s: %d of %d tasks without a usable reading", f.name(), f.errors(), f.n() + f.errors()));
            }
        }
        return over;
    }

    public String describe(List<String> over) {
        return "error budget exceeded (more than " + Math.round(maxErrorRate * 100) + " % of tasks): " + String.join("; ", over);
    }
}
