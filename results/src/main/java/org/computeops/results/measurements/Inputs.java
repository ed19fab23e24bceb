package org.computeops.results.measurements;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Reading a measurement's recorded inputs back, with one clear line when one is missing or malformed. */
final class Inputs {

    private final String kind;
    private final Map<String, String> values;

    Inputs(String kind, Map<String, String> values) {
        this.kind = kind;
        this.values = values == null ? Map.of() : values;
    }

    String string(String key) {
        String v = values.get(key);
        if (v == null) throw new IllegalArgumentException(kind + " figure lacks its input '" + key + "' (recorded inputs: " + values + ")");
        return v;
    }

    int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(kind + " input '" + key + "' is not a whole number: '" + values.get(key) + "'");
        }
    }

    Instant instant(String key) {
        try {
            return Instant.parse(string(key));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(kind + " input '" + key + "' is not an ISO-8601 instant: '" + values.get(key) + "'");
        }
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        try {
            return Enum.valueOf(type, string(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind + " input '" + key + "' must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()) + ", was '" + values.get(key) + "'");
        }
    }

    /** {@code a=2,b=0} to a map (node names contain no ',' or '='). */
    static Map<String, Integer> intMap(String text) {
        Map<String, Integer> map = new TreeMap<>();
        if (text == null || text.isBlank()) return map;
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", 2);
            map.put(kv[0], Integer.parseInt(kv[1]));
        }
        return map;
    }

    static String intMapText(Map<String, Integer> map) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(map).forEach((k, v) -> s.append(s.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return s.toString();
    }

    static Map<String, String> of(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return m;
    }
}
