package org.computeops.runtimes.adapters;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.computeops.runtimes.spi.Capability;
import org.computeops.runtimes.spi.ContainerRuntime;
import org.computeops.runtimes.spi.IdleContainer;
import org.computeops.runtimes.spi.ImageForm;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;
import org.computeops.runtimes.spi.RunResult;

/** A runtime that cannot be installed on this host: a row with the reason, never a figure. */
public record NotInstallable(String id, String displayName, String reason, String gpuMechanism, ImageForm imageForm)
        implements ContainerRuntime {

    @Override public Optional<String> whyUnavailable() { return Optional.of(reason); }

    @Override public String version() { return ""; }

    @Override public Set<Capability> capabilities() { return EnumSet.noneOf(Capability.class); }

    @Override public PreparedImage prepare(ImageSet images) { throw unavailable(); }

    @Override public RunResult run(PreparedImage image, List<String> command, Duration timeout) { throw unavailable(); }

    @Override public IdleContainer startIdle(PreparedImage image, String name) { throw unavailable(); }

    @Override public void close() {}

    private IllegalStateException unavailable() { return new IllegalStateException(displayName + ": " + reason); }
}
