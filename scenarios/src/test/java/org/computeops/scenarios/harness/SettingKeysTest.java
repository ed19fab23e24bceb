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

/** The registry is complete: every testbed.* and scenario.* key the adapters, the harness and the scenarios read is in it. */
class SettingKeysTest {

    private static final Pattern KEY = Pattern.compile("\"((?:testbed|scenario)\\.[A-Za-z0-9_.]*[A-Za-z0-9_])\"");
    /** String literals that look like keys but are file names or the lock, not settings. */
    private static final Set<String> NOT_KEYS = Set.of("testbed.properties", "testbed.lock");

    @Test
    void everyKeyReadInTheSourcesIsRegistered() throws IOException {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Set<String> read = new TreeSet<>();
        for (Path root : new Path[]{repo.resolve("orchestrators/src/main/java"), repo.resolve("scenarios/src/main/java"),
                repo.resolve("scenarios/src/test/java/org/computeops/scenarios")}) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")
                        && (p.toString().contains("/src/main/") || !p.toString().contains("/harness/"))).toList()) {
                    Matcher m = KEY.matcher(Files.readString(f));
                    while (m.find()) read.add(m.group(1));
                }
            }
        }
        read.removeAll(NOT_KEYS);
        assertThat(read).isNotEmpty();
        assertThat(SettingKeys.known()).containsAll(read);
    }

    @Test
    void nearestKnownKey() {
        assertThat(SettingKeys.nearest("testbed.swarm.HOST")).contains("testbed.swarm.host");
        assertThat(SettingKeys.nearest("scenario.latency.taskSecond")).contains("scenario.latency.taskSeconds");
        assertThat(SettingKeys.nearest("testbed.qqqqqqqqqqqqqqqqqqqq")).isEmpty();
        assertThat(SettingKeys.distance("kitten", "sitting")).isEqualTo(3);
    }
}
