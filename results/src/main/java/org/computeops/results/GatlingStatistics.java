package org.computeops.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gatling's own statistics of a load run, as its HTML report shows them (Gatling 3.14 writes no
 * stats.json any more), and the service-under-load figures made from them: the scenario
 * reports these figures, {@code verify} reads the report again and compares.
 */
public final class GatlingStatistics {

    /** Parameter naming the Gatling report folder, relative to the run folder. */
    public static final String REPORT = "gatling.report";
    static final String OVERALL = "All Requests";

    /** One row of the report's statistics table; times in ms. */
    public record Row(String name, long requests, long ok, long ko, double p50, double p90, double p95, double p99, double max) {
    }

    /** The table: every request name (one per load step, in step order) and the overall row. */
    public record Table(Row overall, List<Row> steps) {
    }

    private GatlingStatistics() {
    }

    public static Table read(Path reportDir) throws IOException {
        Path index = reportDir.resolve("index.html");
        String html = Files.readString(index);
        List<Row> rows = new ArrayList<>();
        Matcher row = ROW.matcher(html);
        while (row.find()) {
            Matcher cell = CELL.matcher(row.group(2));
            List<String> values = new ArrayList<>();
            while (cell.find()) values.add(cell.group(1).trim());
            if (values.size() < 13) continue;
            rows.add(new Row(row.group(1).trim(), num(values.get(0)), num(values.get(1)), num(values.get(2)),
                    dbl(values.get(6)), dbl(values.get(7)), dbl(values.get(8)), dbl(values.get(9)), dbl(values.get(10))));
        }
        Row overall = rows.stream().filter(r -> r.name().equals(OVERALL)).findFirst()
                .orElseThrow(() -> new IOException("no statistics table in " + index));
        return new Table(overall, rows.stream().filter(r -> !r.name().equals(OVERALL)).sorted(Comparator.comparing(Row::name)).toList());
    }

    /**
     * Percentiles and errors per step (the last step is the scale-out) and the request count.
     * {@code spread} is appended to every note (how the load reached the replicas).
     */
    public static List<Metric> figures(Table table, String spread, String requestsNote) {
        List<Metric> figures = new ArrayList<>();
        List<Row> steps = table.steps();
        for (int i = 0; i < steps.size(); i++) {
            Row s = steps.get(i);
            boolean last = i == steps.size() - 1;
            figures.add(new Metric("http_response_ms[" + s.name() + (last ? ", scale-out" : "") + "]", "ms",
                    s.requests(), s.p50(), s.p90(), s.p99(), s.max(), null, "gatling", 0,
                    "Gatling's response-time percentiles of " + (last ? "the scale-out step" : "step " + (i + 1))
                            + " (all requests, OK and KO)" + spread));
            figures.add(Metric.value("http_errors[" + s.name() + "]", "requests", s.requests(), s.ko(), "gatling",
                    "requests that failed (not HTTP 200, or no answer)" + spread));
        }
        figures.add(Metric.value("http_requests", "requests", table.overall().requests(), table.overall().requests(), "gatling",
                requestsNote + spread));
        return figures;
    }

    /** The figures read again from the scenario's Gatling report; none when it recorded no report. */
    public static List<Metric> recompute(Path runDir, Map<String, String> parameters) throws IOException {
        if (!parameters.containsKey(REPORT)) return List.of();
        return figures(read(runDir.resolve(parameters.get(REPORT))), "", "");
    }

    private static final Pattern ROW = Pattern.compile("class=\"ellipsed-name\">([^<]+)</span>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td class=\"value[^\"]*col-\\d+\">([^<]*)</td>");

    private static long num(String s) {
        return s.equals("-") ? 0 : Long.parseLong(s);
    }

    private static double dbl(String s) {
        return s.equals("-") ? Double.NaN : Double.parseDouble(s);
    }
}
