package org.computeops.results.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One repetition of one scenario on one orchestrator. {@code status}: passed, failed (ran, but a
 * check, a threshold or the error budget failed), broken (could not run to the end), skipped
 * (capability missing; see reason). {@code repetition} counts from 1.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScenarioResult(String scenario, String status, String reason, Instant startedAt, Instant finishedAt,
                             Map<String, String> parameters,
                             @JsonAlias("metrics") List<Figure> figures, Integer repetition) {

    public ScenarioResult(String scenario, String status, String reason, Instant startedAt, Instant finishedAt,
                          Map<String, String> parameters, List<Figure> figures) {
        this(scenario, status, reason, startedAt, finishedAt, parameters, figures, 1);
    }

    public ScenarioResult {
        repetition = repetition == null ? 1 : repetition;
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        figures = figures == null ? List.of() : List.copyOf(figures);
    }
}
