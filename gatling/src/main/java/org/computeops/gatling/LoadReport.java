package org.computeops.gatling;

import org.computeops.results.GatlingStatistics;

import java.nio.file.Path;
import java.util.List;

/** Gatling's own figures for one run, per step and overall; {@code reportDir} holds its HTML report. */
public record LoadReport(Path reportDir, GatlingStatistics.Row overall, List<GatlingStatistics.Row> steps) {
}
