package org.computeops.submit;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JobFileReaderTest {

    static final String GOOD = """
            name: sleepy
            image: computeops/batch:1.0
            command: [sh, -c, "sleep 1; echo done"]
            tasks: 4
            parallelism: 2
            cpus: 0.5
            memory: 256
            gpus: 1
            """;

    @TempDir
    Path dir;

    /** The message of the one BadInputException parsing YAML text gives; asserts it is one line naming the file. */
    static String yamlError(String yaml) {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> JobFileReader.parse(yaml, false, "job.yaml"));
        assertThat(e).as("a BadInputException for:%n%s", yaml).isNotNull();
        assertThat(e.getMessage()).startsWith("job.yaml: ").doesNotContain("\n").doesNotContain("java.");
        return e.getMessage();
    }

    @Test
    void mapsEveryFieldToTheBatchJob() {
        BatchJob job = JobFileReader.parse(GOOD, false, "job.yaml");
        assertThat(job).isEqualTo(new BatchJob("sleepy", "computeops/batch:1.0", List.of("sh", "-c", "sleep 1; echo done"), 4, 2,
                new Resources(500, 256, 1), Placement.REAL_NODES));
    }

    @Test
    void optionalFieldsHaveDefaults() {
        BatchJob job = JobFileReader.parse("name: one\nimage: busybox\ncommand: [\"true\"]\n", false, "job.yaml");
        assertThat(job.completions()).isEqualTo(1);
        assertThat(job.parallelism()).isEqualTo(1);
        assertThat(job.resources()).isEqualTo(Resources.NONE);
        BatchJob four = JobFileReader.parse("name: four\nimage: busybox\ncommand: [\"true\"]\ntasks: 4\n", false, "job.yaml");
        assertThat(four.parallelism()).as("parallelism defaults to tasks").isEqualTo(4);
    }

    @Test
    void priorityIsAClassByNameAndNoneByDefault() {
        assertThat(JobFileReader.parse(GOOD, false, "job.yaml").priority()).isEqualTo(Priority.NORMAL);
        assertThat(JobFileReader.parse(GOOD + "priority: high\n", false, "job.yaml").priority()).isEqualTo(Priority.HIGH);
        assertThat(JobFileReader.parse(GOOD + "priority: low\n", false, "job.yaml").priority()).isEqualTo(Priority.LOW);
        assertThat(yamlError(GOOD + "priority: urgent\n")).isEqualTo("job.yaml: priority must be low or high, the job's priority class where"
                + " the orchestrator has them (default: none); was 'urgent'");
    }

    @Test
    void wholeCoresBecomeMillicores() {
        BatchJob job = JobFileReader.parse(GOOD.replace("cpus: 0.5", "cpus: 2"), false, "job.yaml");
        assertThat(job.resources().cpuMillis()).isEqualTo(2000);
        BatchJob fine = JobFileReader.parse(GOOD.replace("cpus: 0.5", "cpus: 0.125"), false, "job.yaml");
        assertThat(fine.resources().cpuMillis()).isEqualTo(125);
    }

    @Test
    void readsJsonByItsExtension() throws Exception {
        Path file = dir.resolve("job.json");
        Files.writeString(file, """
                {"name": "sleepy", "image": "computeops/batch:1.0", "command": ["sh", "-c", "sleep 1; echo done"],
                 "tasks": 4, "parallelism": 2, "cpus": 0.5, "memory": 256, "gpus": 1}
                """);
        assertThat(JobFileReader.read(file, "job.json")).isEqualTo(JobFileReader.parse(GOOD, false, "job.yaml"));
    }

    @Test
    void theExampleFilesOfTheModuleAreValid() {
        Path examples = Path.of("examples");
        for (String name : List.of("sleep.yaml", "gpu.yaml", "fail.yaml")) {
            BatchJob job = JobFileReader.read(examples.resolve(name), name);
            assertThat(job.image()).isEqualTo("computeops/batch:1.0");
        }
    }

    @Test
    void unknownFieldIsNamedWithTheAcceptedOnes() {
        assertThat(yamlError(GOOD.replace("cpus: 0.5", "cpu: 0.5")))
                .isEqualTo("job.yaml: unknown field 'cpu' (line 6); accepted fields: name, image, command, tasks, parallelism, cpus, memory, gpus, priority");
    }

    @Test
    void negativeTaskCount() {
        assertThat(yamlError(GOOD.replace("tasks: 4", "tasks: -3")))
                .isEqualTo("job.yaml: tasks must be a whole number >= 1 (default 1); was -3");
    }

    @Test
    void zeroTasks() {
        assertThat(yamlError(GOOD.replace("tasks: 4", "tasks: 0"))).isEqualTo("job.yaml: tasks must be a whole number >= 1 (default 1); was 0");
    }

    @Test
    void fractionalTaskCountIsNotTruncated() {
        assertThat(yamlError(GOOD.replace("tasks: 4", "tasks: 2.5")))
                .startsWith("job.yaml: tasks must be a whole number >= 1 (default 1) (line 4");
    }

    @Test
    void wordForATaskCount() {
        assertThat(yamlError(GOOD.replace("tasks: 4", "tasks: ten")))
                .startsWith("job.yaml: tasks must be a whole number >= 1 (default 1) (line 4").contains("ten");
    }

    @Test
    void missingImage() {
        assertThat(yamlError(GOOD.replace("image: computeops/batch:1.0\n", "")))
                .isEqualTo("job.yaml: image is missing; expected an image name, e.g. computeops/batch:1.0");
    }

    @Test
    void emptyImageValue() {
        assertThat(yamlError(GOOD.replace("image: computeops/batch:1.0", "image:")))
                .isEqualTo("job.yaml: image is missing; expected an image name, e.g. computeops/batch:1.0");
    }

    @Test
    void missingName() {
        assertThat(yamlError(GOOD.replace("name: sleepy\n", "")))
                .isEqualTo("job.yaml: name is missing; expected " + JobFileReader.ACCEPTED.get("name"));
    }

    @Test
    void nameWithCapitals() {
        assertThat(yamlError(GOOD.replace("name: sleepy", "name: Sleepy_Job")))
                .isEqualTo("job.yaml: name must be " + JobFileReader.ACCEPTED.get("name") + "; was 'Sleepy_Job'");
    }

    @Test
    void commandAsOneString() {
        assertThat(yamlError(GOOD.replace("command: [sh, -c, \"sleep 1; echo done\"]", "command: sleep 1")))
                .startsWith("job.yaml: command must be a list of strings, e.g. [sh, -c, \"sleep 1; echo done\"] (line 3");
    }

    @Test
    void missingCommand() {
        assertThat(yamlError(GOOD.replace("command: [sh, -c, \"sleep 1; echo done\"]\n", "")))
                .startsWith("job.yaml: command is missing; expected a list of strings");
    }

    @Test
    void parallelismAboveTasks() {
        assertThat(yamlError(GOOD.replace("parallelism: 2", "parallelism: 6")))
                .isEqualTo("job.yaml: parallelism must be a whole number from 1 to tasks (4), was 6");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cpus: 0.5   | cpus: -1     | cpus must be cores per task, a number >= 0 with at most 3 decimals, e.g. 0.5 or 2 (default 0: no reservation); was -1",
            "cpus: 0.5   | cpus: 0.0005 | cpus must be cores per task, a number >= 0 with at most 3 decimals, e.g. 0.5 or 2 (default 0: no reservation); was 0.0005",
            "memory: 256 | memory: -256 | memory must be MiB per task, a whole number >= 0 (default 0: no reservation); was -256",
            "gpus: 1     | gpus: -1     | gpus must be whole GPUs per task, a number >= 0 (default 0); was -1"})
    void negativeOrTooFineResources(String from, String to, String message) {
        assertThat(yamlError(GOOD.replace(from, to))).isEqualTo("job.yaml: " + message);
    }

    @Test
    void memoryWithAUnit() {
        assertThat(yamlError(GOOD.replace("memory: 256", "memory: 2Gi")))
                .startsWith("job.yaml: memory must be MiB per task, a whole number >= 0 (default 0: no reservation) (line 7").contains("2Gi");
    }

    @Test
    void badYaml() {
        assertThat(yamlError("name: sleepy\nimage: \"unclosed\ncommand: [x]\n"))
                .startsWith("job.yaml: not valid YAML (line ");
    }

    @Test
    void badJson() {
        BadInputException e = catchThrowableOfType(BadInputException.class,
                () -> JobFileReader.parse("{\"name\": \"x\",, }", true, "job.json"));
        assertThat(e.getMessage()).startsWith("job.json: not valid JSON (line 1, column ").doesNotContain("\n");
    }

    @Test
    void fieldGivenTwice() {
        assertThat(yamlError(GOOD + "tasks: 5\n")).startsWith("job.yaml: a field is given twice (line 9").contains("'tasks'");
    }

    @Test
    void aListInsteadOfAMapping() {
        assertThat(yamlError("- name: sleepy\n- image: busybox\n"))
                .isEqualTo("job.yaml: the top level must be a mapping of the fields name, image, command, tasks, parallelism, cpus, memory, gpus, priority (line 1, column 1)");
    }

    @Test
    void twoDocuments() {
        assertThat(yamlError(GOOD + "---\n" + GOOD)).startsWith("job.yaml: more than one document");
    }

    @Test
    void emptyFile() {
        assertThat(yamlError("\n  \n")).isEqualTo("job.yaml: the job file is empty; expected the fields name, image, command, tasks, parallelism, cpus, memory, gpus, priority");
    }

    @Test
    void onlyAComment() {
        assertThat(yamlError("# nothing yet\n")).startsWith("job.yaml: the job file holds no fields");
    }

    @Test
    void unreadableFile() {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> JobFileReader.read(dir.resolve("nope.yaml"), "nope.yaml"));
        assertThat(e.getMessage()).isEqualTo("nope.yaml: cannot read the job file (no such file)");
    }

    @Test
    void aDirectoryIsNotAJobFile() {
        BadInputException e = catchThrowableOfType(BadInputException.class, () -> JobFileReader.read(dir, "jobs/"));
        assertThat(e.getMessage()).startsWith("jobs/: cannot read the job file (").doesNotContain("\n");
    }

    @Test
    void nullCommandElement() {
        assertThat(yamlError(GOOD.replace("[sh, -c, \"sleep 1; echo done\"]", "[sh, ~]")))
                .isEqualTo("job.yaml: command must be a list of strings, e.g. [sh, -c, \"sleep 1; echo done\"]; was an empty element at position 2");
    }

    @Test
    void aCountTooLargeForTheField() {
        assertThat(yamlError(GOOD.replace("tasks: 4", "tasks: 99999999999")))
                .startsWith("job.yaml: tasks must be a whole number >= 1 (default 1) (line 4").contains("99999999999");
    }

    @Test
    void halfAGpu() {
        assertThat(yamlError(GOOD.replace("gpus: 1", "gpus: 0.5")))
                .startsWith("job.yaml: gpus must be whole GPUs per task, a number >= 0 (default 0) (line 8");
    }

    @Test
    void aNameTooLongForSwarmsServiceName() {
        String name = "a".repeat(JobFileReader.MAX_NAME + 1);
        assertThat(JobFileReader.MAX_NAME).isEqualTo(32);
        assertThat(yamlError(GOOD.replace("name: sleepy", "name: " + name)))
                .isEqualTo("job.yaml: name must be 1-32 lower-case letters, digits or '-', starting and ending with a letter or digit; was '"
                        + name + "' (33 characters)");
        assertThat(JobFileReader.parse(GOOD.replace("name: sleepy", "name: " + name.substring(1)), false, "job.yaml").name()).hasSize(32);
    }
}
