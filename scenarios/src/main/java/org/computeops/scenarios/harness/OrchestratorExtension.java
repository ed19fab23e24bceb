package org.computeops.scenarios.harness;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a scenario method its {@link OrchestratorSession}. One session per test JVM, shared by all
 * scenario classes and closed (everything removed) when the JVM's tests are done.
 */
public final class OrchestratorExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OrchestratorExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == OrchestratorSession.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent(Resource.class, k -> new Resource(new OrchestratorSession(RunContext.get())), Resource.class)
                .session;
    }

    private record Resource(OrchestratorSession session) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            session.close();
        }
    }
}
