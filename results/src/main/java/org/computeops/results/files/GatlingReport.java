package org.computeops.results.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gatling's own statistics of a load run, read from its HTML report (Gatling 3.14 writes no
 * stats.json any more).
 */
public final class GatlingReport {

    static final String OVERALL = "All Requests";

    /** One row of the report's statistics table; times in ms. */
    public record Row(String name, long requests, long ok, long ko, double p50, double p90, double p95, double p99, double max) {
    }

    /** The table: every request name (one per load step, in step order) and the overall row. */
    public record Table(Row overall, List<Row> steps) {
    }

    private GatlingReport() {
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

    private static final Pattern ROW = Pattern.compile("class=\"ellipsed-name\">([^<]+)</span>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td class=\"value[^\"]*col-\\d+\">([^<]*)</td>");

    private static long num(String s) {
        return s.equals("-") ? 0 : Long.parseLong(s);
    }

    private static double dbl(String s) {
        return s.equals("-") ? Double.NaN : Double.parseDouble(s);
    }
}
