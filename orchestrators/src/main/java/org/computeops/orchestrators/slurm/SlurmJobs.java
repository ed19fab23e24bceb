package org.computeops.orchestrators.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Resources;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Request bodies and answers of slurmrestd v0.0.38, as pure functions. */
final class SlurmJobs {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The comment every job of the testbed carries: {@code computeops.io/run-id=RUN computeops.io/workload=NAME}. */
    private static final Pattern RUN_IN_COMMENT = Pattern.compile("(?:^|\\s)" + Pattern.quote(Labels.RUN_ID) + "=(\\S+)");
    private static final Pattern GPU_GRES = Pattern.compile("(?:^|,)gpu(?::[^:,(]+)?:(\\d+)");
    /** Node states (v0.0.38 {@code state}) and flags ({@code state_flags}) in which a node takes no new jobs. */
    private static final Set<String> NOT_READY_STATES = Set.of("down", "drained", "draining", "fail", "failing", "future", "unknown", "error");
    private static final Set<String> NOT_READY_FLAGS = Set.of("NOT_RESPONDING", "DRAIN", "FAIL", "POWERED_DOWN", "POWERING_DOWN",
            "POWER_DOWN", "REBOOT_REQUESTED", "MAINTENANCE", "INVALID_REG", "FUTURE");

    private SlurmJobs() {
    }

    static String jobName(String runId, String workload) {
        return "co-" + runId + "-" + workload;
    }

    static String comment(String runId, String workload) {
        return Labels.RUN_ID + "=" + runId + " " + Labels.WORKLOAD + "=" + workload;
    }

    /** The run id in a job's comment, or null when the job is not the testbed's. */
    static String runIdOf(JsonNode job) {
        Matcher m = RUN_IN_COMMENT.matcher(job.path("comment").asText(""));
        return m.find() ? m.group(1) : null;
    }

