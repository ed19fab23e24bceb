package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.SchedulerCounters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kube-scheduler's own counters, read from its /metrics endpoint (Prometheus text format). The
 * endpoint sits behind the scheduler's delegated authentication and authorization: the adapter
 * shows the kubeconfig's own identity (client certificate or token), and the API server decides
 * through a SubjectAccessReview. An identity needs {@code get} on the non-resource URL
 * {@code /metrics}, which the built-in ClusterRole {@code system:monitoring} grants; no
 * unauthenticated path is opened ({@code --authorization-always-allow-paths} stays at its
 * health-only default). The scheduler's serving certificate must be signed by the kubeconfig's CA
 * (the local testbed issues one for 127.0.0.1).
 *
 * <p>Kept: {@code scheduler_schedule_attempts_total} by result (summed over profiles) and the
 * buckets, sum and count of {@code scheduler_pod_scheduling_sli_duration_seconds} summed over its
 * {@code attempts} label, so that two readings give the scheduler's own count and latency
 * quantiles over the interval between them.
 */
final class SchedulerMetrics {

    static final String ATTEMPTS = "scheduler_schedule_attempts_total";
    static final String SLI = "scheduler_pod_scheduling_sli_duration_seconds";
    /** A sample line: name, optional {labels}, value (an optional timestamp after it is ignored). */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\S+)?\\s*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?\\s*");

    private final URI endpoint;
    private final HttpClient http;
    private final String bearer;

    SchedulerMetrics(URI endpoint, Config config, Duration timeout) {
        if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
            throw new AdapterException("testbed.kubernetes.schedulerMetrics must be an http(s) URL of kube-scheduler's /metrics"
                    + " (e.g. https://127.0.0.1:10259/metrics), was '" + endpoint + "'");
        }
        this.endpoint = endpoint;
        try {
            this.http = HttpClient.newBuilder().sslContext(SSLUtils.sslContext(config)).connectTimeout(timeout).build();
        } catch (Exception e) {
            throw new AdapterException("cannot use the kubeconfig's credentials for kube-scheduler's /metrics: " + e.getMessage());
        }
        this.bearer = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
    }

    URI endpoint() {
        return endpoint;
    }

    /** One reading now; an AdapterException naming the endpoint and the answer when it cannot be read. */
    SchedulerCounters read(Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout).GET();
        if (bearer != null && !bearer.isBlank()) request.header("Authorization", "Bearer " + bearer);
        HttpResponse<String> answer;
        Instant at;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            at = Instant.now();
        } catch (IOException e) {
            throw new AdapterException("kube-scheduler's metrics at " + endpoint + " cannot be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdapterException("interrupted while reading kube-scheduler's metrics at " + endpoint);
        }
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new AdapterException("kube-scheduler's metrics at " + endpoint + " refused this identity (HTTP " + answer.statusCode()
                    + "): bind it to the ClusterRole system:monitoring (get on the non-resource URL /metrics)");
        }
        if (answer.statusCode() != 200) {
            throw new AdapterException("kube-scheduler's metrics at " + endpoint + " answered HTTP " + answer.statusCode());
        }
        return parse(answer.body(), at, "kube-scheduler " + endpoint + " (" + ATTEMPTS + ", " + SLI + ")");
    }

    /**
     * The kept figures of one scrape. Keys: {@code scheduler_schedule_attempts_total{result="R"}},
     * {@code ..._bucket{le="X"}}, {@code ..._sum}, {@code ..._count}; values summed over the other
     * labels. Fails when the scrape has no attempts counter (not a kube-scheduler, or a version
     * that renamed it): an absent counter must not read as zero.
     */
    static SchedulerCounters parse(String text, Instant at, String source) {
        Map<String, Double> figures = new TreeMap<>();
        boolean sawAttempts = false;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) continue;
            String name = m.group(1);
            if (!name.equals(ATTEMPTS) && !name.startsWith(SLI + "_")) continue;
            Map<String, String> labels = labels(m.group(3));
            double value = value(m.group(4), line);
            String key;
            if (name.equals(ATTEMPTS)) {
                sawAttempts = true;
                key = ATTEMPTS + "{result=\"" + labels.getOrDefault("result", "") + "\"}";
            } else if (name.equals(SLI + "_bucket")) {
                key = SLI + "_bucket{le=\"" + labels.getOrDefault("le", "") + "\"}";
            } else if (name.equals(SLI + "_sum") || name.equals(SLI + "_count")) {
                key = name;
            } else {
                continue;
            }
            figures.merge(key, value, Double::sum);
        }
        if (!sawAttempts) {
            throw new AdapterException("no " + ATTEMPTS + " in the metrics of " + source + ": not kube-scheduler's /metrics?");
        }
        long scheduled = Math.round(figures.getOrDefault(ATTEMPTS + "{result=\"scheduled\"}", 0.0));
        return new SchedulerCounters(at, scheduled, figures, source, true,
                new SchedulerCounters.Histogram(SLI, "kube-scheduler's queue to bind, its pod scheduling SLI"));
    }

    private static Map<String, String> labels(String body) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (body == null || body.isBlank()) return labels;
        Matcher m = LABEL.matcher(body);
        while (m.find()) {
            labels.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        }
        return labels;
    }

    private static double value(String text, String line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AdapterException("unreadable sample in kube-scheduler's metrics: '" + line.strip() + "'");
                }
            }
        };
    }
}
