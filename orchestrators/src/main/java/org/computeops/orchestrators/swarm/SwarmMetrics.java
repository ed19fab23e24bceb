package org.computeops.orchestrators.swarm;

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
import java.util.Optional;

/**
 * The Swarm manager engine's Prometheus endpoint ({@code dockerd --metrics-addr}, set in
 * {@code testbed.swarm.metrics}). What Docker 20.10's SwarmKit exposes there (read from its
 * sources and the endpoint): no counter of placements by the scheduler; gauges
 * ({@code swarm_manager_tasks_total{state}}, {@code swarm_manager_nodes{state}}), store and raft
 * latency histograms, and one histogram that counts tasks: {@code swarm_dispatcher_scheduling_delay_seconds},
 * observed by the dispatcher once for each task status update that reports RUNNING (NEW to RUNNING
 * delay). Its {@code _count} is therefore the manager's own count of tasks that reached RUNNING:
 * {@link SchedulerCounters#scheduled()} here, to be compared with tasks that ran (every task placed
 * on a simulated node runs once its start delay passed).
 */
final class SwarmMetrics {

    static final String DELAY = "swarm_dispatcher_scheduling_delay_seconds";

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SwarmMetrics(URI endpoint) {
        this.endpoint = endpoint;
    }

    SchedulerCounters read() {
        return parse(scrape(), Instant.now(), endpoint.toString());
    }

    /** The endpoint's whole text exposition. */
    String scrape() {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) throw new IllegalStateException(endpoint + " answered HTTP " + response.statusCode());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("the Swarm manager's metrics endpoint " + endpoint + " does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + endpoint, e);
        }
    }

    /** The swarm_ figures of a Prometheus text exposition; empty when the delay histogram is absent. */
    static Optional<SchedulerCounters> parseOptional(String text, Instant at, String where) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || !line.startsWith("swarm_")) continue;
            int space = line.lastIndexOf(' ');
            if (space < 0) continue;
            try {
                figures.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1).trim()));
            } catch (NumberFormatException e) {
                // a line that is not "name value": not a figure
            }
        }
        Double count = figures.get(DELAY + "_count");
        if (count == null) return Optional.empty();
        return Optional.of(new SchedulerCounters(at, count.longValue(), figures,
                where + " " + DELAY + "_count (tasks the dispatcher saw reach RUNNING; SwarmKit counts no placements)", false,
                new SchedulerCounters.Histogram(DELAY, "SwarmKit's task creation to its RUNNING report")));
    }

    static SchedulerCounters parse(String text, Instant at, String where) {
        return parseOptional(text, at, where).orElseThrow(() -> new IllegalStateException(where + " has no " + DELAY
                + "_count: not a Docker 20.10 Swarm manager's metrics endpoint"));
    }
}
