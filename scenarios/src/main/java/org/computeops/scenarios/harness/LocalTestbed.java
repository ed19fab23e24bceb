package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.LocalTestbedSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The settings a local testbed (infra/testbed up ORCHESTRATOR) wrote into its state, read through
 * the adapters' {@link LocalTestbedSettings} (the submit tool reads them the same way), for
 * infra/testbed and a bare {@code mvn verify -P...} alike; and the testbed lock, which a bare run
 * against the local testbed respects.
 */
final class LocalTestbed {

    private static final Logger LOG = LoggerFactory.getLogger(LocalTestbed.class);

    private LocalTestbed() {
    }

    static Map<String, String> settings(String orchestrator, Map<String, String> explicit, Map<String, String> env) {
        if (orchestrator == null || orchestrator.isBlank()) return Map.of();
        return settings(orchestrator, LocalTestbedSettings.file(LocalTestbedSettings.stateDir(env), orchestrator), explicit, env);
    }

    static Map<String, String> settings(String orchestrator, Path file, Map<String, String> explicit, Map<String, String> env) {
        Optional<Map<String, String>> local;
        try {
            local = LocalTestbedSettings.load(file);
        } catch (IOException e) {
            LOG.warn("ignoring the local testbed's settings: cannot read {} ({})", file, e.getMessage());
            return Map.of();
        }
        if (local.isEmpty()) return Map.of();
        Optional<String> other = LocalTestbedSettings.otherCluster(orchestrator, explicit, local.get(), env);
        if (other.isPresent()) {
            LOG.info("{}: the local testbed's settings in {} are not used", other.get(), file);
            return Map.of();
        }
        refuseWhileLocked(file.getParent().getParent().resolve("testbed.lock"), System.getenv("TESTBED_LOCK_PID"));
        LOG.info("using the local testbed's settings from {}", file);
        return local.get();
    }

    /**
     * One run at a time per testbed: infra/testbed holds STATE_DIR/testbed.lock (pid, command, run
     * id, start) while it runs. A bare Maven run against the local testbed is refused while another
     * command holds it; infra/testbed's own Maven runs carry the holder's pid in TESTBED_LOCK_PID.
     * The lock is only read here (taking it over is guarded by flock(1), which Java cannot join).
     */
    static void refuseWhileLocked(Path lock, String ownHolderPid) {
        if (!Files.isRegularFile(lock)) return;
        Properties holder = new Properties();
        try (Reader in = Files.newBufferedReader(lock)) {
            holder.load(in);
        } catch (IOException e) {
            return;
        }
        String pid = holder.getProperty("pid", "").trim();
        if (pid.isEmpty() || pid.equals(ownHolderPid) || !heldBy(pid)) return;
        throw new IllegalStateException("another infra/testbed " + holder.getProperty("command", "?") + " (pid " + pid + ", run "
                + holder.getProperty("runId", "-") + ", started " + holder.getProperty("started", "?")
                + ") holds the testbed lock " + lock + ": one run at a time per testbed; wait for it or stop it");
    }

    /** The lock's pid is alive and still an infra/testbed process (a reused pid is not a holder). */
    private static boolean heldBy(String pid) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
            for (String arg : new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).split("\u0000")) {
                if (arg.equals("testbed") || arg.endsWith("/testbed")) return true;
            }
            return false;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}
