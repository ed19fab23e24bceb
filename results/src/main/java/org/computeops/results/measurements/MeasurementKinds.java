package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry of measurement kinds: a kind is the simple name of a {@link Measurement} class in
 * this package, rebuilt from its recorded inputs through its static {@code fromInputs(Map)}.
 * Looking classes up by name keeps "a new kind = one class": nothing else to register, and a
 * figure whose kind is not found here is reported, never skipped.
 */
public final class MeasurementKinds {

    private MeasurementKinds() {
    }

    /** The measurement a figure came from, rebuilt from its recorded kind and inputs. */
    public static Measurement rebuild(String kind, Map<String, String> inputs) {
        if (kind == null || kind.isBlank()) throw new IllegalArgumentException("the figure records no measurement kind");
        if (!kind.matches("[A-Z][A-Za-z0-9]*")) throw new IllegalArgumentException("unknown measurement kind '" + kind + "'");
        Class<?> type;
        try {
            type = Class.forName(MeasurementKinds.class.getPackageName() + "." + kind);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("unknown measurement kind '" + kind + "'");
        }
        if (!Measurement.class.isAssignableFrom(type)) throw new IllegalArgumentException("unknown measurement kind '" + kind + "'");
        try {
            Method factory = type.getMethod("fromInputs", Map.class);
            if (!Modifier.isStatic(factory.getModifiers())) throw new NoSuchMethodException();
            return (Measurement) factory.invoke(null, inputs == null ? Map.of() : inputs);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("measurement kind " + kind + " has no public static fromInputs(Map)", e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Computes a measurement's figures, each stamped with the kind and inputs that rebuild it. */
    public static List<Figure> compute(Measurement m, Evidence evidence) {
        List<Figure> stamped = new ArrayList<>();
        for (Figure f : m.compute(evidence)) stamped.add(f.from(m.kind(), m.inputs()));
        return stamped;
    }
}
