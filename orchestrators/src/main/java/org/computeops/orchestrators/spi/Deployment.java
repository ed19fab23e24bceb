package org.computeops.orchestrators.spi;

import java.time.Instant;

/**
 * Handle of a submitted workload. {@code submitStartedAt} and {@code submittedAt} are client
 * clock readings just before the submit call and just after it returned: latencies count from
 * {@code submitStartedAt}
 * (a fast scheduler can bind a task before the call's response is back).
 */
public record Deployment(String id, String runId, Workload workload, Instant submitStartedAt, Instant submittedAt) {
}
