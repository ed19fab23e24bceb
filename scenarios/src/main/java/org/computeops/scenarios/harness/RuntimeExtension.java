package org.computeops.scenarios.harness;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a container-runtime scenario its {@link RuntimeSession}: one per test JVM (the runtimes are prepared
 * once), shared by all Runtimes* classes and closed, every container removed, when the JVM's tests are done.
 */
public final class RuntimeExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RuntimeExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RuntimeSession.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent(Resource.class, k -> new Resource(new RuntimeSession(RunContext.get())), Resource.class)
                .session;
    }

    private record Resource(RuntimeSession session) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            session.close();
        }
    }
}
