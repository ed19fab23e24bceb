package org.computeops.runtimes.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One container runtime as the testbed drives it: through its command-line tool, as a user of the runtime would
 * (each adapter says which binary and flags). Adapters never hide a failure: a runtime that cannot run here says why
 * in {@link #whyUnavailable()} and then must not be asked for figures.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Short stable id, e.g. "runc", "podman-crun", "charliecloud-squashfs-zstd". */
    String id();

    /** Name shown in tables, with the mode (root / rootless, engine). */
    String displayName();

    /** Empty when the runtime can run here; otherwise the reason and, where it applies, the install hint. */
    Optional<String> whyUnavailable();

    /** Version string reported by the runtime itself ("" when unavailable). */
    String version();

    Set<Capability> capabilities();

    /**
     * How this runtime gives a container a GPU, as text. Never measured here: this host has no GPU, so the text
     * always says "not measured here".
     */
    String gpuMechanism();

    /** The image form this runtime runs. */
    ImageForm imageForm();

    /** Makes the image ready for this runtime (idempotent). */
    PreparedImage prepare(ImageSet images) throws IOException;

    /**
     * Runs {@code command} in a new container from {@code image}, waiting at most {@code timeout}; the clock starts
     * when this method is entered. The container is removed afterwards.
     */
    RunResult run(PreparedImage image, List<String> command, Duration timeout) throws IOException;

    /** Starts a container running {@code sleep 3600} and returns once it is up. */
    IdleContainer startIdle(PreparedImage image, String name) throws IOException;

    /** Host PIDs of daemons this runtime needs beside its containers (dockerd, containerd); empty if none. */
    default Set<Long> daemonPids() { return Set.of(); }

    /** The path of a file of the image as seen by the command (differs only for the bare host). */
    default String pathInImage(PreparedImage image, String path) { return path; }

    /** Removes every container and state directory this adapter created. */
    @Override
    void close();
}
