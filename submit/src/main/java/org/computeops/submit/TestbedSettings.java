package org.computeops.submit;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The adapter settings the CLI opens an orchestrator with, chosen as {@code mvn verify -P<orchestrator>}
 * chooses them (scenarios' LocalTestbed and ScenarioParameters): the local testbed's
 * {@code STATE_DIR/<orchestrator>/testbed.properties}, unless an explicit setting (or KUBECONFIG)
 * names another cluster; then {@code -Dtestbed.params=FILE}; then each explicit setting, key by key.
 *
 * @param values what the adapter gets
 * @param source where they came from, in words, for the one line naming the cluster
 */
public record TestbedSettings(Map<String, String> values, String source) {

    /** The settings that say which cluster is meant. */
    static final List<String> ENDPOINTS = List.of("testbed.swarm.host", "testbed.kubeconfig", "testbed.mesos.master",
            "testbed.slurm.url");

    public TestbedSettings {
        values = Map.copyOf(values);
    }

    /** Where the testbed scripts keep their state (infra/lib/common.sh decides the same way). */
    static Path stateDir(Map<String, String> env, String userName, String userHome) {
        String dir = env.get("TESTBED_STATE_DIR");
        if (dir != null && !dir.isBlank()) return Path.of(dir);
        if ("root".equals(userName)) return Path.of("/var/lib/computeops-testbed");
        String xdg = env.get("XDG_STATE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".local", "state")).resolve("computeops-testbed");
    }

    static TestbedSettings resolve(String orchestrator, Map<String, String> explicit, Map<String, String> env, Path stateDir) {
        for (String key : explicit.keySet()) {
            if (!key.startsWith("testbed.")) {
                throw new BadInputException("setting '" + key + "' is not an adapter setting: they all start with 'testbed.'"
                        + " (e.g. --setting testbed.slurm.url=http://127.0.0.1:6820)");
            }
        }
        Map<String, String> chosen = new TreeMap<>(explicit);
        String paramsFile = chosen.remove("testbed.params");
        StringBuilder source = new StringBuilder();
        Map<String, String> values = new TreeMap<>();
        if (paramsFile != null && !paramsFile.isBlank()) {
            Map<String, String> fromFile = load(Path.of(paramsFile));
            if (fromFile == null) throw new BadInputException("testbed.params: cannot read the settings file '" + paramsFile + "'");
            fromFile.forEach((k, v) -> chosen.putIfAbsent(k, v));
            source.append(paramsFile);
        }
        Path local = stateDir.resolve(orchestrator).resolve("testbed.properties");
        Map<String, String> localValues = load(local);
        String notLocal = localValues == null ? null : otherCluster(orchestrator, chosen, localValues, env);
        if (localValues != null && notLocal == null) {
            values.putAll(localValues);
            source.insert(0, source.isEmpty() ? local.toString() : local + " + ");
        }
        values.putAll(chosen);
        int overrides = explicit.size() - (paramsFile == null ? 0 : 1);
        if (overrides > 0) source.append(source.isEmpty() ? "" : " + ").append(overrides).append(" explicit setting(s)");
        if (source.isEmpty()) source.append("the adapter's defaults (there is no ").append(local).append(")");
        if (notLocal != null) source.append("; not the local testbed's, as ").append(notLocal);
        return new TestbedSettings(values, source.toString());
    }

    /** Why the local testbed's settings are not for this run, or null when they are. */
    private static String otherCluster(String orchestrator, Map<String, String> chosen, Map<String, String> local, Map<String, String> env) {
        for (String key : ENDPOINTS) {
            String value = chosen.get(key);
            if (value != null && !value.isBlank() && local.containsKey(key) && !value.trim().equals(local.get(key))) {
                return key + " names another cluster";
            }
        }
        String kubeconfig = env.get("KUBECONFIG");
        if ("kubernetes".equals(orchestrator) && kubeconfig != null && !kubeconfig.isBlank() && !chosen.containsKey("testbed.kubeconfig")) {
            return "KUBECONFIG names the cluster";
        }
        return null;
    }

    /** The file's properties, trimmed; null when there is no readable file. */
    private static Map<String, String> load(Path file) {
        if (!Files.isRegularFile(file)) return null;
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        Map<String, String> map = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).trim()));
        return map;
    }
}
