package org.computeops.submit;

import org.computeops.orchestrators.spi.LocalTestbedSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The adapter settings the CLI opens an orchestrator with, chosen as {@code mvn verify -P<orchestrator>}
 * chooses them (both read the local testbed through the adapters' {@link LocalTestbedSettings}): the local testbed's
 * {@code STATE_DIR/<orchestrator>/testbed.properties}, unless an explicit setting (or KUBECONFIG)
 * names another cluster; then {@code -Dtestbed.params=FILE}; then each explicit setting, key by key.
 *
 * @param values what the adapter gets
 * @param source where they came from, in words, for the one line naming the cluster
 */
public record TestbedSettings(Map<String, String> values, String source) {

    public TestbedSettings {
        values = Map.copyOf(values);
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
        Path local = LocalTestbedSettings.file(stateDir, orchestrator);
        Map<String, String> localValues = load(local);
        String notLocal = localValues == null ? null : LocalTestbedSettings.otherCluster(orchestrator, chosen, localValues, env).orElse(null);
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

    /** The file's properties; null when there is no readable file. */
    private static Map<String, String> load(Path file) {
        try {
            return LocalTestbedSettings.load(file).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
