package org.computeops.orchestrators.spi;

/** Label keys put on every object the testbed creates; valid for Docker, Kubernetes and Mesos alike. */
public final class Labels {
    public static final String RUN_ID = "computeops.io/run-id";
    public static final String WORKLOAD = "computeops.io/workload";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "computeops-testbed";

    private Labels() {
    }
}
