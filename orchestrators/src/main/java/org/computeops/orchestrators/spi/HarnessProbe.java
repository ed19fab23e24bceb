package org.computeops.orchestrators.spi;

import java.util.Optional;

/**
 * What the harness needs to show that it is not what limits a figure (issue 13, harness headroom):
 * its submit path's and its observer's own capacity against this orchestrator, and the control
 * plane's own CPU use to tell a saturated server from a saturated client. Offered by adapters whose
 * figures go to scale; probes never leave objects behind.
 */
public interface HarnessProbe {

    /** The call {@link #submitOnce} makes, in words for the report (what the server does with it). */
    String submitCall();

    /** The client limits the submit path runs under (connection pool, QPS/burst), in words. */
    String clientLimits();

    /**
     * One submit-path call, through the adapter's own client, that the server answers as it would a
     * create and then refuses in validation, keeping nothing (both: an empty image); {@code i} numbers it. Throws when
     * the server did not answer as expected.
     */
    void submitOnce(int i);

    /**
     * Feeds the adapter's observer {@code changes} task state changes on the calling thread, decoded
     * from the API's JSON as a watch or poll delivers them and then tracked as live ones are (into a
     * listener that counts them); returns the task events that came out.
     */
    long replayObserver(int changes);

    /** The control plane's CPU seconds since it started, from its own metrics endpoint; empty where it has none. */
    Optional<ServerCpu> serverCpu();

    /** {@code process_cpu_seconds_total} of a Prometheus text exposition (the Go and JVM clients' process collector); empty without it. */
    static Optional<Double> processCpuSeconds(String metricsText) {
        for (String line : metricsText.split("\n")) {
            if (!line.startsWith("process_cpu_seconds_total ")) continue;
            try {
                return Optional.of(Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A reading of {@code process_cpu_seconds_total}, and where it was read. */
    record ServerCpu(double seconds, String source) {
    }
}
