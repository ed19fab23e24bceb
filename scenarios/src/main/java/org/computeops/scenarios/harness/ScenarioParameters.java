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
 * parameter's name. What was used is kept for the report.
 */
public final class ScenarioParameters {

    private final Map<String, String> values;
    private final Map<String, String> used = new TreeMap<>();

    ScenarioParameters(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static ScenarioParameters fromSystem() {
        Map<String, String> explicit = new TreeMap<>();
        String file = System.getProperty("testbed.params");
        if (file != null && !file.isBlank()) {
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of(file))) {
                props.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("testbed.params: cannot read parameter file '" + file + "': " + e.getMessage());
            }
            props.stringPropertyNames().forEach(k -> explicit.put(k, props.getProperty(k)));
        }
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("scenario.") || k.startsWith("testbed."))
                .forEach(k -> explicit.put(k, System.getProperty(k)));
        Map<String, String> values = new TreeMap<>(LocalTestbed.settings(explicit.get("testbed.orchestrator"), explicit, System.getenv()));
        values.putAll(explicit);
        return new ScenarioParameters(values);
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
        if (raw == null || raw.isBlank()) {
            value = fallback;
        } else {
            try {
                value = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter " + key + " must be a whole number >= " + min + ", was '" + raw + "'");
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
        if (raw == null || raw.isBlank()) {
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
        if (raw != null && !raw.isBlank()) {
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
            value = raw == null || raw.isBlank() ? fallback : Double.parseDouble(raw.trim());
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
