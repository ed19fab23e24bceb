package org.computeops.gatling;

import java.nio.file.Path;
import java.util.List;

/** Gatling's own figures for one run, per step and overall; {@code reportDir} holds its HTML report. */
public record LoadReport(Path reportDir, StepStats overall, List<StepStats> steps) {

    /** Response times in ms as Gatling computed them (percentiles 50/90/95/99, set in gatling.conf). */
    public record StepStats(String name, long requests, long ok, long ko, double p50, double p90, double p95, double p99,
                            double max) {
    }
}
