package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.List;
import java.util.Map;

/**
 * One kind of figure: owns its names, its inputs, its computation from task rows and recorded
 * facts, its unit and clock, and its threshold if it has one. A scenario declares the
 * measurements it wants ({@code scenario.measure(new Latency(Phase.RUNNING))}); the harness computes
 * them when the scenario ends, and {@code verify} rebuilds each from the kind and inputs
 * recorded with its figures.
 *
 * <p>A new kind is one class in this package implementing this interface with a public static
 * {@code fromInputs(Map<String, String>)} factory; {@link MeasurementKinds} finds it by its
 * simple name, and summary.json, the page, Allure and verify pick it up with no other change.
 */
public interface Measurement {

    /** Everything beyond the task rows that the computation needs, as text; recorded with each figure. */
    Map<String, String> inputs();

    /** The figures, from the scenario's task rows and the run's files. */
    List<Figure> compute(Evidence evidence);

    /** Why the figures break this measurement's threshold; empty when they do not (or it has none). */
    default List<String> violations(List<Figure> figures) {
        return List.of();
    }

    /** Charts (title to SVG) of the same evidence, for Allure and the page. */
    default Map<String, String> charts(Evidence evidence) {
        return Map.of();
    }

    /** The kind recorded with every figure: the class's simple name. */
    default String kind() {
        return getClass().getSimpleName();
    }
}
