package org.computeops.results.report;

import org.computeops.results.charts.Plots;
import org.computeops.results.charts.SvgCharts;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.SampleFiles;
import org.computeops.results.measurements.RuntimeStartup;
import org.computeops.results.model.Figure;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The comparison page's "Container runtimes" section (issue 15): one row per runtime of the runtime table
 * ({@code runtimes/runtimes.csv}), its figures from summary.json (recorded under "runtimes") with n and intervals,
 * absent runtimes with their reason and never a figure, the GPU mechanism marked "not measured here", the isolation
 * and interoperability tables, the conversion steps, and CDF charts of the start-up samples side by side.
 */
public final class RuntimesSection {

    /** The name the runtime scenarios are recorded under (the harness's RuntimeSession.NAME). */
    public static final String NAME = "runtimes";

    private RuntimesSection() {
    }

    public static boolean isRuntimes(OrchestratorResults o) {
        return NAME.equals(o.name());
    }

    /** The section, or "" when the run has no runtime scenarios. */
    public static String render(RunSummary run, RunFolder folder) {
        Optional<OrchestratorResults> rt = run.orchestrator(NAME);
        if (rt.isEmpty()) return "";
        List<ScenarioResult> scenarios = rt.get().scenarios();
        Map<String, Figure> f = new LinkedHashMap<>();
        // the last repetition of each scenario (the runtime scenarios run once per run)
        scenarios.stream().sorted(java.util.Comparator.comparing(ScenarioResult::repetition))
                .forEach(s -> s.figures().forEach(x -> f.put(x.name(), x)));
        List<Map<String, String>> table = csv(folder, SampleFiles.DIR + "/runtimes.csv");
        StringBuilder h = new StringBuilder("<section id=\"runtimes\" class=\"runtimes\"><h2>Container runtimes</h2>");
        h.append("<p>One Docker image (").append(SvgCharts.esc(rt.get().version())).append(") run by each container runtime of "
                + "this host, one container after the other, measured by the same harness. Start-up: ms from the run call to exit "
                + "(nearest-rank percentiles; [95 % interval] from order statistics); cold = page cache dropped before each run. "
                + "Compute: kernel time inside / bare host, median of interleaved pairs [distribution-free interval]. Absent "
                + "runtimes keep their row with the reason and no figure. GPUs: this host has none; each row names the mechanism "
                + "and is <b>not measured here</b>.</p>");
        h.append("<table class=\"scenario-status\"><tr><th>scenario</th><th>status</th><th>reason</th><th>conditions</th></tr>");
        for (ScenarioResult s : scenarios) {
            h.append("<tr><td>").append(SvgCharts.esc(s.scenario())).append("</td><td class=\"").append(s.status()).append("\">")
                    .append(s.status()).append("</td><td class=\"verdict\">").append(SvgCharts.esc(s.reason() == null ? "" : s.reason()))
                    .append("</td><td class=\"verdict\">").append(SvgCharts.esc(conditions(s))).append("</td></tr>");
        }
        h.append("</table>");

        h.append("<table class=\"runtimes-table\"><tr><th>runtime</th><th>version</th><th>image form</th><th>warm start p50 [95 %]</th>"
                + "<th>warm p99 [95 %]</th><th>cold p50 [95 %]</th><th>first output p50</th><th>compute ratio [interval]</th>"
                + "<th>PSS / idle container</th><th>daemons RSS</th><th>file read cold / warm</th><th>GPU mechanism</th></tr>");
        h.append(row("host", "bare host (reference, harness cost)", "", "host file system", f, "-"));
        for (Map<String, String> r : table) {
            String id = r.get("runtime");
            String form = r.get("image_form") + ("true".equals(r.get("docker_image_unchanged")) ? " (Docker image unchanged)" : " (converted)");
            if (!r.get("unavailable").isEmpty()) {
                h.append("<tr class=\"absent\"><td>").append(SvgCharts.esc(id)).append("</td><td colspan=\"10\" class=\"verdict skipped\">not available: ")
                        .append(SvgCharts.esc(r.get("unavailable"))).append("</td><td class=\"verdict\">")
                        .append(SvgCharts.esc(r.get("gpu"))).append("</td></tr>");
            } else {
                h.append(row(id, r.get("name"), r.get("version"), form, f, r.get("gpu")));
            }
        }
        h.append("</table>");
        h.append(headline(f, folder, scenarios));
        h.append(charts(folder, scenarios));
        h.append(isolation(table, f));
        h.append(interop(folder, scenarios, f));
        h.append(conversion(f));
        return h.append("</section>").toString();
    }

