package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code compute_ratio[RUNTIME]}: the same CPU kernel (SHA-256 passes over the image's fixed file, timed inside by
 * the command itself) in the runtime and on the bare host, run as interleaved pairs; the figure is the median of the
 * per-pair ratios runtime/bare, with its distribution-free interval over the pairs ({@link Confidence#ofMedian}).
 * 1.0 means no overhead.
 */
public record ComputeOverhead(String samples, String runtime) implements Measurement {

    public static ComputeOverhead fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("ComputeOverhead", inputs);
        return new ComputeOverhead(in.string("samples"), in.string("runtime"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("samples", samples, "runtime", runtime);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<Map<String, String>> rows = SampleFiles.of(evidence.run(), samples, runtime);
        String name = "compute_ratio[" + runtime + "]";
        if (rows.isEmpty()) return List.of(Figure.value(name, "ratio", 0, null, "inside", 0, runtime + ": no kernel pair ran"));
        List<Double> ratios = rows.stream().map(r -> Double.parseDouble(r.get("runtime_s")) / Double.parseDouble(r.get("bare_s"))).toList();
        Confidence c = Confidence.ofMedian(ratios);
        String note = String.format(Locale.ROOT, "%s: kernel time inside / bare host, median of %d interleaved pairs; interval: order "
                + "statistics, coverage %s; bare median %.3f s", runtime, c.n(), c.coverageText(),
                SampleFiles.median(SampleFiles.doubles(rows, "bare_s")));
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.value(name, "ratio", c.n(), RuntimeStartup.round(c.median()), "inside", 0, note));
        if (c.hasInterval()) {
            figures.add(Figure.value("compute_ratio_low[" + runtime + "]", "ratio", c.n(), RuntimeStartup.round(c.low()), "inside", 0, note));
            figures.add(Figure.value("compute_ratio_high[" + runtime + "]", "ratio", c.n(), RuntimeStartup.round(c.high()), "inside", 0, note));
        }
        return figures;
    }
}
