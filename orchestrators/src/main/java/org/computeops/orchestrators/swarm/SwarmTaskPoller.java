package org.computeops.orchestrators.swarm;

import com.github.dockerjava.api.model.Task;
import org.computeops.orchestrators.spi.ObservationGap;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Observes the tasks of every subscribed service with one poll: Swarm's event stream has no task
 * events, so the task list is read every {@code pollMillis} (fixed delay), one call for all the
 * services being watched (a filter with each service id), and each service's tasks go to its
 * {@link SwarmTaskDiff}. One call rather than one per service: a sustained-rate step watches 40
 * services, whose 40 pollers put 800 list calls/s on the manager whose figures were being taken.
 * Failed polls are an observation gap (recorded in {@code gaps}, logged once when it starts and
 * once when it ends, not every poll); the poller keeps trying: the harness's health watch decides
 * when an outage ends the scenario.
 */
final class SwarmTaskPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmTaskPoller.class);

    private final Function<List<String>, List<Task>> list;
    private final Map<String, SwarmTaskDiff> watched = new ConcurrentHashMap<>();
    /** Watched services the manager no longer knows: left out of the list call until unsubscribed. */
    private final java.util.Set<String> vanished = ConcurrentHashMap.newKeySet();
    private static final java.util.regex.Pattern GONE = java.util.regex.Pattern.compile("service ([A-Za-z0-9]+) not found");
    private final ScheduledExecutorService executor;
    private final List<ObservationGap> gaps;
    private volatile Instant failingSince;
    private volatile String firstFailure;
    private volatile int failedPolls;
    /** When the poll in flight started (null between polls): a poll that never returns is a gap too. */
    private volatile Instant pollStartedAt;

    /** {@code list}: the tasks of the given service ids, in one call. */
    SwarmTaskPoller(Function<List<String>, List<Task>> list, long pollMillis, List<ObservationGap> gaps) {
        this.list = list;
        this.gaps = gaps;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "swarm-tasks");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::pollSafely, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Delivers the service's task events from the next poll on, until the handle is closed. */
    AutoCloseable subscribe(String serviceId, TaskEventListener listener) {
        SwarmTaskDiff diff = new SwarmTaskDiff(serviceId, listener);
        watched.put(serviceId, diff);
        return () -> {
            // removed under the dispatch lock: once closed, no event of a poll in flight reaches the listener
            synchronized (this) {
                watched.remove(serviceId, diff);
            }
            vanished.remove(serviceId);
            recordOpenGap(" (until observation of " + serviceId + " stopped)");
        };
    }

    void pollSafely() {
        try {
            pollStartedAt = Instant.now();
            poll();
            pollStartedAt = null;
            synchronized (this) {
                if (failingSince != null) {
                    Instant now = Instant.now();
                    gaps.add(new ObservationGap(failingSince, now, failedPolls + " failed task polls: " + firstFailure));
                    LOG.warn("polling tasks works again after {} failed polls", failedPolls);
                    failingSince = null;
                }
            }
        } catch (RuntimeException e) {
            Instant started = pollStartedAt;
            pollStartedAt = null;
            if (failingSince == null) {
                failingSince = started != null ? started : Instant.now();
                firstFailure = e.getMessage() != null ? e.getMessage() : e.toString();
                failedPolls = 0;
                LOG.warn("polling tasks failed (logged again when it works): {}", e.getMessage());
            }
            failedPolls++;
        }
    }

    void poll() {
        List<String> ids = new ArrayList<>(watched.keySet());
        ids.removeAll(vanished);
        if (ids.isEmpty()) return;
        List<Task> current;
        while (true) {
            try {
                current = list.apply(ids);
                break;
            } catch (RuntimeException e) {
                // The manager refuses the whole list when one filtered service is gone (removed while its
                // subscription was closing): that service has nothing more to show, the others are listed again.
                String gone = goneService(e);
                if (gone == null || !ids.remove(gone)) throw e;
                vanished.add(gone);
                if (ids.isEmpty()) return;
            }
        }
        Instant observedAt = Instant.now();
        Map<String, List<Task>> byService = new HashMap<>();
        for (Task task : current) byService.computeIfAbsent(task.getServiceId(), k -> new ArrayList<>()).add(task);
        synchronized (this) {
            for (String id : ids) {
                SwarmTaskDiff diff = watched.get(id);
                if (diff != null) diff.apply(byService.getOrDefault(id, List.of()), observedAt);
            }
        }
    }

    /** The service id in the manager's "service ID not found" answer, or null for any other failure. */
    static String goneService(RuntimeException e) {
        java.util.regex.Matcher m = GONE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group(1) : null;
    }

    /**
     * A gap still open when a service's observation stops (so that its scenario's figures see it
     * now): failing polls, or one in flight for over a second. The stretch recorded is then closed,
     * and what follows is recorded from here on: one failure seen by many unsubscribes (a 200
     * tasks/s step retires 40 services) is one run of adjoining gaps, never overlapping copies.
     */
    private synchronized void recordOpenGap(String why) {
        Instant now = Instant.now();
        Instant since = failingSince;
        Instant inFlight = pollStartedAt;
        if (since != null) {
            if (since.isBefore(now)) gaps.add(new ObservationGap(since, now, failedPolls + " failed task polls" + why + ": " + firstFailure));
            failingSince = now;
        } else if (inFlight != null && Duration.between(inFlight, now).toMillis() > 1000) {
            gaps.add(new ObservationGap(inFlight, now, "a task poll without an answer" + why));
            pollStartedAt = now;
        }
    }

    @Override
    public void close() {
        if (!watched.isEmpty()) recordOpenGap(" (until the adapter closed)");
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
