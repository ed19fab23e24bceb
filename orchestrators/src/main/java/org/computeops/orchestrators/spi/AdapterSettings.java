package org.computeops.orchestrators.spi;

import java.util.Map;
import java.util.Optional;

/** The run id and the {@code testbed.*} settings an adapter is opened with (endpoints, kubeconfig, timeouts). */
public record AdapterSettings(String runId, Map<String, String> properties) {

    public AdapterSettings {
        if (runId == null || !runId.matches("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?")) {
            throw new AdapterException("testbed.runId must be 1-32 lower-case letters, digits or '-', was '" + runId + "'");
        }
        properties = Map.copyOf(properties);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(properties.get(key)).filter(v -> !v.isBlank());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public long getLong(String key, long fallback) {
        String value = properties.get(key);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new AdapterException(key + " must be a whole number, was '" + value + "'");
        }
    }
}