    private static String row(String id, String name, String version, String form, Map<String, Figure> f, String gpu) {
        return "<tr data-runtime=\"" + SvgCharts.esc(id) + "\"><td>" + SvgCharts.esc(id) + "<br><small>" + SvgCharts.esc(name) + "</small></td><td>"
                + SvgCharts.esc(version) + "</td><td>" + SvgCharts.esc(form) + "</td><td>"
                + quantile(f, "runtime_start_ms[" + id + ", warm]", 50) + "</td><td>" + quantile(f, "runtime_start_ms[" + id + ", warm]", 99)
                + "</td><td>" + quantile(f, "runtime_start_ms[" + id + ", cold]", 50) + "</td><td>"
                + Optional.ofNullable(f.get("runtime_first_output_ms[" + id + ", echo]")).filter(x -> x.p50() != null)
                        .map(x -> fmt(x.p50()) + " ms (n=" + x.n() + ")").orElse("-")
                + "</td><td>" + ratio(f, id) + "</td><td>"
                + value(f, "footprint_pss_mib_per_container[" + id + "]", "MiB", "K") + "</td><td>"
                + value(f, "footprint_daemons_rss_mib[" + id + "]", "MiB", null) + "</td><td>"
                + fileRead(f, id) + "</td><td class=\"verdict\">" + SvgCharts.esc(gpu.replace("not measured here", "").replaceAll("[\\s(),;-]+$", ""))
                + (id.equals("host") ? "" : " <b>(not measured here)</b>")
                + "</td></tr>";
    }

    private static String quantile(Map<String, Figure> f, String name, int p) {
        Figure x = f.get(name);
        if (x == null) return "-";
        Double v = p == 50 ? x.p50() : x.p99();
        if (v == null) return "no successful run (" + x.errors() + " failed)";
        Figure lo = f.get(RuntimeStartup.ciName(name, p, "low"));
        Figure hi = f.get(RuntimeStartup.ciName(name, p, "high"));
        String ci = lo != null && hi != null ? " [" + fmt(lo.value()) + ", " + fmt(hi.value()) + "]" : "";
        return fmt(v) + ci + " ms (n=" + x.n() + (x.errors() > 0 ? ", " + x.errors() + " failed" : "") + ")";
    }

    private static String ratio(Map<String, Figure> f, String id) {
        Figure x = f.get("compute_ratio[" + id + "]");
        if (x == null || x.value() == null) return "-";
        Figure lo = f.get("compute_ratio_low[" + id + "]");
        Figure hi = f.get("compute_ratio_high[" + id + "]");
        return String.format(Locale.ROOT, "%.3f", x.value()) + (lo != null && hi != null
                ? String.format(Locale.ROOT, " [%.3f, %.3f]", lo.value(), hi.value()) : "") + " (n=" + x.n() + ")";
    }

    private static String value(Map<String, Figure> f, String name, String unit, String nLabel) {
        Figure x = f.get(name);
        if (x == null || x.value() == null) return "-";
        return fmt(x.value()) + " " + unit + (nLabel == null ? "" : " (" + nLabel + "=" + x.n() + ")");
    }

    private static String fileRead(Map<String, Figure> f, String id) {
        Figure c = f.get("file_read_mib_s[" + id + ", cold]");
        Figure w = f.get("file_read_mib_s[" + id + ", warm]");
        if (c == null || w == null) return "-";
        return fmt(c.value()) + " / " + fmt(w.value()) + " MiB/s (n=" + c.n() + ")";
    }

    /** The harness's cost and crun vs runc, against crun's published 100 containers in 5.70 s vs runc 10.95 s. */
    private static String headline(Map<String, Figure> f, RunFolder folder, List<ScenarioResult> scenarios) {
        StringBuilder h = new StringBuilder("<ul class=\"runtimes-headline\">");
        Figure host = f.get("runtime_start_ms[host, warm]");
        if (host != null && host.p50() != null) {
            h.append("<li id=\"harness-cost\">Harness cost (bare host <code>true</code> through the same code path, busybox itself "
                    + "included): p50 ").append(fmt(host.p50())).append(" ms, p99 ").append(fmt(host.p99())).append(" ms (n=")
                    .append(host.n()).append("); limit ").append(fmt(RuntimeStartup.HARNESS_LIMIT_MS)).append(" ms: ")
                    .append(host.p50() < RuntimeStartup.HARNESS_LIMIT_MS ? "below" : "<b>NOT below</b>").append(".</li>");
        }
        Figure runc = f.get("runtime_start_ms[runc, warm]");
        Figure crun = f.get("runtime_start_ms[crun, warm]");
        if (runc != null && crun != null && runc.p50() != null && crun.p50() != null) {
            Map<String, Double> sums = warmSums(folder, scenarios);
            h.append("<li id=\"crun-runc\">runc / crun warm <code>true</code> p50: ").append(String.format(Locale.ROOT, "%.2f", runc.p50() / crun.p50()));
            if (sums.containsKey("runc") && sums.containsKey("crun")) {
                h.append(String.format(Locale.ROOT, "; %d sequential containers took runc %.2f s, crun %.2f s (ratio %.2f)", runc.n(),
                        sums.get("runc") / 1000, sums.get("crun") / 1000, sums.get("runc") / sums.get("crun")));
            }
            h.append(". crun's own published figure: 100 containers, runc 10.95 s vs crun 5.70 s (1.92). Here crun 1.8.1 runs "
                    + "through a wrapper that hides the hybrid cgroup v2 mount in a private mount namespace (see the notes); "
                    + "both measured by the same harness on the same image.</li>");
        }
        return h.append("</ul>").toString();
    }

