package org.computeops.runtimes.adapters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.computeops.runtimes.ProcessRunner;
import org.computeops.runtimes.spi.Capability;
import org.computeops.runtimes.spi.ImageForm;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;

/**
 * runc or crun directly on the OCI bundle from umoci, as root. Each run gets its own small bundle directory whose
 * config.json is umoci's with the command, terminal=false and root.path pointing read-only at the shared rootfs
 * (writing it is part of the measured run call, as for any user of a low-level runtime).
 * crun 1.8.1 refuses this host's hybrid cgroups, so it runs through the install.sh wrapper that hides the
 * cgroup2 mount in a private mount namespace (the wrapper's cost, a few ms, is inside crun's figure).
 */
public final class OciBundle extends CliRuntime {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private ObjectNode template;

    public OciBundle(ImageSet images, String runId, String name) { this(images, runId, name, false); }

    /**
     * @param rootless run from the non-root account with the runtime's own rootless template (`runc spec --rootless`,
     *                 `crun spec --rootless` inside the wrapper's user namespace) instead of umoci's config
     */
    public OciBundle(ImageSet images, String runId, String name, boolean rootless) {
        super(images, runId, rootless);
        this.name = name;
    }

    private boolean crun() { return "crun".equals(name); }

    private List<String> cli() {
        return List.of(crun() ? images.crunWrapper().toString() : "/usr/sbin/runc", "--root", stateRoot().toString());
    }

    // rootless state must be writable by the account: /tmp instead of /run
    private Path stateRoot() { return Path.of(rootless ? "/tmp" : "/run", "ctb-" + id() + "-" + runId); }

    private Path bundlesDir() { return Path.of(rootless ? "/tmp" : "/run", "ctb-" + id() + "-" + runId + "-bundles"); }

    @Override public String id() { return rootless ? name + "-rootless" : name; }

    @Override public String displayName() {
        String who = rootless ? "rootless, " + images.user() : "root";
        return crun() ? "crun on OCI bundle (" + who + ", cgroup2-hiding wrapper)" : "runc on OCI bundle (" + who + ")";
    }

    @Override public Set<Capability> capabilities() {
        if (!rootless) return EnumSet.of(Capability.NEEDS_ROOT, Capability.CGROUPS);
        // crun calls newuidmap/newgidmap (setuid) first and falls back to a single-id map when they fail
        return crun() ? EnumSet.of(Capability.ROOTLESS, Capability.USER_NAMESPACE_ONLY, Capability.SETUID_HELPER)
                : EnumSet.of(Capability.ROOTLESS, Capability.USER_NAMESPACE_ONLY);
    }

    @Override public String gpuMechanism() {
        return "none of its own: runs the OCI hooks and device entries in config.json (NVIDIA"
                + " nvidia-container-runtime-hook or CDI edits written by a higher-level tool) - not measured here (no GPU)";
    }

    @Override public ImageForm imageForm() { return ImageForm.OCI_BUNDLE; }

    @Override protected List<String> versionArgv() {
        return List.of(crun() ? "/usr/bin/crun" : "/usr/sbin/runc", "--version");
    }

    @Override protected Map<Path, String> requiredFiles() {
        Map<Path, String> m = new LinkedHashMap<>();
        m.put(Path.of(crun() ? "/usr/bin/crun" : "/usr/sbin/runc"), "apt-get install " + name + " (infra/runtimes/install.sh)");
        if (crun()) m.put(images.crunWrapper(), "run infra/runtimes/install.sh (hybrid-cgroups wrapper)");
        m.put(images.bundle().resolve("config.json"), "run infra/runtimes/prepare-image.sh");
        return m;
    }

    @Override public PreparedImage prepare(ImageSet images) throws IOException {
        long t0 = System.nanoTime();
        ObjectNode umoci = (ObjectNode) JSON.readTree(images.bundle().resolve("config.json").toFile());
        template = rootless ? rootlessTemplate(umoci) : umoci;
        // A read-only root needs its mount points to exist; runc would create them in a writable rootfs itself.
        for (JsonNode m : template.withArray("mounts")) {
            Path p = images.rootfs().resolve(m.get("destination").asText().substring(1));
            if (!Files.exists(p) && !"bind".equals(m.path("type").asText())) Files.createDirectories(p);
        }
        Files.createDirectories(stateRoot());
        Files.createDirectories(bundlesDir());
        if (rootless) {
            var owner = stateRoot().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(images.user());
            Files.setOwner(stateRoot(), owner);
            Files.setOwner(bundlesDir(), owner);
        }
        return new PreparedImage(ImageForm.OCI_BUNDLE, images.bundle().toString(), images.rootfs(), secondsSince(t0));
    }

    /** The runtime's own rootless spec, generated as the account, with the image's environment and cwd. */
    private ObjectNode rootlessTemplate(ObjectNode umoci) throws IOException {
        Path tmp = Files.createTempDirectory("ctb-spec-");
        try {
            Files.setOwner(tmp, tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(images.user()));
            List<String> spec = new ArrayList<>(List.of(crun() ? images.crunWrapper().toString() : "/usr/sbin/runc",
                    "spec", "--rootless", crun() ? "-b" : "--bundle", tmp.toString()));
            ProcessRunner.check(asUser(spec), env(), HELPER_TIMEOUT);
            ObjectNode t = (ObjectNode) JSON.readTree(tmp.resolve("config.json").toFile());
            ObjectNode process = (ObjectNode) t.get("process");
            process.set("env", umoci.get("process").get("env"));
            process.set("cwd", umoci.get("process").get("cwd"));
            return t;
        } finally {
            deleteTree(tmp);
        }
    }

    @Override protected List<String> runArgv(PreparedImage image, String cname, List<String> command) throws IOException {
        if (template == null) throw new IllegalStateException("prepare() first");
        ObjectNode cfg = template.deepCopy();
        ObjectNode process = (ObjectNode) cfg.get("process");
        process.put("terminal", false);
        ArrayNode args = process.putArray("args");
        command.forEach(args::add);
        ObjectNode root = cfg.putObject("root");
        root.put("path", images.rootfs().toString());
        root.put("readonly", true);
        Path dir = bundlesDir().resolve(cname);
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("config.json").toFile(), cfg);
        List<String> a = new ArrayList<>(cli());
        a.addAll(List.of("run", "-b", dir.toString(), cname));
        return a;
    }

    @Override protected void afterRun(String cname) {
        try {
            Files.deleteIfExists(bundlesDir().resolve(cname).resolve("config.json"));
            Files.deleteIfExists(bundlesDir().resolve(cname));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override protected void removeContainer(String cname) {
        List<String> kill = new ArrayList<>(cli());
        kill.addAll(List.of("kill", cname, "KILL"));
        ProcessRunner.quiet(asUser(kill), env(), HELPER_TIMEOUT);
        List<String> del = new ArrayList<>(cli());
        del.addAll(List.of("delete", "--force", cname));
        ProcessRunner.quiet(asUser(del), env(), HELPER_TIMEOUT);
    }

    @Override public void close() {
        if (!Files.isDirectory(stateRoot())) return;
        List<String> list = new ArrayList<>(cli());
        list.addAll(List.of("list", "-q"));
        for (String c : ProcessRunner.quiet(asUser(list), env(), HELPER_TIMEOUT).out().split("\\s+")) {
            if (!c.isBlank()) removeContainer(c);
        }
        deleteTree(bundlesDir());
        deleteTree(stateRoot());
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
