package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.List;
import java.util.Map;

/**
 * The harness's own capacity against one orchestrator (issue 13): that it, not the control plane,
 * is never what limits a figure. From the headroom probe's sample files:
 * <ul>
 *   <li>{@code harness_submit_calls_per_s}: submit-path calls that the server answered as expected,
 *       over the span from the first call's start to the last one's end (calls from a pool of
 *       threads through the adapter's own client); {@code harness_submit_call_ms}: each call's
 *       duration (nearest-rank quantiles)</li>
 *   <li>{@code harness_observer_changes_per_s}: task state changes the adapter's observer decoded and
 *       tracked per second of its own (one thread) time</li>
 *   <li>{@code harness_server_cpu_cores} and {@code harness_client_cpu_cores}: the control plane's CPU
 *       (its own {@code process_cpu_seconds_total}) and this harness's during the submit probe, in
 *       cores: which side was busy when the calls/s stopped growing</li>
 * </ul>
 */
public record HarnessHeadroom(String submit, String observer, String cpu) implements Measurement {

    public static HarnessHeadroom fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("HarnessHeadroom", inputs);
        return new HarnessHeadroom(in.string("submit"), in.string("observer"), in.string("cpu"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("submit", submit, "observer", observer, "cpu", cpu);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<Map<String, String>> calls = SampleFiles.read(evidence.run(), submit);
        List<Map<String, String>> ok = calls.stream().filter(r -> "true".equals(r.get("ok"))).toList();
        long errors = calls.size() - ok.size();
        double first = calls.stream().mapToDouble(r -> Double.parseDouble(r.get("start_us"))).min().orElse(0);
        double last = calls.stream().mapToDouble(r -> Double.parseDouble(r.get("end_us"))).max().orElse(0);
        double spanS = (last - first) / 1e6;
        String what = calls.isEmpty() ? "" : calls.get(0).get("call");
        Figure rate = Figure.value("harness_submit_calls_per_s", "calls/s", ok.size(),
                spanS > 0 ? RuntimeStartup.round(ok.size() / spanS) : null, "client", errors,
                "calls answered as expected / first start to last end; " + what);
        double[] ms = SampleFiles.sorted(ok.stream().mapToDouble(r -> (Double.parseDouble(r.get("end_us")) - Double.parseDouble(r.get("start_us"))) / 1000.0).toArray());
        Figure duration = ms.length == 0
                ? Figure.quantiles("harness_submit_call_ms", "ms", 0, null, null, null, null, "client", errors, "no call succeeded")
                : Figure.quantiles("harness_submit_call_ms", "ms", ms.length, RuntimeStartup.round(SampleFiles.nearestRank(ms, 50)),
                        RuntimeStartup.round(SampleFiles.nearestRank(ms, 90)), RuntimeStartup.round(SampleFiles.nearestRank(ms, 99)),
                        RuntimeStartup.round(ms[ms.length - 1]), "client", errors, "each submit-path call, start to answer");

        List<Map<String, String>> batches = SampleFiles.read(evidence.run(), observer);
        long changes = batches.stream().mapToLong(r -> Long.parseLong(r.get("changes"))).sum();
        double busyS = batches.stream().mapToDouble(r -> Double.parseDouble(r.get("end_us")) - Double.parseDouble(r.get("start_us"))).sum() / 1e6;
        Figure observed = Figure.value("harness_observer_changes_per_s", "changes/s", changes,
                busyS > 0 ? RuntimeStartup.round(changes / busyS) : null, "client", 0,
                "task state changes decoded from the API's JSON and tracked by the adapter's observer, per second on one thread");

        Map<String, String> c = SampleFiles.read(evidence.run(), cpu).get(0);
        double wall = Double.parseDouble(c.get("wall_s"));
        String server = c.get("server_cpu_s");
        Figure serverCores = Figure.value("harness_server_cpu_cores", "cores", ok.size(),
                server == null || server.isBlank() ? null : RuntimeStartup.round(Double.parseDouble(server) / wall), "server", 0,
                "the control plane's CPU during the submit probe: " + c.get("server_source"));
        Figure clientCores = Figure.value("harness_client_cpu_cores", "cores", ok.size(),
                RuntimeStartup.round(Double.parseDouble(c.get("client_cpu_s")) / wall), "client", 0,
                "this harness's CPU (its whole JVM) during the submit probe");
        return List.of(rate, duration, observed, serverCores, clientCores);
    }
}
