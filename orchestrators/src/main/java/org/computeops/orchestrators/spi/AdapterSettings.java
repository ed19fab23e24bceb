package org.computeops.orchestrators.spi;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The run id and the {@code testbed.*} settings an adapter is opened with (endpoints, kubeconfig, timeouts).
 * The typed getters refuse a bad value with one line naming the setting and the values it accepts,
 * so that an adapter checks all of its settings before it makes any call.
 */
public record AdapterSettings(String runId, Map<String, String> properties) {

    public AdapterSettings {
        if (runId == null || !runId.matches("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?")) {
            throw new AdapterException("testbed.runId must be 1-32 lower-case letters, digits or '-', was '" + runId + "'");
        }
        properties = Map.copyOf(properties);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(properties.get(key)).filter(v -> !v.isBlank()).map(String::trim);
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public long getLong(String key, long fallback) {
        return getLong(key, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A whole number in [min, max]; a value given but blank is refused like any other bad value. */
    public long getLong(String key, long fallback, long min, long max) {
        String value = properties.get(key);
        if (value == null) return fallback;
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new AdapterException(key + " must be a whole number " + range(min, max) + ", was '" + value + "'");
        }
        if (parsed < min || parsed > max) throw new AdapterException(key + " must be a whole number " + range(min, max) + ", was " + parsed);
        return parsed;
    }

    /** A whole number in [min, max] that fits an int (values above 2^31-1 never wrap). */
    public int getInt(String key, int fallback, int min, int max) {
        return (int) getLong(key, fallback, min, max);
    }

    /** {@code true} or {@code false}, in any case; anything else (yes, 1, on) is refused rather than read as false. */
    public boolean getBoolean(String key, boolean fallback) {
        String value = properties.get(key);
        if (value == null) return fallback;
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw new AdapterException(key + " must be true or false, was '" + value + "'");
    }

    /** One of the given words, exactly as written. */
    public String getChoice(String key, String fallback, String... accepted) {
        String value = properties.get(key);
        if (value == null) return fallback;
        String v = value.trim();
        if (Arrays.asList(accepted).contains(v)) return v;
        throw new AdapterException(key + " must be one of " + String.join(", ", accepted) + ", was '" + value + "'");
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE) return min == Long.MIN_VALUE ? "" : ">= " + min;
        return "from " + min + " to " + max;
    }
}
