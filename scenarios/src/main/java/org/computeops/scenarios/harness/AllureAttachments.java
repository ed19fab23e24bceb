package org.computeops.scenarios.harness;

import io.qameta.allure.Allure;
import org.computeops.results.charts.SvgCharts;
import org.computeops.results.files.Json;
import org.computeops.results.files.AllureFiles;
import org.computeops.results.model.Figure;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.ScenarioResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the Allure report shows beyond pass/fail: figure tables, charts, environment, categories. */
public final class AllureAttachments {

    private AllureAttachments() {
    }

    public static void attachFigures(String orchestrator, ScenarioResult result) {
        // the report's SLO step finds this test's result by these two labels
        Allure.label("orchestrator", orchestrator);
        Allure.label("scenario", result.scenario());
        Allure.label("repetition", Integer.toString(result.repetition()));
        Allure.addAttachment(orchestrator + " figures", "text/html", figureTable(result.figures()), ".html");
        try {
            Allure.addAttachment(orchestrator + " figures (json)", "application/json",
                    Json.MAPPER.writeValueAsString(result), ".json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void attachSvg(String name, String svg) {
        Allure.addAttachment(name, "image/svg+xml", svg, ".svg");
    }

    /** A folder (a Gatling report) as one zip attachment, since a report is many files. */
    public static void attachDirectoryZip(String name, Path dir) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes);
             java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(dir.relativize(f).toString()));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot zip " + dir, e);
        }
        Allure.addAttachment(name, "application/zip", new java.io.ByteArrayInputStream(bytes.toByteArray()), ".zip");
    }

    static String figureTable(List<Figure> figures) {
        StringBuilder html = new StringBuilder("<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse;font-family:sans-serif\">"
                + "<tr><th>figure</th><th>unit</th><th>n</th><th>p50</th><th>p90</th><th>p99</th><th>max</th><th>value</th><th>errors</th><th>clock</th><th>measurement</th><th>definition</th></tr>");
        for (Figure m : figures) {
            html.append("<tr><td>").append(SvgCharts.esc(m.name())).append("</td><td>").append(m.unit())
                    .append("</td><td>").append(m.n()).append("</td>")
                    .append(cell(m.p50())).append(cell(m.p90())).append(cell(m.p99())).append(cell(m.max())).append(cell(m.value()))
                    .append("<td>").append(m.errors()).append("</td><td>").append(m.clock() == null ? "" : m.clock())
                    .append("</td><td>").append(m.measurement() == null ? "" : m.measurement()).append("</td><td>").append(m.note() == null ? "" : SvgCharts.esc(m.note())).append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    private static String cell(Double v) {
        return "<td>" + (v == null ? "" : SvgCharts.fmt(v)) + "</td>";
    }

    /** Merges one orchestrator's facts into environment.properties (several orchestrators share one run). */
    public static void writeEnvironment(Path allureResults, OrchestratorResults cluster, String runId) {
        try {
            AllureFiles.mergeEnvironment(allureResults, runId, List.of(cluster));
            AllureFiles.writeCategories(allureResults);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Allure environment to " + allureResults, e);
        }
    }
}
