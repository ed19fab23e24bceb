package org.computeops.scenarios.harness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings a local testbed (infra/testbed up ORCHESTRATOR) wrote into its state, in
 * {@code STATE_DIR/ORCHESTRATOR/testbed.properties}: its endpoint, node-control program, timeouts.
 * Read here for infra/testbed and a bare {@code mvn verify -P...} alike. They are used only when the
 * explicit settings point at no other cluster, so a run against a site's cluster never picks up
 * the local testbed's node-control program.
 */
final class LocalTestbed {

    private static final Logger LOG = LoggerFactory.getLogger(LocalTestbed.class);
    /** The settings that say which cluster a run talks to. */
    private static final List<String> ENDPOINTS = List.of("testbed.swarm.host", "testbed.kubeconfig", "testbed.mesos.master",
            "testbed.slurm.url");

    private LocalTestbed() {
    }

    /** Where the testbed scripts keep their state (infra/lib/common.sh decides the same way). */
    static Path stateDir(Map<String, String> env) {
        String dir = env.get("TESTBED_STATE_DIR");
        if (dir != null && !dir.isBlank()) return Path.of(dir);
        if ("root".equals(System.getProperty("user.name"))) return Path.of("/var/lib/computeops-testbed");
        String xdg = env.get("XDG_STATE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state"))
                .resolve("computeops-testbed");
    }

    static Map<String, String> settings(String orchestrator, Map<String, String> explicit, Map<String, String> env) {
        if (orchestrator == null || orchestrator.isBlank()) return Map.of();
        return settings(stateDir(env).resolve(orchestrator).resolve("testbed.properties"), explicit,
                "kubernetes".equals(orchestrator) ? env.get("KUBECONFIG") : null);
    }

    static Map<String, String> settings(Path file, Map<String, String> explicit, String kubeconfigEnv) {
        if (!Files.isRegularFile(file)) return Map.of();
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            LOG.warn("ignoring the local testbed's settings: cannot read {} ({})", file, e.getMessage());
            return Map.of();
        }
        Map<String, String> local = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> local.put(k, props.getProperty(k).trim()));
        for (String key : ENDPOINTS) {
            String chosen = explicit.get(key);
            if (chosen != null && !chosen.isBlank() && local.containsKey(key) && !chosen.trim().equals(local.get(key))) {
                LOG.info("{} names another cluster than the local testbed: its settings in {} are not used", key, file);
                return Map.of();
            }
        }
        if (kubeconfigEnv != null && !kubeconfigEnv.isBlank() && !explicit.containsKey("testbed.kubeconfig")) {
            LOG.info("KUBECONFIG names the cluster: the local testbed's settings in {} are not used", file);
            return Map.of();
        }
        refuseWhileLocked(file.getParent().getParent().resolve("testbed.lock"), System.getenv("TESTBED_LOCK_PID"));
        LOG.info("using the local testbed's settings from {}", file);
        return local;
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
