package org.computeops.runtimes.adapters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.computeops.runtimes.ProcessRunner;
import org.computeops.runtimes.spi.Capability;
import org.computeops.runtimes.spi.ImageForm;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;
import org.computeops.runtimes.spi.RunResult;

/**
 * udocker (PyPI) from the non-root account (it refuses root). It loads the `docker save` archive unchanged, creates
 * one container per run of this program and runs every command in that same container (its normal use: create is
 * the expensive step). Engines point at Debian binaries and its own engine download is disabled
 * (UDOCKER_TARBALL empty): P1 = proot (ptrace), R1 = runc rootless.
 */
public final class Udocker extends CliRuntime {

    private final String mode;

    public Udocker(ImageSet images, String runId, String mode) {
        super(images, runId, true);
        this.mode = mode;
    }

    @Override public String id() { return "udocker-" + mode.toLowerCase(); }

    @Override public String displayName() {
        return "udocker " + mode + ("P1".equals(mode) ? " (proot)" : " (runc)") + " (rootless, " + images.user() + ")";
    }

    @Override public Set<Capability> capabilities() {
        return "P1".equals(mode) ? EnumSet.of(Capability.ROOTLESS, Capability.PTRACE)
                : EnumSet.of(Capability.ROOTLESS, Capability.USER_NAMESPACE_ONLY);
    }

    @Override public String gpuMechanism() {
        return "`udocker setup --nvidia` copies the host's NVIDIA libraries into the container - not measured here (no GPU)";
    }

    @Override public ImageForm imageForm() { return ImageForm.DOCKER_ARCHIVE; }

    private Path home() { return images.stateDir().resolve("udocker"); }

    @Override protected Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(super.env());
        env.put("UDOCKER_DIR", home().resolve("home").toString());
        env.put("UDOCKER_TARBALL", "");
        env.put("UDOCKER_USE_PROOT_EXECUTABLE", "/usr/bin/proot");
        env.put("UDOCKER_USE_RUNC_EXECUTABLE", "/usr/sbin/runc");
        return env;
    }

    private List<String> cli(String... args) {
        List<String> a = new ArrayList<>(List.of(images.udocker().toString(), "-q"));
        a.addAll(List.of(args));
        return a;
    }

    @Override protected List<String> versionArgv() { return List.of(images.udocker().toString(), "--version"); }

    @Override public String version() {
        RunResult r = ProcessRunner.quiet(asUser(versionArgv()), env(), HELPER_TIMEOUT);
        return r.out().lines().filter(l -> l.startsWith("version")).findFirst().map(l -> "udocker " + l.replace("version:", "").strip())
                .orElse(super.version());
    }

    @Override protected Map<Path, String> requiredFiles() {
        Map<Path, String> m = new LinkedHashMap<>();
        m.put(images.udocker(), "run infra/runtimes/install.sh (udocker from PyPI in a venv)");
        m.put(Path.of("P1".equals(mode) ? "/usr/bin/proot" : "/usr/sbin/runc"), "apt-get install proot runc");
        return m;
    }

    private String container() { return "ctb-" + runId + "-" + id(); }

    @Override public PreparedImage prepare(ImageSet images) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(home());
        UserPrincipal owner = home().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(images.user());
        Files.setOwner(home(), owner);
        RunResult have = ProcessRunner.quiet(asUser(cli("images")), env(), HELPER_TIMEOUT);
        // udocker lists tags, not ids: a marker names the image id last loaded (prepare-image.sh may have rebuilt it)
        Path loaded = home().resolve(".computeops-image-id");
        String id = Files.exists(loaded) ? Files.readString(loaded).strip() : "";
        if (!have.out().contains(images.imageRef()) || !id.equals(images.imageId())) {
            if (have.out().contains(images.imageRef())) ProcessRunner.quiet(asUser(cli("rmi", images.imageRef())), env(), HELPER_TIMEOUT);
            ProcessRunner.check(asUser(cli("load", "-i", images.dockerArchive().toString())), env(), HELPER_TIMEOUT);
            Files.writeString(loaded, images.imageId() + "\n");
        }
        ProcessRunner.check(asUser(cli("create", "--name=" + container(), images.imageRef())), env(), HELPER_TIMEOUT);
        ProcessRunner.check(asUser(cli("setup", "--execmode=" + mode, container())), env(), HELPER_TIMEOUT);
        return new PreparedImage(ImageForm.DOCKER_ARCHIVE, container(), null, secondsSince(t0));
    }

    @Override protected List<String> runArgv(PreparedImage image, String name, List<String> command) {
        List<String> a = cli("run", image.reference());
        a.addAll(command);
        return a;
    }

    @Override public void close() {
        ProcessRunner.quiet(asUser(cli("rm", container())), env(), HELPER_TIMEOUT);
    }
}
