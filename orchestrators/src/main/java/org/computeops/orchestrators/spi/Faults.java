package org.computeops.orchestrators.spi;

import java.util.Map;

/** Faults the testbed can inject into its cluster. */
public interface Faults {

    /** Stops a node hard (its engine or agent dies, not a drain). */
    void stopNode(String nodeId);

    /** Brings a stopped node back and waits until the orchestrator sees it ready. */
    void restoreNode(String nodeId);

    /** The orchestrator's timeouts that decide how fast a lost node is noticed, by name, for the report. */
    Map<String, String> failureDetectionSettings();

    /** Whether this testbed may stop the node (not its only manager, not a node it cannot power). */
    default boolean canStop(NodeInfo node) {
        return true;
    }

    /** For testbeds where nothing can be injected. */
    static Faults unsupported(String why) {
        return new Faults() {
            @Override
            public void stopNode(String nodeId) {
                throw new UnsupportedOperationException(why);
            }

            @Override
            public void restoreNode(String nodeId) {
                throw new UnsupportedOperationException(why);
            }

            @Override
            public Map<String, String> failureDetectionSettings() {
                return Map.of();
            }
        };
    }
}
