package org.computeops.orchestrators.kubernetes;

import org.computeops.orchestrators.spi.ObservationGap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stretches in which one of the adapter's watches was broken, each from the moment it broke
 * until it was re-established: pod changes of that stretch reach the client only after the
 * reconnect, so client-clock readings that overlap one are late by up to its length. Thread-safe.
 */
final class WatchGaps {

    private static final Logger LOG = LoggerFactory.getLogger(WatchGaps.class);

    private final List<ObservationGap> closed = new ArrayList<>();
    /** Watch name -> start and cause of its break in progress. */
    private final Map<String, ObservationGap> open = new LinkedHashMap<>();

    /** The watch stopped delivering at {@code at}; a second call before it is back changes nothing. */
    synchronized void broken(String watch, Instant at, String why) {
        if (open.containsKey(watch)) return;
        open.put(watch, new ObservationGap(at, null, watch + " broken: " + why));
        LOG.warn("{} broken ({}); events until it is re-established arrive late", watch, why);
    }

    /** The watch delivers again from {@code at}: its gap, if any, ends there. */
    synchronized void reestablished(String watch, Instant at) {
        ObservationGap gap = open.remove(watch);
        if (gap == null) return;
        long ms = Duration.between(gap.from(), at).toMillis();
        closed.add(new ObservationGap(gap.from(), at, gap.why() + "; re-established after " + ms + " ms"));
        LOG.info("{} re-established after {} ms", watch, ms);
    }

    /** Gaps that end at or after {@code since}, oldest first, then those still open (their {@code to} null). */
    synchronized List<ObservationGap> since(Instant since) {
        List<ObservationGap> out = new ArrayList<>();
        for (ObservationGap g : closed) if (!g.to().isBefore(since)) out.add(g);
        out.addAll(open.values());
        return out;
    }
}
