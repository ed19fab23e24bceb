package org.computeops.orchestrators.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.NodeControlProgram;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.orchestrators.spi.Workload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Slurm through slurmrestd's REST API (OpenAPI v0.0.38, Slurm 22.05). Batch workloads only: a
 * batch job is one job array (or N jobs, testbed.slurm.batchMode=jobs) whose tasks run the
 * workload's image as an OCI bundle with runc (sbatch --container, Slurm's oci.conf). Every job
 * carries the run id in its comment and its name ({@code co-RUN-WORKLOAD}).
 */
public final class SlurmOrchestrator implements Orchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(SlurmOrchestrator.class);
    static final String NO_SERVICES = "Slurm has no long-running service concept (jobs run to completion; no replicas kept"
            + " running, no entry point, nothing to scale)";
    /** Job states after which there is nothing left to cancel. */
    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE",
            "CANCELLED", "NODE_FAIL", "PREEMPTED", "COMPLETING");

    private final String runId;
    private final SlurmSettings settings;
    private final SlurmRest rest;
    private final Faults faults;
    /** Deployment id to the Slurm job ids it owns (one for an array). */
    private final Map<String, List<Long>> jobsOf = new ConcurrentHashMap<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    /** What the testbed tuned in slurm.conf, in words (testbed.slurm.tuned, written by infra/slurm/up.sh); null when not said. */
    private final String tuned;
    /** Why the high priority partition cannot serve as the high class, or null when it can; absent when none is set. */
    private final String highTier;

    /** Another run's jobs younger than this are left alone at start (testbed.leftovers.minAgeSeconds). */
    private final java.time.Duration leftoverMinAge;

    SlurmOrchestrator(AdapterSettings testbed, SlurmSettings settings) {
        this.runId = testbed.runId();
        this.leftoverMinAge = java.time.Duration.ofSeconds(testbed.getLong("testbed.leftovers.minAgeSeconds", 120, 0, 30L * 86_400));
        this.settings = settings;
        this.rest = new SlurmRest(settings);
        this.tuned = testbed.get("testbed.slurm.tuned").filter(t -> !t.isBlank()).orElse(null);
        try {
            rest.get("/ping");
            this.faults = testbed.get("testbed.slurm.nodeControl")
                    .<Faults>map(program -> new SlurmFaults(() -> rest.get("/nodes").path("nodes"),
                            new NodeControlProgram(Path.of(program), "testbed.slurm.nodeControl"),
                            settings.slurmConf(), settings.releaseRequeued()))
                    .orElse(Faults.unsupported("no node control program for this cluster (set testbed.slurm.nodeControl;"
                            + " infra/slurm/up.sh sets infra/slurm/node.sh for the local cluster)"));
            JsonNode partition;
            try {
                partition = rest.get("/partition/" + settings.partition());
            } catch (SlurmRest.Failure e) {
                throw new AdapterException("testbed.slurm.partition '" + settings.partition() + "' is not usable on " + rest.endpoint()
                        + ": " + e.getMessage());
            }
            if (partition.path("partitions").isEmpty()) {
                throw new AdapterException("testbed.slurm.partition '" + settings.partition() + "' does not exist on " + rest.endpoint());
            }
            this.highTier = settings.highPriorityPartition() == null ? null : priorityTiers(partition, settings.highPriorityPartition());
        } catch (RuntimeException e) {
            rest.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public Set<Capability> capabilities() {
        // every batch job is submitted with --requeue (SlurmJobs): a node failure requeues it
        Set<Capability> caps = EnumSet.of(Capability.BATCH, Capability.BATCH_SURVIVES_NODE_LOSS);
        if (describe().totalGpus() > 0) caps.add(Capability.GPU);
        if (faults instanceof SlurmFaults) caps.add(Capability.NODE_FAILURE);
        if (settings.highPriorityPartition() != null && highTier == null) caps.add(Capability.PRIORITY_CLASSES);
        return caps;
    }

    @Override
    public Optional<String> whyLacking(Capability capability) {
        return switch (capability) {
            case SERVICE, SERVICE_ENDPOINT, SCALE -> Optional.of(NO_SERVICES);
            case NODE_FAILURE -> faults instanceof SlurmFaults ? Optional.empty()
                    : Optional.of("no node control program (testbed.slurm.nodeControl) to stop a node with");
            case GPU -> Optional.of("no ready node of partition '" + settings.partition() + "' advertises a gpu GRES");
            case SIMULATED_NODES -> Optional.of("every node of this Slurm cluster is a real slurmd");
            case PRIORITY_CLASSES -> settings.highPriorityPartition() == null
                    ? Optional.of("no partition for the high class (testbed.slurm.highPriorityPartition: a partition over the same"
                            + " nodes as '" + settings.partition() + "' with a higher PriorityTier; without slurmdbd there are no QOS)")
                    : Optional.ofNullable(highTier);
            default -> Optional.empty();
        };
    }

    /** How this adapter runs workloads, for the report. */
    public Map<String, String> parameters() {
        return Map.of(
                "slurm.openapi", settings.openapi(),
                "slurm.containers", settings.containers() + " (sbatch --container=BUNDLE, runc through oci.conf)",
                "slurm.batchMode", settings.batchMode().name().toLowerCase(),
                "slurm.pollMillis", Long.toString(settings.pollMillis()),
                "slurm.clock", "server times are whole seconds; the client's observation times are the finer reading");
    }

    /** slurmrestd answers and slurmctld says it is UP (/ping), one cheap call. */
    @Override
    public void checkHealth() {
        JsonNode pings = rest.get("/ping").path("pings");
        for (JsonNode p : pings) {
            if ("UP".equals(p.path("ping").asText())) return;
        }
        throw new AdapterException("slurmctld is not UP according to slurmrestd at " + rest.endpoint() + ": /ping answered " + pings);
    }

    @Override
    public ClusterInfo describe() {
        JsonNode ping = rest.get("/ping");
        String release = ping.path("meta").path("Slurm").path("release").asText("unknown");
        List<NodeInfo> nodes = new ArrayList<>();
        for (JsonNode node : rest.get("/nodes").path("nodes")) {
            boolean inPartition = false;
            for (JsonNode p : node.path("partitions")) inPartition |= settings.partition().equals(p.asText());
            if (inPartition) nodes.add(SlurmJobs.nodeInfo(node));
        }
        String scheduler = tuned != null ? "; tuned: " + tuned : settings.slurmConf() == null ? ""
                : ", SchedulerParameters=" + SlurmFaults.readConf(settings.slurmConf()).getOrDefault("SchedulerParameters", "(Slurm's defaults)");
        return new ClusterInfo(name(), "Slurm " + release + " (slurmrestd OpenAPI " + settings.openapi() + ", "
                + settings.containers() + ", batch as " + settings.batchMode().name().toLowerCase() + scheduler + ")", rest.endpoint(), nodes);
    }

    @Override
    public void validate(Workload workload) {
        if (workload instanceof Service) {
            throw new AdapterException("workload '" + workload.name() + "' is a service: " + NO_SERVICES);
        }
        if (workload.placement() == Placement.SIMULATED_NODES) {
            throw new AdapterException("workload '" + workload.name() + "' asks for simulated nodes; this Slurm cluster has none");
        }
        if (workload.command().isEmpty()) {
            throw new AdapterException("workload '" + workload.name() + "' has no command: Slurm runs a job script in the image's"
                    + " OCI bundle, the image's own entry point is not kept in the bundle");
        }
        Path bundle = bundle(workload.image());
        if (!Files.isRegularFile(bundle.resolve("config.json")) || !Files.isDirectory(bundle.resolve("rootfs"))) {
            throw new AdapterException("image '" + workload.image() + "' of workload '" + workload.name()
                    + "' has no OCI bundle at " + bundle + " (testbed.slurm.bundleDir): `infra/testbed up slurm` exports"
                    + " computeops/batch from the host's Docker engine; other images need a bundle (config.json + rootfs) there");
        }
        if (workload instanceof BatchJob b && b.priority() != Priority.NORMAL && !capabilities().contains(Capability.PRIORITY_CLASSES)) {
            throw new AdapterException("workload '" + workload.name() + "' asks for priority class " + b.priority() + ": "
                    + whyLacking(Capability.PRIORITY_CLASSES).orElse("no priority classes here"));
        }
        int gpus = workload.resources().gpus();
        if (gpus > 0) {
            int largest = describe().nodes().stream().filter(NodeInfo::ready).mapToInt(NodeInfo::gpus).max().orElse(0);
            if (largest == 0) {
                throw new AdapterException("workload '" + workload.name() + "' asks for " + gpus + " GPU(s) per task but no ready"
                        + " node of partition '" + settings.partition() + "' advertises a gpu GRES");
            }
            if (largest < gpus) {
                throw new AdapterException("workload '" + workload.name() + "' asks for " + gpus
                        + " GPUs per task but the largest GPU node advertises only " + largest);
            }
        }
    }

    private Path bundle(String image) {
        return settings.bundleDir().resolve(SlurmJobs.bundleName(image));
    }

    @Override
    public Deployment submit(Workload workload) {
        validate(workload);
        BatchJob job = (BatchJob) workload;
        Path bundle = bundle(job.image()).toAbsolutePath();
        Instant started;
        Instant submitted;
        List<Long> ids = new ArrayList<>();
        if (settings.batchMode() == SlurmSettings.BatchMode.ARRAY) {
            ObjectNode body = SlurmJobs.submitBody(runId, job, partitionOf(job), bundle, settings.workDir(),
                    SlurmJobs.arrayExpression(job), settings.timeLimitMinutes(), settings.defaultMemoryMiB());
            started = Instant.now();
            ids.add(submitOne(body));
            submitted = Instant.now();
        } else {
            if (job.parallelism() < job.completions()) {
                throw new AdapterException("workload '" + job.name() + "' limits parallelism to " + job.parallelism() + " of "
                        + job.completions() + "; testbed.slurm.batchMode=jobs cannot limit it, use batchMode=array");
            }
            ObjectNode body = SlurmJobs.submitBody(runId, job, partitionOf(job), bundle, settings.workDir(), null,
                    settings.timeLimitMinutes(), settings.defaultMemoryMiB());
            started = Instant.now();
            for (int i = 0; i < job.completions(); i++) ids.add(submitOne(body));
            submitted = Instant.now();
        }
        String id = ids.size() == 1 ? ids.get(0).toString() : ids.get(0) + "+" + (ids.size() - 1);
        jobsOf.put(id, List.copyOf(ids));
        LOG.info("submitted Slurm {} {} for workload {} ({} task(s))", ids.size() == 1 ? "job" : "jobs", id, job.name(), job.completions());
        return new Deployment(id, runId, workload, started, submitted);
    }

    /** HIGH jobs go to the high partition (higher PriorityTier, same nodes), LOW and NORMAL ones to the partition. */
    private String partitionOf(BatchJob job) {
        return job.priority() == Priority.HIGH ? settings.highPriorityPartition() : settings.partition();
    }

    /**
     * Null when the high partition has a higher PriorityTier than the partition and the same nodes,
     * else why it cannot be the high class.
     */
    private String priorityTiers(JsonNode mainAnswer, String high) {
        JsonNode highAnswer;
        try {
            highAnswer = rest.get("/partition/" + high);
        } catch (SlurmRest.Failure e) {
            return "testbed.slurm.highPriorityPartition '" + high + "' is not usable: " + e.getMessage();
        }
        if (highAnswer.path("partitions").isEmpty()) return "testbed.slurm.highPriorityPartition '" + high + "' does not exist";
        return SlurmJobs.priorityTierProblem(mainAnswer.path("partitions").get(0), highAnswer.path("partitions").get(0));
    }

    private long submitOne(ObjectNode body) {
        JsonNode answer = rest.post("/job/submit", body);
        long id = answer.path("job_id").asLong(0);
        if (id <= 0) throw new AdapterException("slurmrestd " + rest.endpoint() + " accepted a job but gave no job id: " + answer);
        return id;
    }

    @Override
    public AutoCloseable events(Deployment deployment, TaskEventListener listener) {
        Set<Long> ids = Set.copyOf(jobsOf.getOrDefault(deployment.id(), List.of()));
        boolean array = settings.batchMode() == SlurmSettings.BatchMode.ARRAY;
        SlurmJobTracker tracker = new SlurmJobTracker(deployment.id(), job -> array
                ? ids.contains(job.path("array_job_id").asLong(-1))
                : ids.contains(job.path("job_id").asLong(-1)));
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slurm-jobs-" + deployment.id());
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                // An array's elements alone (GET /job/ARRAYID answers them all): a fraction of GET /jobs.
                JsonNode jobs = (array && ids.size() == 1 ? rest.get("/job/" + ids.iterator().next()) : rest.get("/jobs")).path("jobs");
                Instant observedAt = Instant.now();
                for (TaskEvent e : tracker.update(jobs, observedAt)) listener.onEvent(e);
                if (settings.releaseRequeued()) releaseRequeued(jobs);
            } catch (RuntimeException e) {
                if (!Thread.currentThread().isInterrupted()) LOG.warn("polling the jobs of {} failed: {}", deployment.id(), e.getMessage());
            }
        }, 0, settings.pollMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        };
    }

    /** Sets begin_time=now on requeued jobs Slurm holds for their begin time (testbed.slurm.releaseRequeued). */
    private void releaseRequeued(JsonNode jobs) {
        for (JsonNode job : jobs) {
            // an array element by its ARRAY_INDEX name: the plain job id of the array's last element names the whole array
            String id = job.path("array_job_id").asLong(0) > 0 && job.path("array_task_id").isIntegralNumber()
                    ? job.path("array_job_id").asLong() + "_" + job.path("array_task_id").asInt() : job.path("job_id").asText();
            if (job.path("restart_cnt").asInt() > 0 && "PENDING".equals(job.path("job_state").asText())
                    && "BeginTime".equals(job.path("state_reason").asText()) && runId.equals(SlurmJobs.runIdOf(job))
                    && released.add(id + "." + job.path("restart_cnt").asInt())) {
                // v0.0.38's job update takes the job's fields at the top level, times as Slurm's time strings
                ObjectNode update = SlurmRest.MAPPER.createObjectNode().put("begin_time", "now");
                try {
                    rest.post("/job/" + id, update);
                    LOG.info("released requeued job {} (restart {}) from its begin time", id, job.path("restart_cnt").asInt());
                } catch (AdapterException e) {
                    if (e.getMessage().contains("job array update")) {
                        // Slurm 22.05 answers this for an array element even when the new begin time applied
                        // (seen on the local testbed: the elements started within a second); the polls tell.
                        LOG.info("released requeued job {} (restart {}); slurmrestd said: {}", id, job.path("restart_cnt").asInt(), e.getMessage());
                    } else {
                        LOG.warn("could not release requeued job {}: {}", id, e.getMessage());
                    }
                }
            }
        }
    }

    @Override
    public void scale(Deployment deployment, int replicas) {
        throw new AdapterException("only services can be scaled; " + NO_SERVICES);
    }

    @Override
    public void remove(Deployment deployment) {
        for (long id : jobsOf.getOrDefault(deployment.id(), List.of())) cancel(id);
        jobsOf.remove(deployment.id());
    }

    /** Cancels a job or a whole array; false when it was already gone or finished. */
    private boolean cancel(long id) {
        try {
            rest.delete("/job/" + id);
            return true;
        } catch (SlurmRest.Failure e) {
            if (e.gone) return false;
            throw e;
        }
    }

    @Override
    public int removeLeftovers() {
        Instant now = Instant.now();
        return cancelJobs(job -> SlurmJobs.isLeftover(job, runId, now, leftoverMinAge), "leftover");
    }

    /** Cancels the unfinished jobs (arrays as a whole) that match; returns how many. */
    private int cancelJobs(java.util.function.Predicate<JsonNode> matches, String what) {
        Set<Long> targets = new LinkedHashSet<>();
        for (JsonNode job : rest.get("/jobs").path("jobs")) {
            if (!matches.test(job) || ENDED.contains(job.path("job_state").asText())) continue;
            long array = job.path("array_job_id").asLong(0);
            targets.add(array > 0 ? array : job.path("job_id").asLong());
        }
        int cancelled = 0;
        for (long id : targets) {
            if (cancel(id)) {
                cancelled++;
                LOG.info("cancelled {} Slurm job {}", what, id);
            }
        }
        return cancelled;
    }

    @Override
    public Faults faults() {
        return faults;
    }

    @Override
    public void close() {
        try {
            if (faults instanceof SlurmFaults slurmFaults) slurmFaults.restoreAll();
            cancelJobs(job -> runId.equals(SlurmJobs.runIdOf(job)), "own");
        } catch (AdapterException e) {
            LOG.warn("could not cancel the jobs of run {}: {}", runId, e.getMessage());
        } finally {
            rest.close();
        }
    }
}
