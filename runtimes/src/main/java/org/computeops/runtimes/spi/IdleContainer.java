package org.computeops.runtimes.spi;

import java.util.Set;

/** A container kept running (sleeping) for the footprint and isolation probes; close() removes it. */
public interface IdleContainer extends AutoCloseable {

    /** Host PIDs that exist because of this container: launcher, monitor/shim, and the container's processes. */
    Set<Long> hostPids();

    /** Host PID of the command running inside (the sleep), or -1 if it cannot be found from the host. */
    long payloadPid();

    @Override
    void close();
}