    private static Map<String, Double> warmSums(RunFolder folder, List<ScenarioResult> scenarios) {
        Map<String, Double> sums = new TreeMap<>();
        for (String file : samplesOf(scenarios, "RuntimeStartup")) {
            for (Map<String, String> r : csv(folder, file)) {
                if ("warm".equals(r.get("mode")) && "true".equals(r.get("ok"))) {
                    sums.merge(r.get("runtime"), Double.parseDouble(r.get("exit_ms")), Double::sum);
                }
            }
        }
        return sums;
    }

    /** CDFs of the start-up samples, one line per runtime: warm and cold side by side. */
    private static String charts(RunFolder folder, List<ScenarioResult> scenarios) {
        StringBuilder h = new StringBuilder("<div class=\"charts runtimes-charts\">");
        for (String file : samplesOf(scenarios, "RuntimeStartup")) {
            List<Map<String, String>> rows = csv(folder, file);
            for (String mode : List.of("warm", "cold")) {
                Map<String, List<Double>> byRuntime = new LinkedHashMap<>();
                rows.stream().filter(r -> mode.equals(r.get("mode")) && "true".equals(r.get("ok")))
                        .forEach(r -> byRuntime.computeIfAbsent(r.get("runtime"), k -> new ArrayList<>()).add(Double.parseDouble(r.get("exit_ms"))));
                if (byRuntime.isEmpty()) continue;
                List<Plots.Series> series = new ArrayList<>();
                List<String> counts = new ArrayList<>();
                byRuntime.forEach((id, v) -> {
                    List<Double> s = v.stream().sorted().toList();
                    List<double[]> pts = new ArrayList<>();
                    pts.add(new double[] {s.get(0), 0});
                    for (int i = 0; i < s.size(); i++) pts.add(new double[] {s.get(i), (i + 1.0) / s.size()});
                    series.add(new Plots.Series(id, pts));
                    counts.add(id + " n=" + s.size());
                });
                String title = "Container start-up, " + mode + " `true`: CDF per runtime";
                h.append("<figure>").append(Plots.lines(title, "run call -> exit (ms)", "fraction of runs <= x", series, List.of(), true,
                        String.join(", ", counts) + " | clock: client")).append("</figure>");
                Map<String, Double> p50 = new LinkedHashMap<>();
                byRuntime.forEach((id, v) -> p50.put(id, v.stream().sorted().toList().get(Math.max(0, (int) Math.ceil(v.size() / 2.0) - 1))));
                h.append("<figure>").append(SvgCharts.bars("Container start-up, " + mode + " `true`: p50 per runtime (ms)", p50, "ms")).append("</figure>");
            }
        }
        return h.append("</div>").toString();
    }

    private static String isolation(List<Map<String, String>> table, Map<String, Figure> f) {
        StringBuilder h = new StringBuilder("<h3>Isolation by default (probes run inside)</h3><table class=\"isolation\"><tr><th>runtime</th>"
                + "<th>uid inside</th><th>host uid of the payload</th><th>effective capabilities</th><th>host processes visible</th>"
                + "<th>host network</th><th>own user namespace</th></tr>");
        boolean any = false;
        for (Map<String, String> r : table) {
            String id = r.get("runtime");
            if (!f.containsKey("isolation_uid_inside[" + id + "]")) continue;
            any = true;
            h.append("<tr><td>").append(SvgCharts.esc(id)).append("</td>");
            for (String c : List.of("uid_inside", "host_uid", "cap_count")) h.append("<td>").append(fmt(f.get("isolation_" + c + "[" + id + "]").value())).append("</td>");
            for (String c : List.of("host_pids_visible", "host_network", "user_namespace")) {
                Figure x = f.get("isolation_" + c + "[" + id + "]");
                h.append("<td>").append(x == null ? "-" : x.value() == 1.0 ? "yes" : "no").append("</td>");
            }
            h.append("</tr>");
        }
        return any ? h.append("</table>").toString() : "";
    }

