package org.computeops.scenarios.harness;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The one place scenario parameters come from: defaults in the scenario code, overridden by the
 * settings a local testbed wrote into its state ({@link LocalTestbed}), by a properties file
 * ({@code -Dtestbed.params=FILE}), and by {@code -Dkey=value}. A bad value fails fast with the
 * parameter's name and the values it accepts (a key given with an empty value is such a bad value,
 * not a request for the default). What was used is kept for the report.
 */
public final class ScenarioParameters {

    private final Map<String, String> values;
    private final Map<String, String> used = new TreeMap<>();

    ScenarioParameters(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static ScenarioParameters fromSystem() {
        Map<String, String> system = new TreeMap<>();
        System.getProperties().stringPropertyNames().forEach(k -> system.put(k, System.getProperty(k)));
        return from(system, System.getenv());
    }

    /**
     * Parameters from these system properties: checked (unknown testbed.* and scenario.* keys are
     * refused with the nearest known one) before anything reads them, so that a bad input stops the
     * run before any object is created.
     */
    static ScenarioParameters from(Map<String, String> system, Map<String, String> env) {
        Map<String, String> explicit = new TreeMap<>();
        String file = system.get("testbed.params");
        if (file != null && !file.isBlank()) {
            Map<String, String> fromFile = readParams(file, system.get("testbed.repoDir"));
            SettingKeys.check(fromFile, "in the parameter file " + file);
            explicit.putAll(fromFile);
        }
        Map<String, String> given = new TreeMap<>();
        system.forEach((k, v) -> {
            if (SettingKeys.governed(k)) given.put(k, v);
        });
        SettingKeys.check(given, "-D" + "setting");
        explicit.putAll(given);
        Map<String, String> values = new TreeMap<>(LocalTestbed.settings(explicit.get("testbed.orchestrator"), explicit, env));
        values.putAll(explicit);
        return new ScenarioParameters(values);
    }

    /** A relative path is the caller's, i.e. relative to the checkout (Failsafe's working directory is scenarios/). */
    private static Map<String, String> readParams(String file, String repoDir) {
        Path path = Path.of(file.trim());
        if (!path.isAbsolute() && repoDir != null && !repoDir.isBlank()) path = Path.of(repoDir).resolve(path).normalize();
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(path)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("testbed.params must name a readable Java properties file (absolute, or relative to the"
                    + " checkout), was '" + file + "' (" + path + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()) + ")");
        }
        Map<String, String> values = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        return values;
    }

    /** Every testbed.* setting, for the adapters. */
    public Map<String, String> testbedSettings() {
        Map<String, String> settings = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("testbed.")) settings.put(k, v);
        });
        return settings;
    }

    public String string(String key, String fallback) {
        String v = values.get(key);
        String result = v == null || v.isBlank() ? fallback : v.trim();
        used.put(key, result);
        return result;
    }

    public int positiveInt(String key, int fallback) {
        return intAtLeast(key, fallback, 1);
    }

    public int intAtLeast(String key, int fallback, int min) {
        String raw = values.get(key);
        int value;
        if (raw == null) {
            value = fallback;
        } else {
            try {
                value = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter " + key + " must be a whole number from " + min + " to " + Integer.MAX_VALUE + ", was '" + raw + "'");
            }
        }
        if (value < min) {
            throw new IllegalArgumentException("parameter " + key + " must be >= " + min + ", was " + value);
        }
        used.put(key, Integer.toString(value));
        return value;
    }

    /** A comma-separated list of whole numbers > 0, e.g. load steps in requests per second. */
    public List<Integer> positiveInts(String key, List<Integer> fallback) {
        String raw = values.get(key);
        List<Integer> result = new ArrayList<>();
        if (raw == null) {
            result.addAll(fallback);
        } else {
            for (String part : raw.split(",")) {
                try {
                    result.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("parameter " + key + " must be comma-separated whole numbers > 0, was '" + raw + "'");
                }
            }
        }
        if (result.isEmpty() || result.stream().anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("parameter " + key + " must be comma-separated whole numbers > 0, was '" + raw + "'");
        }
        used.put(key, result.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        return List.copyOf(result);
    }

    /** One of an enum's constants, written exactly as the constant (e.g. REAL_NODES). */
    public <E extends Enum<E>> E enumValue(String key, E fallback) {
        String raw = values.get(key);
        E value = fallback;
        if (raw != null) {
            value = java.util.Arrays.stream(fallback.getDeclaringClass().getEnumConstants())
                    .filter(c -> c.name().equals(raw.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("parameter " + key + " must be one of "
                            + java.util.Arrays.toString(fallback.getDeclaringClass().getEnumConstants()) + ", was '" + raw + "'"));
        }
        used.put(key, value.name());
        return value;
    }

    public Duration seconds(String key, int fallbackSeconds) {
        return Duration.ofSeconds(positiveInt(key, fallbackSeconds));
    }

    public double fraction(String key, double fallback) {
        String raw = values.get(key);
        double value;
        try {
            value = raw == null ? fallback : Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + key + " must be a number between 0 and 1, was '" + raw + "'");
        }
        if (!(value >= 0 && value <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("parameter " + key + " must be between 0 and 1, was " + value);
        }
        used.put(key, Double.toString(value));
        return value;
    }

    /** Starts a new record of what is read: each scenario reports only its own parameters. */
    void forgetUsed() {
        used.clear();
    }

    /** The parameters read so far, with the values in force. */
    public Map<String, String> used() {
        return Map.copyOf(used);
    }
}
