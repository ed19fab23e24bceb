package org.computeops.runtimes;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.computeops.runtimes.adapters.BareHost;
import org.computeops.runtimes.measure.Bench;
import org.computeops.runtimes.measure.Probes;
import org.computeops.runtimes.measure.Stats;
import org.computeops.runtimes.spi.ContainerRuntime;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;

/**
 * Runs every measurement on every runtime that can run here and prints the tables; writes all samples to a JSON
 * file. Arguments are key=value: n (warm start-ups, 100), cold (cold start-ups, 5), reps (compute repetitions, 10),
 * iters (kernel passes over the 16 MiB file, 4), k (idle containers, 20), ioReps (3), only (comma-separated ids),
 * sections (interop,isolation,startup,compute,footprint,io,crunwrapper), out (JSON path, target/runtimes-report.json).
 */
public final class RuntimeBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("n", "100", "cold", "5", "reps", "10", "iters", "4",
                "k", "20", "ioReps", "3", "only", "", "sections", "interop,isolation,startup,compute,footprint,io",
                "out", "target/runtimes-report.json"));
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0 || !o.containsKey(a.substring(0, eq))) throw new IllegalArgumentException("unknown argument " + a);
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        Report r = run(ImageSet.load(ImageSet.defaultStateDir()), o, System.out);
        Path out = Path.of(o.get("out"));
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), r);
        System.out.println("samples written to " + out.toAbsolutePath());
    }

    /** Everything measured in one run; what the lead's harness/page will read. */
    public record Report(String runId, Map<String, String> settings, Map<String, String> prepareSteps,
                         List<Row> runtimes, List<Bench.Interop> interop, List<Bench.Isolation> isolation,
                         List<Bench.Startup> startup, List<Bench.Compute> compute, List<Bench.Footprint> footprint,
                         List<Bench.FileRead> fileRead, List<Bench.WrapperCost> crunWrapper, List<String> errors) {}

    /** One runtime row: unavailable ones carry only the reason. */
    public record Row(String id, String name, String version, String unavailable, String imageForm,
                      boolean dockerImageUnchanged, String capabilities, String gpu, double prepareSeconds) {}

    public static Report run(ImageSet images, Map<String, String> o, PrintStream p) {
        String runId = Long.toString(ProcessHandle.current().pid(), 36) + Long.toString(System.currentTimeMillis() % 100000, 36);
        Set<String> only = Arrays.stream(o.get("only").split(",")).filter(s -> !s.isBlank()).collect(Collectors.toSet());
        Set<String> sections = Set.of(o.get("sections").split(","));
        int n = Integer.parseInt(o.get("n"));
        int cold = Integer.parseInt(o.get("cold"));
        List<String> errors = new ArrayList<>();
        // the conditions: this host is shared, a load average above the CPU count inflates every figure
        o.put("cpus", Integer.toString(Runtimes.cpus()));
        o.put("loadavg.start", Runtimes.loadAverage());
        List<BareHost> bases = Runtimes.baselines(images, runId);
        List<ContainerRuntime> all = new ArrayList<>();
        all.addAll(bases);
        all.addAll(Runtimes.all(images, runId));
        // an interrupted bench (SIGTERM, Ctrl-C) still removes its containers and state
        Thread cleanup = new Thread(() -> all.forEach(rt -> {
            try {
                rt.close();
            } catch (RuntimeException e) {
                System.err.println("cleanup " + rt.id() + ": " + e.getMessage());
            }
        }), "runtimes-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Map<ContainerRuntime, PreparedImage> ready = new LinkedHashMap<>();
        Set<ContainerRuntime> measured = new java.util.HashSet<>();
        List<Row> rows = new ArrayList<>();
        Report rep = new Report(runId, o, images.steps(), rows, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), errors);
        try {
            for (ContainerRuntime rt : all) {
                boolean wanted = only.isEmpty() || only.contains(rt.id());
                if (wanted) measured.add(rt);
                wanted |= rt instanceof BareHost; // prepared anyway: the compute ratio's denominator
                Optional<String> why = rt.whyUnavailable();
                double prep = Double.NaN;
                if (why.isEmpty() && wanted) {
                    try {
                        PreparedImage img = rt.prepare(images);
                        ready.put(rt, img);
                        prep = img.prepareSeconds();
                    } catch (IOException | RuntimeException e) {
                        why = Optional.of("prepare failed: " + e.getMessage());
                    }
                }
                if (why.isPresent() || wanted) {
                    rows.add(new Row(rt.id(), rt.displayName(), why.isPresent() ? "" : rt.version(), why.orElse(null),
                            rt.imageForm().name(), rt.imageForm().dockerImageUnchanged(),
                            rt.capabilities().toString(), rt.gpuMechanism(), prep));
                }
            }
            printRows(p, rows);
            ContainerRuntime bare = bases.get(0);
            PreparedImage bareImg = ready.get(bare);
            for (Map.Entry<ContainerRuntime, PreparedImage> e : ready.entrySet()) {
                ContainerRuntime rt = e.getKey();
                PreparedImage img = e.getValue();
                // the bare host's interop output is the reference every other output is compared with
                if (sections.contains("interop") && (measured.contains(rt) || rt == bare)) {
                    section(p, errors, rt, "interop", () -> rep.interop().add(Bench.interop(rt, img, images.blobPath())));
                }
                if (!measured.contains(rt)) continue;
                // each section on its own: one that fails is reported and the others still run
                if (sections.contains("isolation") && !(rt instanceof BareHost)) {
                    section(p, errors, rt, "isolation", () -> rep.isolation().add(Bench.isolation(rt, img)));
                }
                if (sections.contains("startup")) {
                    section(p, errors, rt, "startup", () -> {
                        rep.startup().add(Bench.startup(rt, img, n, false, Probes.TRUE));
                        rep.startup().add(Bench.startup(rt, img, n, false, Probes.ECHO));
                        if (cold > 0) rep.startup().add(Bench.startup(rt, img, cold, true, Probes.TRUE));
                    });
                }
                if (sections.contains("compute") && rt != bare) {
                    section(p, errors, rt, "compute", () -> rep.compute().add(Bench.compute(rt, img, bare, bareImg,
                            images.blobPath(), Integer.parseInt(o.get("iters")), Integer.parseInt(o.get("reps")))));
                }
                if (sections.contains("footprint") && !(rt instanceof BareHost)) {
                    section(p, errors, rt, "footprint",
                            () -> rep.footprint().add(Bench.footprint(rt, img, Integer.parseInt(o.get("k")))));
                }
                if (sections.contains("io")) {
                    section(p, errors, rt, "io", () -> rep.fileRead().add(Bench.fileRead(rt, img, images.blobPath(),
                            images.blobBytes(), Integer.parseInt(o.get("ioReps")))));
                }
                p.println("# done " + rt.id());
            }
            if (sections.contains("startup") || sections.contains("crunwrapper")) {
                try {
                    rep.crunWrapper().add(Bench.crunWrapperCost(images.crunWrapper(), n));
                } catch (IOException | RuntimeException ex) {
                    errors.add("crun wrapper cost: " + ex.getMessage());
                }
            }
            o.put("loadavg.end", Runtimes.loadAverage());
            p.println("conditions: " + o.get("cpus") + " CPUs, load average at start " + o.get("loadavg.start")
                    + ", at end " + o.get("loadavg.end"));
            Tables.print(p, rep);
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            for (ContainerRuntime rt : all) {
                try {
                    rt.close();
                } catch (RuntimeException e) {
                    errors.add("cleanup " + rt.id() + ": " + e.getMessage());
                }
            }
        }
        return rep;
    }

    interface Section { void run() throws IOException; }

    private static void section(PrintStream p, List<String> errors, ContainerRuntime rt, String name, Section s) {
        try {
            s.run();
        } catch (IOException | RuntimeException ex) {
            errors.add(rt.id() + " " + name + ": " + ex.getMessage());
            p.println("ERROR " + rt.id() + " " + name + ": " + ex.getMessage());
        }
    }

    private static void printRows(PrintStream p, List<Row> rows) {
        p.println("== runtimes ==");
        for (Row r : rows) {
            if (r.unavailable() != null) {
                p.printf(Locale.ROOT, "%-26s NOT RUN HERE: %s%n", r.id(), r.unavailable());
            } else {
                p.printf(Locale.ROOT, "%-26s %-40s form=%s%s caps=%s%n", r.id(), r.version(), r.imageForm(),
                        r.dockerImageUnchanged() ? " (Docker image unchanged)" : " (converted)", r.capabilities());
            }
        }
    }

    /** Text tables of a report. */
    public static final class Tables {
        private Tables() {}

        public static void print(PrintStream p, Report r) {
            if (!r.interop().isEmpty()) {
                String ref = r.interop().stream().filter(i -> i.runtime().equals("host")).findFirst()
                        .orElse(r.interop().get(0)).stdout();
                p.println("== interoperability (same command, byte-identical stdout to the bare host?) ==");
                for (Bench.Interop i : r.interop()) {
                    p.printf(Locale.ROOT, "%-26s exit=%d identical=%s form=%s%s%n", i.runtime(), i.exitCode(),
                            i.stdout().equals(ref), i.form(), i.dockerImageUnchanged() ? " (Docker image unchanged)" : "");
                }
                p.println("reference output: " + ref.strip().replace("\n", " | "));
            }
            if (!r.isolation().isEmpty()) {
                p.println("== isolation ==");
                p.printf("%-26s %5s %8s %5s %10s %6s %8s %7s %-16s %s%n", "runtime", "uid", "host-uid", "caps",
                        "host-pids", "procs", "host-net", "userns", "uid_map", "tries");
                for (Bench.Isolation i : r.isolation()) {
                    p.printf(Locale.ROOT, "%-26s %5d %8d %5d %10s %6d %8s %7s %-16s %d%n", i.runtime(), i.uidInside(),
                            i.hostUidOfPayload(), i.capCount(), i.hostPidsVisible(), i.procsVisible(),
                            i.hostNetwork(), i.userNamespace(), i.uidMap(), i.attempts());
                }
            }
            if (!r.startup().isEmpty()) {
                p.println("== start-up, ms from the run call; nearest-rank percentiles; fail = non-zero exit or wrong output ==");
                p.printf("%-26s %5s %-10s %4s %9s %9s %9s %12s %12s %5s%n", "runtime", "mode", "command", "n",
                        "exit p50", "p90", "p99", "1st-out p50", "1st-out p99", "fail");
                for (Bench.Startup s : r.startup()) {
                    boolean echo = s.command().startsWith("echo");
                    p.printf(Locale.ROOT, "%-26s %5s %-10s %4d %9.2f %9.2f %9.2f %12s %12s %5d%n", s.runtime(), s.mode(),
                            s.command(), s.n(), s.p(50), s.p(90), s.p(99),
                            echo ? String.format(Locale.ROOT, "%.2f", s.firstP(50)) : "-",
                            echo ? String.format(Locale.ROOT, "%.2f", s.firstP(99)) : "-", s.failures());
                }
                warm(r, "runc").ifPresent(runc -> warm(r, "crun").ifPresent(crun -> p.printf(Locale.ROOT,
                        "runc/crun warm `true` p50 ratio %.2f; sum of %d sequential runs: runc %.2f s, crun %.2f s"
                                + " (crun README: 100 containers runc 10.95 s, crun 5.70 s = 1.92)%n",
                        runc.p(50) / crun.p(50), runc.n(), sum(runc.exitMs()) / 1000, sum(crun.exitMs()) / 1000)));
                warm(r, "host").ifPresent(h -> p.printf(Locale.ROOT,
                        "harness cost (bare host `true` through the same path, includes busybox itself): p50 %.2f ms, p99 %.2f ms%n", h.p(50), h.p(99)));
            }
            r.crunWrapper().forEach(w -> p.printf(Locale.ROOT,
                    "crun wrapper alone (crun --version through it vs direct, n=%d): p50 %.2f vs %.2f ms, adds %.2f ms%n",
                    w.n(), w.wrappedP50Ms(), w.directP50Ms(), w.addedMs()));
            if (!r.compute().isEmpty()) {
                p.println("== compute overhead: kernel time inside / bare host, median ratio, 95 % CI ==");
                for (Bench.Compute c : r.compute()) {
                    p.printf(Locale.ROOT, "%-26s ratio %.3f [%.3f, %.3f] (median %.3f s vs bare %.3f s, n=%d; %s)%n",
                            c.runtime(), c.ratio(), c.ci().low(), c.ci().high(), Stats.median(c.runtimeSeconds()),
                            Stats.median(c.bareSeconds()), c.runtimeSeconds().length, c.ci().method());
                }
            }
            if (!r.footprint().isEmpty()) {
                p.println("== footprint with K idle containers (KiB) ==");
                for (Bench.Footprint f : r.footprint()) {
                    p.printf(Locale.ROOT, "%-26s K=%d PSS %d (%.2f MiB/container) RSS %d procs %d; daemons RSS %d -> %d (PSS %d)%n",
                            f.runtime(), f.k(), f.containersPssKib(), f.pssPerContainerMib(), f.containersRssKib(),
                            f.processes(), f.daemonsRssBeforeKib(), f.daemonsRssDuringKib(), f.daemonsPssDuringKib());
                }
            }
            if (!r.fileRead().isEmpty()) {
                p.println("== reading the image's fixed file (MiB/s, median) ==");
                for (Bench.FileRead f : r.fileRead()) {
                    p.printf(Locale.ROOT, "%-26s %-20s %d bytes cold %.0f warm %.0f%n", f.runtime(), f.form(), f.bytes(),
                            f.coldMibPerS(), f.warmMibPerS());
                }
            }
            if (!r.errors().isEmpty()) {
                p.println("== errors ==");
                r.errors().forEach(p::println);
            }
        }

        static Optional<Bench.Startup> warm(Report r, String id) {
            return r.startup().stream().filter(s -> s.runtime().equals(id) && s.mode().equals("warm")
                    && s.command().equals("true")).findFirst();
        }

        static double sum(double[] a) { return Arrays.stream(a).sum(); }
    }
}
