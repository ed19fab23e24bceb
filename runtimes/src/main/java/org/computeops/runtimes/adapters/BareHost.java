package org.computeops.runtimes.adapters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.computeops.runtimes.spi.Capability;
import org.computeops.runtimes.spi.ImageForm;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;

/**
 * The baseline: the image's own busybox binary run directly on the host, through the same code path as every
 * runtime. Its `true` time is the harness cost; its kernel time is the denominator of the compute-overhead ratio.
 */
public final class BareHost extends CliRuntime {

    public BareHost(ImageSet images, String runId, boolean asAccount) { super(images, runId, asAccount); }

    @Override public String id() { return rootless ? "host-account" : "host"; }

    @Override public String displayName() {
        return rootless ? "bare host via setpriv to " + images.user() : "bare host (root)";
    }

    @Override public Set<Capability> capabilities() {
        return rootless ? EnumSet.of(Capability.ROOTLESS) : EnumSet.noneOf(Capability.class);
    }

    @Override public String gpuMechanism() { return "host driver directly (not measured here: no GPU)"; }

    @Override public ImageForm imageForm() { return ImageForm.HOST; }

    @Override public PreparedImage prepare(ImageSet images) {
        return new PreparedImage(ImageForm.HOST, images.rootfs().toString(), images.rootfs(), 0);
    }

    private Path busybox() { return images.rootfs().resolve("bin/busybox"); }

    @Override protected List<String> runArgv(PreparedImage image, String name, List<String> command) {
        // busybox as a multi-call binary: `busybox sh -c ...` is the same program the containers run
        List<String> a = new ArrayList<>();
        a.add(busybox().toString());
        a.addAll(command);
        return a;
    }

    @Override protected Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(super.env());
        env.put("PATH", images.rootfs().resolve("bin").toString()); // applets resolve to the image's busybox
        return env;
    }

    @Override public String pathInImage(PreparedImage image, String path) {
        return images.rootfs().toString() + path;
    }

    @Override protected List<String> versionArgv() { return List.of(busybox().toString()); }

    @Override protected Map<Path, String> requiredFiles() {
        return Map.of(busybox(), "run infra/runtimes/prepare-image.sh");
    }

    @Override public void close() {}
}
