package org.computeops.scenarios;

import java.util.HashMap;
import java.util.Map;

/**
 * Settings for the leftover tests: a "crashed" run whose lease is created once and never renewed
 * within the test, and a "next" run that judges a lease dead after 12 s (more than twice the
 * session's own 5 s renewal, so the session's live lease is never taken for dead) and removes
 * leftovers of any age. Adapters without leases ignore them.
 */
final class LeftoverSettings {

    private LeftoverSettings() {
    }

    static Map<String, String> crashed(Map<String, String> settings) {
        Map<String, String> s = new HashMap<>(settings);
        s.put("testbed.lease.renewSeconds", "3600");
        s.put("testbed.lease.ttlSeconds", "7200");
        return s;
    }

    /** Until a lease created now is dead for the "next" run: after that, "removed nothing" means the crashed run's objects are gone. */
    static void awaitCrashedLeaseExpiry() throws InterruptedException {
        Thread.sleep(13_000);
    }

    static Map<String, String> next(Map<String, String> settings) {
        Map<String, String> s = new HashMap<>(settings);
        s.put("testbed.lease.renewSeconds", "5");
        s.put("testbed.lease.ttlSeconds", "12");
        s.put("testbed.leftovers.minAgeSeconds", "0");
        return s;
    }
}
