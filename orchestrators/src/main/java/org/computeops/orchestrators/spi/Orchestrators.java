package org.computeops.orchestrators.spi;

import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.Map;

/** Finds adapters by name. */
public final class Orchestrators {

    private Orchestrators() {
    }

    public static Map<String, OrchestratorProvider> providers() {
        Map<String, OrchestratorProvider> byName = new TreeMap<>();
        ServiceLoader.load(OrchestratorProvider.class).forEach(p -> byName.put(p.name(), p));
        return byName;
    }

    public static Orchestrator open(String name, AdapterSettings settings) {
        Map<String, OrchestratorProvider> providers = providers();
        if (name == null || name.isBlank()) {
            throw new AdapterException("no orchestrator chosen: run with one of the Maven profiles "
                    + providers.keySet().stream().map(n -> "-P" + n).toList()
                    + " (or -Dtestbed.orchestrator=NAME)");
        }
        OrchestratorProvider provider = providers.get(name);
        if (provider == null) {
            throw new AdapterException("unknown orchestrator '" + name + "'; known: " + providers.keySet());
        }
        return provider.open(settings);
    }
}
