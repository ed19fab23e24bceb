package org.computeops.orchestrators.spi;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The adapter settings a local testbed (infra/testbed up ORCHESTRATOR) wrote into its state, in
 * {@code STATE_DIR/ORCHESTRATOR/testbed.properties}: its endpoint, node-control program, timeouts.
 * One reading for the scenarios' harness and the submit tool alike. They are for a run only when
 * the explicit settings name no other cluster, so a run against a site's cluster never picks up
 * the local testbed's node-control program.
 */
public final class LocalTestbedSettings {

    /** The settings that say which cluster a run talks to. */
    public static final List<String> ENDPOINTS = List.of("testbed.swarm.host", "testbed.kubeconfig", "testbed.mesos.master",
            "testbed.slurm.url");

    private LocalTestbedSettings() {
    }

    /** Where the testbed scripts keep their state (infra/lib/common.sh decides the same way). */
    public static Path stateDir(Map<String, String> env, String userName, String userHome) {
        String dir = env.get("TESTBED_STATE_DIR");
        if (dir != null && !dir.isBlank()) return Path.of(dir);
        if ("root".equals(userName)) return Path.of("/var/lib/computeops-testbed");
        String xdg = env.get("XDG_STATE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".local", "state")).resolve("computeops-testbed");
    }

    /** {@link #stateDir(Map, String, String)} for this JVM's user. */
    public static Path stateDir(Map<String, String> env) {
        return stateDir(env, System.getProperty("user.name"), System.getProperty("user.home"));
    }

    /** The local testbed's settings file of an orchestrator. */
    public static Path file(Path stateDir, String orchestrator) {
        return stateDir.resolve(orchestrator).resolve("testbed.properties");
    }

    /** The file's properties, values trimmed; empty when there is no file; an IOException when it cannot be read. */
    public static Optional<Map<String, String>> load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed properties: " + e.getMessage(), e);
        }
        Map<String, String> map = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).trim()));
        return Optional.of(map);
    }

    /**
     * Why the local testbed's settings are not for this run, or empty when they are: an explicit
     * endpoint setting naming another cluster, or (Kubernetes) KUBECONFIG without an explicit
     * {@code testbed.kubeconfig}.
     */
    public static Optional<String> otherCluster(String orchestrator, Map<String, String> explicit, Map<String, String> local,
                                                Map<String, String> env) {
        for (String key : ENDPOINTS) {
            String value = explicit.get(key);
            if (value != null && !value.isBlank() && local.containsKey(key) && !value.trim().equals(local.get(key))) {
                return Optional.of(key + " names another cluster");
            }
        }
        String kubeconfig = env.get("KUBECONFIG");
        if ("kubernetes".equals(orchestrator) && kubeconfig != null && !kubeconfig.isBlank() && !explicit.containsKey("testbed.kubeconfig")) {
            return Optional.of("KUBECONFIG names the cluster");
        }
        return Optional.empty();
    }
}
