package org.computeops.gatling;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * HTTP GETs on a deployed service at a stepped arrival rate, one request name per step so that
 * Gatling reports percentiles and errors step by step. Each request goes to the next of the
 * current {@link LoadTargets}. Configured by {@link GatlingRunner}: rates and step length through
 * system properties, the targets through {@link #targets} (a live object, replaceable during the run).
 */
public class ServiceLoadSimulation extends Simulation {

    /** Set by {@link GatlingRunner} (which runs one simulation at a time) before Gatling instantiates this class. */
    static volatile LoadTargets targets;

    static final String RATES = "computeops.load.rates";
    static final String STEP_SECONDS = "computeops.load.stepSeconds";

    public ServiceLoadSimulation() {
        LoadTargets live = targets;
        if (live == null || live.current().isEmpty()) throw new IllegalStateException("no load targets: run this simulation through GatlingRunner");
        LoadPlan plan = new LoadPlan(live.current(),
                Arrays.stream(System.getProperty(RATES, "").split(",")).filter(s -> !s.isBlank()).map(s -> Integer.parseInt(s.trim())).toList(),
                Integer.parseInt(System.getProperty(STEP_SECONDS, "10")));
        HttpProtocolBuilder protocol = http.shareConnections();
        List<PopulationBuilder> steps = new ArrayList<>();
        for (int i = 0; i < plan.ratesPerSecond().size(); i++) {
            int rate = plan.ratesPerSecond().get(i);
            String name = LoadPlan.requestName(i, rate);
            steps.add(scenario(name)
                    .feed(live.feeder())
                    .exec(http(name).get("#{" + LoadTargets.ATTRIBUTE + "}/").check(status().is(200)))
                    .injectOpen(nothingFor(i * plan.stepSeconds()), constantUsersPerSec(rate).during(plan.stepSeconds())));
        }
        setUp(steps).protocols(protocol);
    }
}
