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
 * Charliecloud `ch-run` from the non-root account, on the Charliecloud directory or a SquashFS file (squashfuse
 * linked into ch-run). Only user and mount namespaces: host PIDs and host network stay visible, by design.
 */
public final class Charliecloud extends CliRuntime {

    static final Path CLI = Path.of("/usr/bin/ch-run");
    /** "dir", "squashfs-zstd" or "squashfs-gzip". */
    private final String variant;

    public Charliecloud(ImageSet images, String runId, String variant) {
        super(images, runId, true);
        this.variant = variant;
    }

    private Path image() {
        return switch (variant) {
            case "dir" -> images.chRootfs();
            case "squashfs-zstd" -> images.squashfsZstd();
            case "squashfs-gzip" -> images.squashfsGzip();
            default -> throw new IllegalArgumentException(variant);
        };
    }

    @Override public String id() { return "charliecloud-" + variant; }

    @Override public String displayName() { return "Charliecloud ch-run on " + variant + " (rootless, " + images.user() + ")"; }

    @Override public Set<Capability> capabilities() {
        return "dir".equals(variant) ? EnumSet.of(Capability.ROOTLESS, Capability.USER_NAMESPACE_ONLY)
                : EnumSet.of(Capability.ROOTLESS, Capability.USER_NAMESPACE_ONLY, Capability.SQUASHFS_IMAGE);
    }

    @Override public String gpuMechanism() {
        return "ch-fromhost --nvidia copies the host's NVIDIA libraries into the image (host /dev is visible)"
                + " - not measured here (no GPU)";
    }

    @Override public ImageForm imageForm() { return "dir".equals(variant) ? ImageForm.CHARLIECLOUD_DIR : ImageForm.SQUASHFS; }

    @Override protected List<String> versionArgv() { return List.of(CLI.toString(), "--version"); }

    @Override public String version() { return "Charliecloud " + super.version(); }

    @Override protected Map<Path, String> requiredFiles() {
        Map<Path, String> m = new LinkedHashMap<>();
        m.put(CLI, "apt-get install charliecloud (infra/runtimes/install.sh)");
        m.put(image(), "run infra/runtimes/prepare-image.sh");
        if (!"dir".equals(variant)) m.put(Path.of("/dev/fuse"), "no FUSE device: SquashFS images cannot be mounted");
        return m;
    }

    @Override public PreparedImage prepare(ImageSet images) {
        return new PreparedImage(imageForm(), image().toString(), "dir".equals(variant) ? images.chRootfs() : null, 0);
    }

    @Override protected List<String> runArgv(PreparedImage image, String name, List<String> command) {
        List<String> a = new ArrayList<>(List.of(CLI.toString(), "-c", "/", image.reference(), "--"));
        a.addAll(command);
        return a;
    }

    @Override public void close() {}
}
