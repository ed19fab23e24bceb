package org.computeops.gatling;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The base URLs the load goes to, replaceable while Gatling runs (replicas published one by one
 * come and go with a scale-out). Requests take the current targets in turn.
 */
public final class LoadTargets {

    /** Gatling session attribute the request URL is built from. */
    static final String ATTRIBUTE = "target";

    private volatile List<String> current = List.of();
    private final AtomicLong turn = new AtomicLong();

    /** Replaces the targets; later requests go to these only. */
    public void set(List<String> targetUrls) {
        current = checked(targetUrls);
    }

    public List<String> current() {
        return current;
    }

    String next() {
        List<String> targets = current;
        if (targets.isEmpty()) throw new IllegalStateException("no load target set");
        return targets.get((int) Math.floorMod(turn.getAndIncrement(), (long) targets.size()));
    }

    /** An endless Gatling feeder; safe to share between scenarios. */
    Iterator<Map<String, Object>> feeder() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                return Map.of(ATTRIBUTE, LoadTargets.this.next());
            }
        };
    }

    /** Validated, without trailing slashes (the request adds one). */
    static List<String> checked(List<String> targetUrls) {
        if (targetUrls == null || targetUrls.isEmpty()) throw new IllegalArgumentException("at least one load target is needed");
        for (String url : targetUrls) {
            if (url == null || !url.matches("https?://\\S+")) {
                throw new IllegalArgumentException("load target must be an http(s) URL, was '" + url + "'");
            }
        }
        return targetUrls.stream().map(url -> url.replaceAll("/+$", "")).toList();
    }
}
