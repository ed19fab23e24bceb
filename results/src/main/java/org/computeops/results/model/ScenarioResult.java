package org.computeops.results.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One scenario on one orchestrator. {@code status}: passed, failed (ran, but a check or the error
 * budget failed), broken (could not run to the end), skipped (capability missing; see reason).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScenarioResult(String scenario, String status, String reason, Instant startedAt, Instant finishedAt,
                             Map<String, String> parameters,
                             @JsonAlias("metrics") List<Figure> figures) {

    public ScenarioResult {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        figures = figures == null ? List.of() : List.copyOf(figures);
    }
}
