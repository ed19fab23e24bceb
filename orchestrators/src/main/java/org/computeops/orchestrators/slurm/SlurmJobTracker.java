package org.computeops.orchestrators.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.ServerStamp;
import org.computeops.orchestrators.spi.TaskEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns the job records of one deployment, read at one instant, into task events. Slurm keeps
 * only a job's current state, so states shorter than a poll are not seen; their phases are then
 * left out, never invented. Timestamps: the server's ({@code submit_time}, {@code start_time},
 * {@code end_time}) are whole seconds; the observation time is this client's clock.
 * <ul>
 * <li>A task is an array element ({@code ARRAYID_INDEX}) or a plain job ({@code JOBID}). Pending
 *     array elements are one record ({@code array_task_string} "5-39%5") until Slurm splits them off.</li>
 * <li>Slurm's RUNNING begins when the controller allocates nodes and sends the batch script;
 *     SCHEDULED and RUNNING are both read from it (same server time {@code start_time}), the
 *     container's own start is not visible through the API.</li>
 * <li>A job Slurm requeues (its node failed) restarts under the same id with {@code restart_cnt}
 *     + 1: the old incarnation is LOST and the new one is a new task {@code ID.rN}.</li>
 * </ul>
 * Not thread-safe: one poller thread calls it.
 */
final class SlurmJobTracker {

    private final String deploymentId;
    private final Predicate<JsonNode> mine;
    private final Map<String, Incarnation> tasks = new HashMap<>();

    SlurmJobTracker(String deploymentId, Predicate<JsonNode> mine) {
        this.deploymentId = deploymentId;
        this.mine = mine;
    }

    private static final class Incarnation {
        final String taskId;
        final int restart;
        Phase last = Phase.CREATED;
        String node;

        Incarnation(String taskId, int restart) {
            this.taskId = taskId;
            this.restart = restart;
        }
    }

    /** The events since the last call, in order; {@code jobs} is the {@code jobs} array of GET /jobs. */
    List<TaskEvent> update(JsonNode jobs, Instant observedAt) {
        List<TaskEvent> events = new ArrayList<>();
        for (JsonNode job : jobs) {
            if (!mine.test(job)) continue;
            long arrayJobId = job.path("array_job_id").asLong(0);
            JsonNode index = job.get("array_task_id");
            String pendingElements = job.path("array_task_string").asText("");
            if (arrayJobId > 0 && (index == null || index.isNull()) && !pendingElements.isEmpty()) {
                for (int i : SlurmJobs.arrayIndices(pendingElements)) track(arrayJobId + "_" + i, job, observedAt, events);
            } else if (arrayJobId > 0 && index != null && index.isIntegralNumber()) {
                track(arrayJobId + "_" + index.asInt(), job, observedAt, events);
            } else {
                track(job.path("job_id").asText(), job, observedAt, events);
            }
        }
        return events;
    }

    private void track(String baseId, JsonNode job, Instant at, List<TaskEvent> events) {
        int restart = job.path("restart_cnt").asInt(0);
        Incarnation task = tasks.get(baseId);
        if (task == null || restart > task.restart) {
            if (task != null && !task.last.terminal()) {
                events.add(event(task.taskId, task.node, Phase.LOST, at, null,
                        "requeued by Slurm (restart " + restart + ", " + job.path("job_state").asText() + ", reason "
                                + job.path("state_reason").asText() + ")"));
            }
            task = new Incarnation(restart == 0 ? baseId : baseId + ".r" + restart, restart);
            tasks.put(baseId, task);
            events.add(event(task.taskId, null, Phase.CREATED, at, SlurmJobs.epoch(job.get("submit_time")),
                    job.path("job_state").asText() + (restart > 0 ? " (restart " + restart + ")" : "")));
        }
        Phase phase = SlurmJobs.phaseOf(job.path("job_state").asText());
        if (phase == null || task.last.terminal()) return;
        String node = node(job);
        if (node != null) task.node = node;
        Instant start = SlurmJobs.epoch(job.get("start_time"));
        if ((phase == Phase.SCHEDULED || phase == Phase.RUNNING) && task.last.compareTo(Phase.SCHEDULED) < 0) {
            events.add(event(task.taskId, node, Phase.SCHEDULED, at, start, "allocated to " + node + " ("
                    + job.path("job_state").asText() + ")"));
            task.last = Phase.SCHEDULED;
        }
        if (phase == Phase.RUNNING && task.last.compareTo(Phase.RUNNING) < 0) {
            events.add(event(task.taskId, node, Phase.RUNNING, at, start, job.path("job_state").asText() + " on " + node
                    + " (Slurm's RUNNING starts at allocation)"));
            task.last = Phase.RUNNING;
        }
        if (phase.terminal()) {
            String detail = job.path("job_state").asText() + exitStatus(job.path("exit_code").asInt(0))
                    + (task.last.compareTo(Phase.RUNNING) < 0 && job.path("start_time").asLong(0) > 0
                    ? ", ran between two polls (its start was not seen)" : "")
                    + (job.path("state_reason").asText("None").equals("None") ? "" : ", reason " + job.path("state_reason").asText());
            events.add(event(task.taskId, node, phase, at, SlurmJobs.epoch(job.get("end_time")), detail));
            task.last = phase;
        }
    }

    private static String node(JsonNode job) {
        String host = job.path("batch_host").asText("");
        if (host.isEmpty()) host = job.path("nodes").asText("");
        return host.isEmpty() ? null : host;
    }

    /** slurmrestd's exit_code is the wait status: the exit code in its high byte, a signal in its low bits. */
    static String exitStatus(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal != 0 ? ", killed by signal " + signal : ", exit code " + ((waitStatus >> 8) & 0xff);
    }

    private TaskEvent event(String taskId, String node, Phase phase, Instant observedAt, Instant serverTime, String detail) {
        // Slurm's job times are whole seconds: kept per task, never a compared figure's end
        return new TaskEvent(deploymentId, taskId, node, phase, observedAt, serverTime, detail, ServerStamp.WHOLE_SECOND);
    }

    /** Tasks seen so far (incarnations of requeued jobs count once). */
    int known() {
        return tasks.size();
    }
}
