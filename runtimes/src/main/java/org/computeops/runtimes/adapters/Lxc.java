package org.computeops.runtimes.adapters;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.computeops.runtimes.ProcessRunner;
import org.computeops.runtimes.spi.Capability;
import org.computeops.runtimes.spi.ImageForm;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;

/**
 * LXC as an application-container runtime: `lxc-execute` (lxc-init as PID 1) on the unpacked rootfs, root, no
 * network devices (lxc.net.0.type=empty), own LXC path under /run so no system container is touched.
 */
public final class Lxc extends CliRuntime {

    static final Path CLI = Path.of("/usr/bin/lxc-execute");

    public Lxc(ImageSet images, String runId) { super(images, runId, false); }

    private Path lxcPath() { return Path.of("/run/ctb-lxc-" + runId); }

    private Path conf() { return lxcPath().resolve("ctb.conf"); }

    @Override public String id() { return "lxc"; }

    @Override public String displayName() { return "LXC lxc-execute on rootfs dir (root)"; }

    @Override public Set<Capability> capabilities() { return EnumSet.of(Capability.NEEDS_ROOT, Capability.CGROUPS); }

    @Override public String gpuMechanism() {
        return "lxc.hook.mount = /usr/share/lxc/hooks/nvidia (libnvidia-container) or lxc.mount.entry binds of /dev/nvidia*"
                + " - not measured here (no GPU)";
    }

    @Override public ImageForm imageForm() { return ImageForm.ROOTFS_DIR; }

    @Override protected List<String> versionArgv() { return List.of("/usr/bin/lxc-execute", "--version"); }

    @Override public String version() { return "LXC " + super.version(); }

    @Override protected Map<Path, String> requiredFiles() {
        return Map.of(CLI, "apt-get install --no-install-recommends lxc (infra/runtimes/install.sh)");
    }

    @Override public PreparedImage prepare(ImageSet images) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(lxcPath());
        Files.writeString(conf(), String.join("\n",
                "lxc.rootfs.path = dir:" + images.rootfs(),
                "lxc.mount.auto = proc:mixed sys:ro",
                "lxc.autodev = 1",
                "lxc.net.0.type = empty",
                "lxc.apparmor.profile = unconfined",
                "lxc.uts.name = ctb", ""));
        return new PreparedImage(ImageForm.ROOTFS_DIR, images.rootfs().toString(), images.rootfs(), secondsSince(t0));
    }

    @Override protected List<String> runArgv(PreparedImage image, String name, List<String> command) {
        List<String> a = new ArrayList<>(List.of(CLI.toString(), "-P", lxcPath().toString(), "-n", name,
                "-f", conf().toString(), "--"));
        a.addAll(command);
        return a;
    }

    @Override protected void removeContainer(String name) {
        ProcessRunner.quiet(List.of("/usr/bin/lxc-stop", "-P", lxcPath().toString(), "-n", name, "-k"), null, HELPER_TIMEOUT);
    }

    @Override public void close() {
        OciBundle.deleteTree(lxcPath());
        // lxc-execute leaves empty per-container cgroups (lxc.payload.NAME, lxc.monitor.NAME) in each v1 hierarchy
        try (DirectoryStream<Path> hier = Files.newDirectoryStream(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hier) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(h, "lxc.*.ctb-" + runId + "-*")) {
                    for (Path d : ds) Files.deleteIfExists(d);
                } catch (IOException e) {
                    // not a hierarchy, or a cgroup still busy: leave it (reported by lxc-ls, removed on reboot)
                }
            }
        } catch (IOException e) {
            // no cgroup tree readable: nothing to clean
        }
    }
}
