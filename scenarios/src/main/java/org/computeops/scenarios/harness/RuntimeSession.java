package org.computeops.scenarios.harness;

import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.SampleFiles;
import org.computeops.results.model.Node;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.runtimes.Runtimes;
import org.computeops.runtimes.adapters.BareHost;
import org.computeops.runtimes.adapters.NotInstallable;
import org.computeops.runtimes.spi.ContainerRuntime;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The host's container runtimes for one test JVM (issue 15), the counterpart of {@link OrchestratorSession}: reads
 * the image forms infra/runtimes/prepare-image.sh wrote, prepares every runtime that can run here once, writes the
 * runtime table ({@code runtimes/runtimes.csv}: each runtime with its version, image form and GPU mechanism, or the
 * reason it is absent) and records each scenario under the name {@value #NAME} in the run's summary.json. Every
 * container and state directory carries the run id and is removed on close (also on JVM exit).
 */
public final class RuntimeSession implements AutoCloseable {

    /** The name the runtime scenarios are recorded under in summary.json (where orchestrators have theirs). */
    public static final String NAME = "runtimes";

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeSession.class);

    /** A runtime made ready: its adapter and its prepared image. */
    public record Ready(ContainerRuntime runtime, PreparedImage image) {
        public String id() {
            return runtime.id();
        }
    }

    private final ScenarioParameters parameters;
    private final RunFolder folder;
    private final RunFiles files;
    private final List<ContainerRuntime> all = new ArrayList<>();
    private final List<Ready> ready = new ArrayList<>();
    private final Map<String, String> absent = new LinkedHashMap<>();
    private final List<String> unexpected = new ArrayList<>();
    private final ImageSet images;
    private final String setupProblem;
    private Ready bare;
    private final Thread shutdownHook = new Thread(this::close, "runtimes-cleanup");
    private volatile boolean closed;

    RuntimeSession(RunContext run) {
        this.parameters = run.parameters();
        this.folder = run.folder();
        this.files = new RunFiles(folder, Instant.now());
        ImageSet loaded = null;
        String problem = null;
        try {
            loaded = ImageSet.load(ImageSet.defaultStateDir());
        } catch (IOException e) {
            problem = e.getMessage();
        }
        this.images = loaded;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        if (images != null) problem = prepare();
        this.setupProblem = problem;
        AllureAttachments.writeEnvironment(folder.allureResults(), results(), folder.runId());
    }

    /** Prepares the runtimes; returns a problem that makes every scenario broken, or null. */
    private String prepare() {
        Set<String> only = Arrays.stream(parameters.string("scenario.runtimes.only", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        boolean required = Boolean.parseBoolean(parameters.string("scenario.runtimes.required", "false"));
        String runId = folder.runId();
        BareHost host = Runtimes.baselines(images, runId).get(0);
        all.add(host);
        try {
            bare = new Ready(host, host.prepare(images));
        } catch (RuntimeException e) {
            return "the bare host (the reference of every runtime) could not be prepared: " + e.getMessage();
        }
        all.addAll(Runtimes.all(images, runId));
        List<List<Object>> rows = new ArrayList<>();
        for (ContainerRuntime rt : all) {
            if (rt instanceof BareHost) continue;
            if (!only.isEmpty() && !only.contains(rt.id()) && !(rt instanceof NotInstallable)) continue;
            Optional<String> why = rt.whyUnavailable();
            double prep = Double.NaN;
            if (why.isEmpty()) {
                try {
                    PreparedImage img = rt.prepare(images);
                    ready.add(new Ready(rt, img));
                    prep = img.prepareSeconds();
                } catch (IOException | RuntimeException e) {
                    why = Optional.of("prepare failed (" + rt.imageForm().name() + "): " + e.getMessage());
                }
            }
            why.ifPresent(w -> {
                absent.put(rt.id(), w);
                // one line with the install hint (the reason carries it); the other runtimes still run
                LOG.warn("{} not available: {}", rt.id(), w);
                if (required && !(rt instanceof NotInstallable)) unexpected.add(rt.id() + ": " + w);
            });
            rows.add(List.of(rt.id(), rt.displayName(), why.isPresent() ? "" : rt.version(), why.orElse(""), rt.imageForm().name(),
                    rt.imageForm().dockerImageUnchanged(), rt.capabilities().toString(), rt.gpuMechanism(),
                    Double.isNaN(prep) ? "" : String.format(java.util.Locale.ROOT, "%.3f", prep)));
        }
        SampleFiles.write(folder, "runtimes.csv", List.of("runtime", "name", "version", "unavailable", "image_form",
                "docker_image_unchanged", "capabilities", "gpu", "prepare_s"), rows);
        LOG.info("run {}: {} container runtimes ready, {} absent; results in {}", runId, ready.size(), absent.size(), folder.dir());
        return null;
    }

    public ScenarioParameters parameters() {
        return parameters;
    }

    public RunFolder folder() {
        return folder;
    }

    /** The runtimes ready to run, in the catalogue's order (the bare host not among them). */
    public List<Ready> ready() {
        return List.copyOf(ready);
    }

    /** The bare host, run through the same code path: the reference of interop and compute, and the harness's cost. */
    public Ready bare() {
        return bare;
    }

    /** The bare host first, then the ready runtimes: what every probe measured against the host runs over. */
    public List<Ready> bareAndReady() {
        List<Ready> all = new ArrayList<>();
        all.add(bare);
        all.addAll(ready);
        return List.copyOf(all);
    }

    public ImageSet images() {
        return images;
    }

    /** Installed runtimes that could not run although infra/testbed asked for all of them (scenario.runtimes.required). */
    List<String> unexpectedlyAbsent() {
        return List.copyOf(unexpected);
    }

    String setupProblem() {
        return setupProblem;
    }

    RunFiles files() {
        return files;
    }

    /** How the runtimes appear in summary.json: one "testbed" named {@value #NAME}, the host as its only node. */
    OrchestratorResults results() {
        String host = hostName();
        String version = images == null ? "not prepared" : ready.size() + " runtimes ready, " + absent.size() + " absent; image "
                + images.imageRef();
        return new OrchestratorResults(NAME, version, "local host " + host, 1,
                List.of(new Node(host, host, false, true, Runtimes.cpus() * 1000L, 0, 0, Map.of())), List.of());
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "host";
        }
    }

    /** Runs one runtime scenario: its body, then figures, verdict, summary.json, Allure (see {@link RuntimeScenario}). */
    public void execute(String scenario, RuntimeScenario.Body body) {
        new RuntimeScenario(this, scenario).execute(body);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (ContainerRuntime rt : all) {
            try {
                rt.close();
            } catch (RuntimeException e) {
                LOG.warn("cleanup of {} failed: {}", rt.id(), e.getMessage());
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook
        }
    }
}
