package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One pod informer and one informer on the scheduler's {@code Scheduled} events for the run's
 * namespace, started when the adapter opens, so that nothing is missed between a submit and the
 * scenario subscribing and no informer start-up delays what the client observes. Pods are routed
 * to the tracker of their submission (label {@link KubernetesSpecs#SUBMISSION}); a tracker exists
 * from just before its workload is created, and buffers its task events until someone subscribes.
 */
final class NamespaceWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceWatch.class);

    private final Map<String, PodTaskTracker> trackers = new ConcurrentHashMap<>();
    private final Map<String, BufferingListener> listeners = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Event> events;
    private final ScheduledExecutorService timer;
    private final Duration holdFor;
    private final PodReceipts receipts;
    static final String POD_INFORMER = "the pod informer's watch";
    static final String EVENT_INFORMER = "the Scheduled-event informer's watch";
    private final WatchGaps gaps = new WatchGaps();
    private final KubernetesClient leanClient;
    /** How much later the informer's handler got each pod version than the lean watch (ms): logged on close. */
    private final java.util.Queue<Long> informerBehind = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.Set<String> counted = ConcurrentHashMap.newKeySet();

    NamespaceWatch(KubernetesClient client, String namespace, String runId, Duration holdFor) {
        this.holdFor = holdFor;
        // Its own client, so its own HTTP event loop: fabric8's Vert.x client runs every connection
        // of a client (the informers' websockets, every API call) on one event-loop thread, where
        // the lean watch's lines would wait behind the informers' frames.
        this.leanClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
        this.receipts = new PodReceipts(leanClient.getHttpClient(), client.getConfiguration().getMasterUrl(),
                namespace, Labels.RUN_ID + "=" + runId, gaps);
        this.events = client.v1().events().inNamespace(namespace).withField("reason", "Scheduled")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Event e) {
                        Instant now = Instant.now();
                        trackers.values().forEach(t -> t.onScheduledEvent(e, now));
                    }

                    @Override
                    public void onUpdate(Event old, Event e) {
                        onAdd(e);
                    }

                    @Override
                    public void onDelete(Event e, boolean unknownFinalState) {
                        // events expire (event-ttl); nothing to do
                    }
                }, 0);
        this.pods = client.pods().inNamespace(namespace).withLabel(Labels.RUN_ID, runId)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        Instant now = Instant.now();
                        PodTaskTracker t = trackerOf(pod);
                        if (t != null) t.onPod(pod, now);
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        onAdd(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknownFinalState) {
                        Instant now = Instant.now();
                        PodTaskTracker t = trackerOf(pod);
                        if (t != null) t.onPodDeleted(pod, now);
                    }
                }, 0);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "k8s-task-events-" + runId);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::flushDue, 100, 100, TimeUnit.MILLISECONDS);
    }

    private PodTaskTracker trackerOf(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String submission = labels == null ? null : labels.get(KubernetesSpecs.SUBMISSION);
        return submission == null ? null : trackers.get(submission);
    }

    private void flushDue() {
        try {
            Instant now = Instant.now();
            // fabric8's informers reconnect by themselves, silently: their watch state, sampled here
            watching(POD_INFORMER, pods, now);
            watching(EVENT_INFORMER, events, now);
            trackers.values().forEach(t -> t.flushDue(now));
        } catch (RuntimeException e) {
            LOG.warn("delivering task events failed: {}", e.toString());
        }
    }

    private void watching(String name, SharedIndexInformer<?> informer, Instant now) {
        if (informer == null || !informer.hasSynced()) return; // not started yet: no gap before the first watch
        if (informer.isWatching()) gaps.reestablished(name, now);
        else if (informer.isRunning()) gaps.broken(name, now, "the informer's watch is down (reconnecting)");
    }

    /** Stretches in which a watch of this namespace was broken, see {@link WatchGaps}. */
    List<org.computeops.orchestrators.spi.ObservationGap> observationGaps(Instant since) {
        return gaps.since(since);
    }

    /** Starts tracking one submission's pods (label {@link KubernetesSpecs#SUBMISSION}); call before creating it. */
    void track(String submission, String deploymentId) {
        BufferingListener listener = new BufferingListener();
        listeners.put(submission, listener);
        trackers.put(submission, new PodTaskTracker(deploymentId, listener, holdFor, this::received));
    }

    /** Delivers the workload's task events (those buffered so far first) until the handle is closed. */
    AutoCloseable subscribe(String submission, TaskEventListener listener) {
        BufferingListener buffer = listeners.get(submission);
        PodTaskTracker tracker = trackers.get(submission);
        if (buffer == null || tracker == null) {
            throw new org.computeops.orchestrators.spi.AdapterException("workload '" + submission
                    + "' was not submitted through this adapter instance: subscribe with the Deployment its submit returned");
        }
        buffer.attach(listener);
        return () -> {
            tracker.flushAll(Instant.now());
            buffer.detach();
        };
    }

    private Instant received(String pod, String resourceVersion, Instant informerReceipt) {
        Instant lean = receipts.receivedAt(pod, resourceVersion);
        if (lean == null) return informerReceipt;
        // the tracker asks again for a binding on release: count each version once
        if (counted.add(pod + "/" + resourceVersion)) informerBehind.add(Duration.between(lean, informerReceipt).toMillis());
        return lean.isBefore(informerReceipt) ? lean : informerReceipt;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pods.stop();
        events.stop();
        receipts.close();
        leanClient.close();
        trackers.values().forEach(t -> t.flushAll(Instant.now()));
        List<Long> behind = new ArrayList<>(informerBehind);
        if (!behind.isEmpty()) {
            behind.sort(null);
            LOG.info("pod updates: the informer's handler got them p50 {} ms, p99 {} ms, max {} ms after the lean watch received them (n={})",
                    behind.get((behind.size() - 1) / 2), behind.get(Math.max(0, (int) Math.ceil(behind.size() * 0.99) - 1)),
                    behind.get(behind.size() - 1), behind.size());
        }
    }

    /** Holds task events until a listener attaches; drops them after it detaches. */
    static final class BufferingListener implements TaskEventListener {
        private final List<TaskEvent> buffer = new ArrayList<>();
        private TaskEventListener target;
        private boolean detached;

        @Override
        public synchronized void onEvent(TaskEvent event) {
            if (detached) return;
            if (target == null) buffer.add(event);
            else target.onEvent(event);
        }

        synchronized void attach(TaskEventListener listener) {
            if (target != null) throw new IllegalStateException("already subscribed");
            target = listener;
            buffer.forEach(listener::onEvent);
            buffer.clear();
        }

        synchronized void detach() {
            detached = true;
            buffer.clear();
        }
    }
}
