package org.computeops.results.measurements;

import org.computeops.results.files.GatlingReport;
import org.computeops.results.model.Figure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Service-under-load figures from Gatling's own report of the run: response-time percentiles and
 * failed requests per load step (the last step is the scale-out), and the request count.
 * {@code report} is the report folder relative to the run folder; {@code spread} says how the
 * load reached the replicas (the orchestrator's entry point, or the client spreading it).
 */
public record HttpLoad(String report, String spread) implements Measurement {

    public static HttpLoad fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("HttpLoad", inputs);
        return new HttpLoad(in.string("report"), in.string("spread"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("report", report, "spread", spread);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        GatlingReport.Table table;
        try {
            table = GatlingReport.read(evidence.run().dir().resolve(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Gatling's report " + report + " in " + evidence.run().dir(), e);
        }
        String how = spread.isEmpty() ? "" : "; " + spread;
        List<Figure> figures = new ArrayList<>();
        List<GatlingReport.Row> steps = table.steps();
        for (int i = 0; i < steps.size(); i++) {
            GatlingReport.Row s = steps.get(i);
            boolean last = i == steps.size() - 1;
            figures.add(Figure.quantiles("http_response_ms[" + s.name() + (last ? ", scale-out" : "") + "]", "ms",
                    s.requests(), s.p50(), s.p90(), s.p99(), s.max(), "gatling", 0,
                    "Gatling's response-time percentiles of " + (last ? "the scale-out step" : "step " + (i + 1))
                            + " (all requests, OK and KO)" + how));
            figures.add(Figure.value("http_errors[" + s.name() + "]", "requests", s.requests(), s.ko(), "gatling",
                    "requests that failed (not HTTP 200, or no answer)" + how));
        }
        figures.add(Figure.value("http_requests", "requests", table.overall().requests(), table.overall().requests(), "gatling",
                "all requests sent; Gatling's report: " + report + "/index.html" + how));
        return figures;
    }
}
