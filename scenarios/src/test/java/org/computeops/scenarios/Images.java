package org.computeops.scenarios;

/** The workload images built by infra/images/build.sh; override with scenario.*.image. */
final class Images {
    static final String BATCH = "computeops/batch:1.0";
    static final String SERVICE = "computeops/service:1.0";

    private Images() {
    }
}
