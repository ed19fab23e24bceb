package org.computeops.orchestrators.spi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The nodes a run's {@link Faults} stopped and have not restored yet: the adapter's close restores
 * each, also after an interrupt, so that no run leaves a testbed with a node down.
 */
public final class StoppedNodes {

    private static final Logger LOG = LoggerFactory.getLogger(StoppedNodes.class);

    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /** Before the stop is attempted: a stop cut short half-way is restored too. */
    public void add(String node) {
        names.add(node);
    }

    public void remove(String node) {
        names.remove(node);
    }

    /** Restores each stopped node with {@code restore}, going on past one that fails (logged). */
    public void restoreAll(Consumer<String> restore) {
        for (String n : Set.copyOf(names)) {
            try {
                restore.accept(n);
            } catch (RuntimeException e) {
                LOG.warn("could not restore node {}: {}", n, e.getMessage());
            }
        }
    }
}
