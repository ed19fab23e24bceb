package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code runtime_start_ms[RUNTIME, MODE]}: one container runtime's start-up, from the run call to the command's exit
 * (column {@code exit_ms}) or to its first output byte ({@code first_output_ms}), over the samples of one mode (warm,
 * cold: page cache dropped before each run). Nearest-rank p50/p90/p99 over the samples that succeeded; failed runs
 * count as errors. With each, the 95 % distribution-free intervals of p50 and p99 (order statistics, see
 * {@link SampleFiles#quantileCiRanks}). The bare host ("host") through the same code path is the harness's own
 * cost, which must stay below {@link #HARNESS_LIMIT_MS}: a performance target, so slo.properties holds it
 * (a breach shows in the report and fails compare, not the scenario: tests check correctness).
 */
public record RuntimeStartup(String samples, String runtime, String mode, String column) implements Measurement {

    public static final double HARNESS_LIMIT_MS = 5.0;

    public static RuntimeStartup fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("RuntimeStartup", inputs);
        String column = in.string("column");
        if (!List.of("exit_ms", "first_output_ms").contains(column)) {
            throw new IllegalArgumentException("RuntimeStartup input 'column' must be exit_ms or first_output_ms, was '" + column + "'");
        }
        return new RuntimeStartup(in.string("samples"), in.string("runtime"), in.string("mode"), column);
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("samples", samples, "runtime", runtime, "mode", mode, "column", column);
    }

    public String figureName() {
        return (column.equals("exit_ms") ? "runtime_start_ms[" : "runtime_first_output_ms[") + runtime + ", " + mode + "]";
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<Map<String, String>> rows = SampleFiles.of(evidence.run(), samples, runtime).stream()
                .filter(r -> mode.equals(r.get("mode"))).toList();
        List<Map<String, String>> ok = rows.stream().filter(r -> "true".equals(r.get("ok"))).toList();
        long errors = rows.size() - ok.size();
        String what = column.equals("exit_ms") ? "run call -> exit" : "run call -> first output byte";
        String note = runtime + ", " + mode + ": " + what + " of `" + (rows.isEmpty() ? "?" : rows.get(0).get("command"))
                + "`, nearest-rank percentiles over the runs that succeeded";
        String name = figureName();
        if (ok.isEmpty()) return List.of(Figure.quantiles(name, "ms", 0, null, null, null, null, "client", errors, note + ": no run succeeded"));
        double[] s = SampleFiles.sorted(SampleFiles.doubles(ok, column));
        int n = s.length;
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.quantiles(name, "ms", n, round(SampleFiles.nearestRank(s, 50)), round(SampleFiles.nearestRank(s, 90)),
                round(SampleFiles.nearestRank(s, 99)), round(s[n - 1]), "client", errors, note));
        for (int p : new int[] {50, 99}) {
            int[] r = SampleFiles.quantileCiRanks(n, p);
            String ci = String.format(Locale.ROOT, "95 %% interval of p%d: order statistics %d..%d of %d", p, r[0], r[1], n);
            figures.add(Figure.value(ciName(name, p, "low"), "ms", n, round(s[r[0] - 1]), "client", errors, ci));
            figures.add(Figure.value(ciName(name, p, "high"), "ms", n, round(s[r[1] - 1]), "client", errors, ci));
        }
        return figures;
    }

    /** {@code runtime_start_ms[runc, warm]} -> {@code runtime_start_ms_p50_low[runc, warm]}. */
    public static String ciName(String name, int p, String end) {
        int b = name.indexOf('[');
        return name.substring(0, b) + "_p" + p + "_" + end + name.substring(b);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
