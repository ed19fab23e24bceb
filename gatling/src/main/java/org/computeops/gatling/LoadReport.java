package org.computeops.gatling;

import org.computeops.results.files.GatlingReport;

import java.nio.file.Path;
import java.util.List;

/** Gatling's own figures for one run, per step and overall; {@code reportDir} holds its HTML report. */
public record LoadReport(Path reportDir, GatlingReport.Row overall, List<GatlingReport.Row> steps) {
}
