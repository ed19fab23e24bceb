package org.computeops.results.measurements;

import org.computeops.results.model.Phase;

import java.util.Set;

/**
 * A measurement whose ends are read on the orchestrator's clock where it stamps them finer than a
 * second, else on this client's: the harness binds it to the orchestrator's sub-second phases
 * when the scenario declares it, and the bound clocks are recorded as inputs.
 */
public interface ClockBound {

    Measurement onClocks(Set<Phase> subSecondServerPhases);

    static org.computeops.results.model.Clock clockOf(Phase phase, Set<Phase> subSecond) {
        return subSecond.contains(phase) ? org.computeops.results.model.Clock.SERVER : org.computeops.results.model.Clock.CLIENT;
    }
}
