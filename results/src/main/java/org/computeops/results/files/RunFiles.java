package org.computeops.results.files;

import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Reads and writes a run's summary.json and tasks.csv: summary.json merged scenario by scenario
 * (several orchestrators may write the same run one after the other), tasks.csv appended. Each
 * write is complete on its own, so an interrupted run keeps what it measured.
 */
public final class RunFiles {

    private final RunFolder folder;
    private final Instant startedAt;
    private final Path dir;

    public RunFiles(RunFolder folder, Instant startedAt) {
        this.folder = folder;
        this.startedAt = startedAt;
        this.dir = folder.dir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the results folder " + dir, e);
        }
    }

    public RunFolder folder() {
        return folder;
    }

    private Path summaryFile() {
        return folder.summaryFile();
    }

    private Path tasksFile() {
        return folder.tasksFile();
    }

    public synchronized RunSummary record(OrchestratorResults cluster, ScenarioResult result, List<TaskRecord> tasks) {
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            RunSummary current = read(summaryFile());
            RunSummary merged = (current == null ? new RunSummary(folder.runId(), startedAt, Instant.now(), List.of()) : current)
                    .with(cluster, result);
            Path tmp = dir.resolve("summary.json.tmp");
            Json.MAPPER.writeValue(tmp.toFile(), merged);
            Files.move(tmp, summaryFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            replaceTasks(cluster.name(), result.scenario(), tasks);
            return merged;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir, e);
        }
    }

    /** A scenario run again under the same run id replaces its earlier rows, as it replaces its summary entry. */
    private void replaceTasks(String orchestrator, String scenario, List<TaskRecord> tasks) throws IOException {
        Path file = tasksFile();
        if (Files.exists(file)) {
            List<TaskRecord> earlier = TaskCsv.read(file);
            List<TaskRecord> kept = earlier.stream()
                    .filter(t -> !(t.orchestrator().equals(orchestrator) && t.scenario().equals(scenario))).toList();
            if (kept.size() != earlier.size()) {
                Path tmp = dir.resolve("tasks.csv.tmp");
                Files.deleteIfExists(tmp);
                TaskCsv.append(tmp, kept);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (!tasks.isEmpty()) TaskCsv.append(file, tasks);
    }

    /** The run's summary, or null when it has none yet. */
    public static RunSummary readSummary(RunFolder folder) throws IOException {
        return read(folder.summaryFile());
    }

    public static RunSummary read(Path summary) throws IOException {
        return Files.exists(summary) ? Json.MAPPER.readValue(summary.toFile(), RunSummary.class) : null;
    }

    /** The run's task rows; none when it has no tasks.csv. */
    public static List<TaskRecord> readTasks(RunFolder folder) throws IOException {
        return Files.exists(folder.tasksFile()) ? TaskCsv.read(folder.tasksFile()) : List.of();
    }
}