    private static String interop(RunFolder folder, List<ScenarioResult> scenarios, Map<String, Figure> f) {
        List<String> files = samplesOf(scenarios, "RuntimeInterop");
        if (files.isEmpty()) return "";
        List<Map<String, String>> rows = csv(folder, files.get(0));
        String ref = rows.stream().filter(r -> "host".equals(r.get("runtime"))).map(r -> r.get("stdout")).findFirst().orElse("");
        StringBuilder h = new StringBuilder("<h3>Interoperability: the same command from one Docker image</h3><p>Probe: SHA-256 of a "
                + "generated stream, SHA-256 of the image's fixed file, <code>uname -m</code>. Bare host's output: <code>")
                .append(SvgCharts.esc(ref.strip().replace("\n", " | "))).append("</code></p><table class=\"interop\"><tr><th>runtime</th>"
                        + "<th>image form taken</th><th>runs the Docker image unchanged</th><th>exit</th><th>output SHA-256</th>"
                        + "<th>byte-identical</th><th>same lines</th></tr>");
        for (Map<String, String> r : rows) {
            String id = r.get("runtime");
            Figure same = f.get("interop_identical[" + id + "]");
            Figure lines = f.get("interop_same_lines[" + id + "]");
            h.append("<tr><td>").append(SvgCharts.esc(id)).append("</td><td>").append(SvgCharts.esc(r.get("form"))).append("</td><td>")
                    .append("true".equals(r.get("docker_image_unchanged")) ? "yes" : "no, converted form").append("</td><td>")
                    .append(SvgCharts.esc(r.get("exit_code"))).append("</td><td><code>").append(SvgCharts.esc(r.get("stdout_sha256").substring(0, Math.min(16, r.get("stdout_sha256").length()))))
                    .append("…</code></td><td>").append(id.equals("host") ? "reference" : same == null ? "-" : same.value() == 1.0 ? "yes" : "<b>no</b>")
                    .append("</td><td>").append(id.equals("host") ? "reference" : lines == null ? "-" : lines.value() == 1.0 ? "yes" : "<b>no</b>")
                    .append("</td></tr>");
        }
        return h.append("</table>").toString();
    }

    private static String conversion(Map<String, Figure> f) {
        StringBuilder h = new StringBuilder("<h3>Image conversion (infra/runtimes/prepare-image.sh, once per image)</h3><table class=\"conversion\">"
                + "<tr><th>step</th><th>time</th><th>output size</th></tr>");
        boolean any = false;
        for (Figure x : f.values()) {
            if (!x.name().startsWith("conversion_s[")) continue;
            any = true;
            String step = x.name().substring("conversion_s[".length(), x.name().length() - 1);
            Figure b = f.get("conversion_bytes[" + step + "]");
            h.append("<tr><td>").append(SvgCharts.esc(step)).append("</td><td>").append(fmt(x.value())).append(" s</td><td>")
                    .append(b == null ? "-" : String.format(Locale.ROOT, "%.1f MiB", b.value() / 1048576)).append("</td></tr>");
        }
        return any ? h.append("</table>").toString() : "";
    }

    private static List<String> samplesOf(List<ScenarioResult> scenarios, String kind) {
        return scenarios.stream().flatMap(s -> s.figures().stream()).filter(x -> kind.equals(x.measurement()) && x.inputs() != null)
                .map(x -> x.inputs().get("samples")).distinct().toList();
    }

    private static String conditions(ScenarioResult s) {
        Map<String, String> p = s.parameters();
        List<String> c = new ArrayList<>();
        for (String k : List.of("cpus", "loadavg.start", "loadavg.end", "file_bytes")) if (p.containsKey(k)) c.add(k + " " + p.get(k));
        p.forEach((k, v) -> { if (k.startsWith("scenario.runtimes.")) c.add(k.substring("scenario.runtimes.".length()) + "=" + v); });
        return String.join(", ", c);
    }

    private static List<Map<String, String>> csv(RunFolder folder, String file) {
        Path p = folder.dir().resolve(file);
        if (!Files.isRegularFile(p)) return List.of();
        try (var it = new com.fasterxml.jackson.dataformat.csv.CsvMapper().readerForMapOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader()).<Map<String, String>>readValues(p.toFile())) {
            return it.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private static String fmt(Double v) {
        return v == null ? "-" : SvgCharts.fmt(v);
    }
}
