package org.computeops.runtimes;

import java.util.ArrayList;
import java.util.List;

import org.computeops.runtimes.adapters.BareHost;
import org.computeops.runtimes.adapters.Charliecloud;
import org.computeops.runtimes.adapters.DockerCli;
import org.computeops.runtimes.adapters.Lxc;
import org.computeops.runtimes.adapters.NotInstallable;
import org.computeops.runtimes.adapters.OciBundle;
import org.computeops.runtimes.adapters.Podman;
import org.computeops.runtimes.adapters.Udocker;
import org.computeops.runtimes.spi.ContainerRuntime;
import org.computeops.runtimes.spi.ImageForm;
import org.computeops.runtimes.spi.ImageSet;

/** The catalogue: every runtime compared, installable or not. */
public final class Runtimes {

    private Runtimes() {}

    public static int cpus() { return Runtime.getRuntime().availableProcessors(); }

    /** The first three fields of /proc/loadavg. */
    public static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** The two bare-host baselines (root, and the non-root account through setpriv). */
    public static List<BareHost> baselines(ImageSet images, String runId) {
        return List.of(new BareHost(images, runId, false), new BareHost(images, runId, true));
    }

    /** All container runtimes, those that run here first. */
    public static List<ContainerRuntime> all(ImageSet images, String runId) {
        List<ContainerRuntime> l = new ArrayList<>();
        l.add(new DockerCli(images, runId));
        l.add(new Podman(images, runId, "crun"));
        l.add(new Podman(images, runId, "runc"));
        l.add(new OciBundle(images, runId, "runc"));
        l.add(new OciBundle(images, runId, "crun"));
        l.add(new OciBundle(images, runId, "runc", true));
        l.add(new OciBundle(images, runId, "crun", true));
        l.add(new Lxc(images, runId));
        l.add(new Charliecloud(images, runId, "dir"));
        l.add(new Charliecloud(images, runId, "squashfs-zstd"));
        l.add(new Charliecloud(images, runId, "squashfs-gzip"));
        l.add(new Udocker(images, runId, "P1"));
        l.add(new Udocker(images, runId, "R1"));
        l.addAll(notInstallable());
        return l;
    }

    /** Rows for runtimes that cannot be installed on Debian 12 here (checked with apt-cache, PyPI, the Go proxy). */
    public static List<ContainerRuntime> notInstallable() {
        return List.of(
                new NotInstallable("apptainer", "Singularity / Apptainer",
                        "no Debian 12 package; the Go module alone cannot build it (needs its C starter and mconfig),"
                                + " no release download reachable",
                        "--nv binds the host's NVIDIA libraries and devices; --nvccli uses nvidia-container-cli",
                        ImageForm.SQUASHFS),
                new NotInstallable("shifter", "Shifter (NERSC)",
                        "no Debian package; needs its image gateway (a service with a registry) to convert images",
                        "site modules inject the host's GPU libraries and devices", ImageForm.SQUASHFS),
                new NotInstallable("sarus", "Sarus (CSCS)",
                        "no Debian package; release tarballs are not reachable from here",
                        "OCI hooks: the NVIDIA Container Toolkit hook", ImageForm.SQUASHFS),
                new NotInstallable("enroot", "enroot (NVIDIA)",
                        "no Debian package; release .deb files are on GitHub, not reachable from here",
                        "its nvidia hook (libnvidia-container)", ImageForm.SQUASHFS),
                new NotInstallable("rkt", "rkt",
                        "project ended in 2020 (CNCF archived); no Debian 12 package",
                        "none maintained", ImageForm.DOCKER_ARCHIVE));
    }
}
