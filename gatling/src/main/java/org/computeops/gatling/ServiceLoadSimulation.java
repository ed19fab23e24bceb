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
 * Gatling reports percentiles and errors step by step. Configured through system properties set
 * by {@link GatlingRunner}.
 */
public class ServiceLoadSimulation extends Simulation {

    static final String TARGET = "computeops.load.target";
    static final String RATES = "computeops.load.rates";
    static final String STEP_SECONDS = "computeops.load.stepSeconds";

    public ServiceLoadSimulation() {
        LoadPlan plan = new LoadPlan(System.getProperty(TARGET),
                Arrays.stream(System.getProperty(RATES, "").split(",")).filter(s -> !s.isBlank()).map(s -> Integer.parseInt(s.trim())).toList(),
                Integer.parseInt(System.getProperty(STEP_SECONDS, "10")));
        HttpProtocolBuilder protocol = http.baseUrl(plan.targetUrl()).shareConnections();
        List<PopulationBuilder> steps = new ArrayList<>();
        for (int i = 0; i < plan.ratesPerSecond().size(); i++) {
            int rate = plan.ratesPerSecond().get(i);
            String name = LoadPlan.requestName(i, rate);
            steps.add(scenario(name)
                    .exec(http(name).get("/").check(status().is(200)))
                    .injectOpen(nothingFor(i * plan.stepSeconds()), constantUsersPerSec(rate).during(plan.stepSeconds())));
        }
        setUp(steps).protocols(protocol);
    }
}
