package org.computeops.scenarios.harness;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README says what the code does: its example is a real scenario, its table every parameter read. */
class ReadmeTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path README = MODULE.getParent().resolve("README.md");
    private static final Pattern READ = Pattern.compile(
            "\\.(?:string|positiveInt|intAtLeast|seconds|positiveInts|fraction|enumValue)\\(\"((?:scenario|testbed)\\.[A-Za-z0-9.]+)\"");

    @Test
    void theExampleIsTheCompiledScenario() throws IOException {
        String source = Files.readString(MODULE.resolve("src/test/java/org/computeops/scenarios/SchedulingLatencyScenario.java"));
        String example = source.substring(source.indexOf("// tag::example[]\n") + "// tag::example[]\n".length(),
                source.indexOf("// end::example[]"));
        assertThat(Files.readString(README)).contains("```java\n" + example + "```");
    }

    @Test
    void everyParameterTheCodeReadsIsInTheTable() throws IOException {
        Set<String> read = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MODULE.resolve("src"))) {
            // the harness's own unit tests read made-up keys
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.toString().endsWith("Test.java")).toList()) {
                Matcher m = READ.matcher(Files.readString(f));
                while (m.find()) read.add(m.group(1));
            }
        }
        assertThat(read).contains("scenario.latency.tasks", "testbed.maxErrorRate");
        String readme = Files.readString(README);
        Set<String> missing = new TreeSet<>();
        for (String key : read) if (!readme.contains("| `" + key + "` |")) missing.add(key);
        assertThat(missing).as("parameters read by the code but missing from the README's table").isEmpty();
    }
}