    /** The folder name of an image's OCI bundle: every character other than letters, digits, '.', '_', '-' becomes '_'. */
    static String bundleName(String image) {
        return image.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** A POSIX shell script that execs the command (run by the image's /bin/sh inside the container). */
    static String script(List<String> command) {
        StringBuilder s = new StringBuilder("#!/bin/sh\nexec");
        for (String arg : command) s.append(' ').append(shellQuote(arg));
        return s.append('\n').toString();
    }

    static String shellQuote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /**
     * The submit body of one job; {@code array} is a Slurm array expression ("0-99%10") or null.
     * Slurm gives every task at least one CPU; memory is per node (one task per job).
     */
    static ObjectNode submitBody(String runId, BatchJob job, String partition, Path bundle, Path workDir,
                                 String array, long timeLimitMinutes, long defaultMemoryMiB) {
        ObjectNode body = F.objectNode();
        ObjectNode j = body.putObject("job");
        j.put("name", jobName(runId, job.name()));
        j.put("comment", comment(runId, job.name()));
        j.put("partition", partition);
        j.put("current_working_directory", "/tmp");
        String output = workDir == null ? "/dev/null"
                : workDir.resolve(jobName(runId, job.name()) + (array == null ? "-%j.out" : "-%A_%a.out")).toString();
        j.put("standard_output", output);
        j.put("standard_error", output);
        j.putObject("environment").put("PATH", "/bin:/usr/bin:/sbin:/usr/sbin");
        j.put("tasks", 1);
        j.put("cpus_per_task", cpus(job.resources()));
        j.put("memory_per_node", job.resources().memoryMiB() == 0 ? defaultMemoryMiB : job.resources().memoryMiB());
        j.put("time_limit", timeLimitMinutes);
        // batch jobs are requeued when their node fails (Slurm's JobRequeue default, stated per job)
        j.put("requeue", true);
        if (job.resources().gpus() > 0) j.put("gres", "gpu:" + job.resources().gpus());
        if (array != null) j.put("array", array);
        j.put("container", bundle.toString());
        body.put("script", script(job.command()));
        return body;
    }

    /**
     * Null when partition {@code high} (GET /partition answer) can be the high priority class beside
     * {@code main}: the same nodes and a higher {@code priority_tier} (its pending jobs are considered
     * first); else why not.
     */
    static String priorityTierProblem(JsonNode main, JsonNode high) {
        String name = high.path("name").asText();
        if (!main.path("nodes").asText().equals(high.path("nodes").asText())) {
            return "partition '" + name + "' has nodes " + high.path("nodes").asText() + ", not the same as '"
                    + main.path("name").asText() + "' (" + main.path("nodes").asText() + ")";
        }
        int mainTier = main.path("priority_tier").asInt(1);
        int highTier = high.path("priority_tier").asInt(1);
        if (highTier <= mainTier) {
            return "partition '" + name + "' has PriorityTier " + highTier + ", not above '" + main.path("name").asText() + "' (" + mainTier + ")";
        }
        return null;
    }

    static int cpus(Resources resources) {
        return (int) Math.max(1, (resources.cpuMillis() + 999) / 1000);
    }

    /** The array expression of a batch job: all completions, at most {@code parallelism} at once. */
    static String arrayExpression(BatchJob job) {
        String range = "0-" + (job.completions() - 1);
        return job.parallelism() < job.completions() ? range + "%" + job.parallelism() : range;
    }

    /**
     * The indices of a Slurm array task string ("2-3", "5-39%5", "1,3,7-11:2"); empty for "".
     */
    static List<Integer> arrayIndices(String expression) {
        List<Integer> out = new ArrayList<>();
        if (expression == null || expression.isBlank()) return out;
        String body = expression.trim();
        int limit = body.indexOf('%');
        if (limit >= 0) body = body.substring(0, limit);
        for (String part : body.split(",")) {
            if (part.isBlank()) continue;
            int step = 1;
            int colon = part.indexOf(':');
            if (colon >= 0) {
                step = Integer.parseInt(part.substring(colon + 1).trim());
                part = part.substring(0, colon);
            }
            int dash = part.indexOf('-');
            if (dash < 0) {
                out.add(Integer.parseInt(part.trim()));
            } else {
                int from = Integer.parseInt(part.substring(0, dash).trim());
                int to = Integer.parseInt(part.substring(dash + 1).trim());
                for (int i = from; i <= to; i += step) out.add(i);
            }
        }
        return out;
    }

    /**
     * The SPI phase a Slurm job state stands for; null for states that say nothing new
     * (COMPLETING: the job ended, its final state follows; REQUEUED: handled by its restart count).
     * Slurm's RUNNING begins when the controller allocates the nodes and launches the batch script:
     * it stands for both {@link Phase#SCHEDULED} and {@link Phase#RUNNING} (see {@link SlurmJobTracker}).
     */
    static Phase phaseOf(String state) {
        String s = state == null ? "" : state.toUpperCase(Locale.ROOT);
        return switch (s) {
            case "PENDING", "REQUEUE_HOLD", "REQUEUE_FED", "SPECIAL_EXIT", "RESV_DEL_HOLD", "REVOKED" -> Phase.CREATED;
            case "CONFIGURING", "RESIZING", "SIGNALING", "STAGE_OUT" -> Phase.SCHEDULED;
            case "RUNNING", "SUSPENDED" -> Phase.RUNNING;
            case "COMPLETED" -> Phase.SUCCEEDED;
            case "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE" -> Phase.FAILED;
            case "CANCELLED", "NODE_FAIL", "PREEMPTED" -> Phase.LOST;
            default -> null;
        };
    }

    /**
     * Whether a job is another run's leftover to cancel at start: it names a run other than
     * {@code runId} and was submitted at least {@code minAge} before {@code now} (testbed.leftovers.minAgeSeconds;
     * Slurm has no lease a run could hold, so a younger job may belong to a run that is starting now).
     * The submit time is the controller's, {@code now} this client's: the same clock on the local testbed.
     */
    static boolean isLeftover(JsonNode job, String runId, Instant now, java.time.Duration minAge) {
        String owner = runIdOf(job);
        if (owner == null || owner.equals(runId)) return false;
        Instant submitted = epoch(job.get("submit_time"));
        return submitted == null || !submitted.plus(minAge).isAfter(now);
    }

    /** Slurm's epoch seconds; 0 (not yet) is null. */
    static Instant epoch(JsonNode value) {
        long seconds = value == null ? 0 : value.asLong(0);
        return seconds > 0 ? Instant.ofEpochSecond(seconds) : null;
    }

    static int gpus(String gres) {
        if (gres == null) return 0;
        int total = 0;
        Matcher m = GPU_GRES.matcher(gres.replace(" ", ""));
        while (m.find()) total += Integer.parseInt(m.group(1));
        return total;
    }

    static boolean ready(JsonNode node) {
        String state = node.path("state").asText("").toLowerCase(Locale.ROOT);
        if (NOT_READY_STATES.contains(state)) return false;
        for (JsonNode flag : node.path("state_flags")) {
            if (NOT_READY_FLAGS.contains(flag.asText())) return false;
        }
        return true;
    }

    static NodeInfo nodeInfo(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        StringBuilder state = new StringBuilder(node.path("state").asText(""));
        for (JsonNode flag : node.path("state_flags")) state.append('+').append(flag.asText());
        labels.put("slurm.state", state.toString());
        labels.put("slurm.address", node.path("address").asText(""));
        List<String> partitions = new ArrayList<>();
        node.path("partitions").forEach(p -> partitions.add(p.asText()));
        labels.put("slurm.partitions", String.join(",", partitions));
        labels.put("slurm.gres", node.path("gres").asText(""));
        if (!node.path("reason").asText("").isEmpty()) labels.put("slurm.reason", node.path("reason").asText());
        String name = node.path("name").asText();
        return new NodeInfo(name, name, false, ready(node), node.path("cpus").asLong() * 1000,
                node.path("real_memory").asLong(), gpus(node.path("gres").asText("")), labels);
    }
}
