package org.computeops.results.measurements;

import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.TaskRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How late this client sees a change: receive time minus the orchestrator's own sub-second stamp
 * of the same change ({@code observation_lag_ms[phase]}), for every phase where both exist. It
 * bounds the error of every figure whose end is read on the client clock.
 */
public record ObservationLag(Set<Phase> phases) implements Measurement, ClockBound {

    public ObservationLag {
        phases = phases.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(phases));
    }

    public ObservationLag() {
        this(Set.of());
    }

    public static ObservationLag fromInputs(Map<String, String> inputs) {
        String list = new Inputs("ObservationLag", inputs).string("phases");
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String p : list.split(",")) if (!p.isBlank()) phases.add(Phase.valueOf(p.trim()));
        return new ObservationLag(phases);
    }

    @Override
    public ObservationLag onClocks(Set<Phase> subSecondServerPhases) {
        Set<Phase> both = EnumSet.noneOf(Phase.class);
        both.addAll(subSecondServerPhases);
        both.remove(Phase.LOST);
        return new ObservationLag(both);
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("phases", sorted().stream().map(Enum::name).collect(Collectors.joining(",")));
    }

    private List<Phase> sorted() {
        return phases.stream().sorted().toList();
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<Figure> figures = new ArrayList<>();
        for (Phase phase : sorted()) {
            List<Double> lags = new ArrayList<>();
            long errors = 0;
            for (TaskRecord t : evidence.tasks()) {
                PhaseTimes times = t.at(phase);
                if (times == null) continue;
                if (!PhaseTimes.SUB_SECOND.equals(times.stamp()) || times.observedAt() == null) {
                    errors++;
                    continue;
                }
                lags.add(Duration.between(times.serverTime(), times.observedAt()).toNanos() / 1e6);
            }
            if (lags.isEmpty() && errors == 0) continue;
            figures.add(Quantiles.latency("observation_lag_ms[" + phase.lower() + "]", lags, errors, "client−server",
                    "this client's receive time minus the orchestrator's sub-second stamp of the same change (" + phase
                            + "); negative values mean the two clocks disagree; errors: tasks without a sub-second stamp"));
        }
        return figures;
    }
}
