package org.computeops.submit;

import org.computeops.orchestrators.spi.LocalTestbedSettings;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Orchestrators;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code infra/testbed submit --on ORCHESTRATOR job.yaml}: one job file, run on any orchestrator through the adapter SPI. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        version = "computeops submit 0.1.0",
        description = {"Runs the batch job described in FILE (YAML; JSON when it ends in .json) on one",
                "orchestrator, follows its tasks, prints each task's node and phase times, then removes",
                "what it created. Fields: name, image, command (a list), tasks (default 1), parallelism",
                "(default: tasks), cpus (cores per task, e.g. 0.5), memory (MiB per task), gpus (per task).",
                "Settings: the local testbed's STATE_DIR/ORCHESTRATOR/testbed.properties, as for",
                "mvn verify -P<orchestrator>; -D/--setting override them key by key.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every task succeeded", "1:a task failed or was lost (also when a retry of it later succeeded)",
                "2:bad job file or options (nothing was submitted)", "3:--timeout passed before every task ended",
                "4:the orchestrator could not be reached or refused the job", "130:interrupted (Ctrl-C); what was created is removed"})
public final class SubmitCli implements Callable<Integer> {

    static final List<String> ORCHESTRATORS = List.of("slurm", "kubernetes", "swarm", "mesos");
    static final int OK = 0, TASK_FAILED = 1, BAD_INPUT = 2, TIMED_OUT = 3, ORCHESTRATOR_ERROR = 4, INTERRUPTED = 130;
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Option(names = "--on", required = true, paramLabel = "ORCHESTRATOR", description = "slurm, kubernetes, swarm or mesos")
    String orchestrator;

    @Parameters(index = "0", paramLabel = "FILE", description = "the job file")
    String file;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "give up (and remove the job) after this long: 90s, 10m, 1h (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "-D", paramLabel = "testbed.KEY=VALUE", mapFallbackValue = "",
            description = "an adapter setting, overriding the local testbed's (as for mvn verify -P<orchestrator>)")
    Map<String, String> dashD = new LinkedHashMap<>();

    @Option(names = "--setting", paramLabel = "testbed.KEY=VALUE", description = "the same as -D")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--verbose", description = "show the adapters' informational log lines (stderr)")
    boolean verbose;

    private final BiFunction<String, AdapterSettings, Orchestrator> opener;
    private final Map<String, String> env;
    private final Path stateDir;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final Duration poll;
    private final Duration plainEvery;
    private final AtomicBoolean cleaned = new AtomicBoolean();
    /** Held while opening and submitting, so that Ctrl-C in the middle waits for the call and then removes what it made. */
    private final ReentrantLock busy = new ReentrantLock();
    private volatile Orchestrator opened;
    private volatile AutoCloseable following;

    SubmitCli(BiFunction<String, AdapterSettings, Orchestrator> opener, Map<String, String> env, Path stateDir, PrintStream out,
              PrintStream err, boolean terminal, Duration poll, Duration plainEvery) {
        this.opener = opener;
        this.env = env;
        this.stateDir = stateDir;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.poll = poll;
        this.plainEvery = plainEvery;
    }

    public static void main(String[] args) {
        // the adapters log through slf4j-simple: warnings only, on stderr, unless --verbose
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", List.of(args).contains("--verbose") ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        Map<String, String> env = System.getenv();
        Path stateDir = LocalTestbedSettings.stateDir(env);
        SubmitCli cli = new SubmitCli(Orchestrators::open, env, stateDir, System.out, System.err, System.console() != null,
                Duration.ofMillis(250), Duration.ofSeconds(5));
        System.exit(commandLine(cli).execute(args));
    }

    static CommandLine commandLine(SubmitCli cli) {
        CommandLine cmd = new CommandLine(cli);
        // a usage mistake is one line, like a bad job file, not a page of help
        cmd.setParameterExceptionHandler((ex, args) -> {
            cli.err.println("submit: " + ex.getMessage() + " (see --help)");
            return BAD_INPUT;
        });
        cmd.setExecutionExceptionHandler((ex, command, parsed) -> {
            if (ex instanceof BadInputException) {
                cli.err.println("submit: " + ex.getMessage());
                return BAD_INPUT;
            }
            cli.err.println("submit: " + ex);
            return ORCHESTRATOR_ERROR;
        });
        cmd.setOut(new java.io.PrintWriter(cli.out, true));
        cmd.setErr(new java.io.PrintWriter(cli.err, true));
        return cmd;
    }

    @Override
    public Integer call() {
        // Everything the user gave is checked before any orchestrator is opened.
        if (!ORCHESTRATORS.contains(orchestrator)) {
            throw new BadInputException("--on must be one of " + String.join(", ", ORCHESTRATORS) + "; was '" + orchestrator + "'");
        }
        if (timeout.isZero() || timeout.isNegative()) throw new BadInputException("--timeout must be longer than 0");
        BatchJob job = JobFileReader.read(Path.of(file), file);
        Map<String, String> explicit = new LinkedHashMap<>(dashD);
        explicit.putAll(settings);
        TestbedSettings chosen = TestbedSettings.resolve(orchestrator, explicit, env, stateDir);
        String runId = newRunId(Instant.now());
        out.println("job " + job.name() + ": " + describe(job));

        Thread hook = new Thread(() -> cleanUp("interrupted: removing what run " + runId + " created"), "submit-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(job, chosen, runId);
        } finally {
            cleanUp(null);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run; cleanUp is idempotent
            }
        }
    }

    private int run(BatchJob job, TestbedSettings chosen, String runId) {
        Orchestrator o;
        ClusterInfo cluster;
        busy.lock();
        try {
            if (cleaned.get()) return INTERRUPTED;
            o = opener.apply(orchestrator, new AdapterSettings(runId, chosen.values()));
            opened = o;
            cluster = o.describe();
        } catch (RuntimeException e) {
            err.println("submit: cannot talk to " + orchestrator + ": " + oneLine(e) + " (settings from " + chosen.source() + ")");
            return ORCHESTRATOR_ERROR;
        } finally {
            busy.unlock();
        }
        long ready = cluster.readyNodes();
        out.println(orchestrator + " at " + cluster.endpoint() + ": " + cluster.version() + ", " + ready + "/" + cluster.nodes().size()
                + " nodes ready, " + cluster.totalGpus() + " GPU(s); settings from " + chosen.source() + "; run " + runId);
        Deployment d;
        TaskBoard board;
        busy.lock();
        try {
            if (cleaned.get()) return INTERRUPTED;
            o.validate(job);
            board = new TaskBoard(job.completions(), Instant.now());
            d = o.submit(job);
            following = o.events(d, board);
        } catch (RuntimeException e) {
            err.println("submit: " + orchestrator + " did not take job " + job.name() + ": " + oneLine(e));
            return ORCHESTRATOR_ERROR;
        } finally {
            busy.unlock();
        }
        Instant start = d.submitStartedAt();
        out.println("submitted as " + d.id() + " (" + job.completions() + " task(s)); following until every task ends or "
                + human(timeout) + " pass");
        boolean timedOut = follow(board, start);
        if (terminal) out.println();
        board.table(start, cluster.nodes().stream().collect(java.util.stream.Collectors.toMap(NodeInfo::id, NodeInfo::name, (a, b) -> a)))
                .forEach(out::println);
        out.println("times in seconds since the submit call, on this client's clock; '-' = phase not observed");
        int failed = board.failed();
        String outcome = board.succeeded() + "/" + job.completions() + " succeeded, " + failed + " failed";
        if (failed > 0) {
            out.println("job " + job.name() + " FAILED: " + outcome + (timedOut ? "; and the timeout passed" : ""));
            return TASK_FAILED;
        }
        if (timedOut) {
            out.println("job " + job.name() + " TIMED OUT after " + human(timeout) + ": " + outcome);
            return TIMED_OUT;
        }
        out.println("job " + job.name() + " done: " + outcome + " in " + TaskBoard.since(start, Instant.now()));
        return OK;
    }

    /** Shows progress until the job ends; true when the timeout passed first. */
    private boolean follow(TaskBoard board, Instant start) {
        Instant deadline = start.plus(timeout);
        String shown = null;
        Instant lastPrinted = Instant.MIN;
        while (true) {
            Instant now = Instant.now();
            boolean ended = board.ended(now);
            boolean late = !ended && !now.isBefore(deadline);
            String line = board.progress() + "  [" + Duration.between(start, now).toSeconds() + " s]";
            if (terminal) {
                // one line, rewritten in place: carriage return, the line, erase the rest of it
                if (!line.equals(shown) || ended || late) out.print("\r" + line + "\033[K");
                out.flush();
            } else if (ended || late || !now.isBefore(lastPrinted.plus(plainEvery))) {
                out.println(line);
                lastPrinted = now;
            }
            shown = line;
            if (ended) return false;
            if (late) return true;
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
    }

    /** Stops following and removes everything the run created; once, from the end of call() or the shutdown hook. */
    private void cleanUp(String announce) {
        boolean locked = false;
        try {
            // an open or submit call in flight finishes first, so that what it creates is removed too
            locked = busy.tryLock(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            removeAll(announce);
        } finally {
            if (locked) busy.unlock();
        }
    }

    private void removeAll(String announce) {
        if (!cleaned.compareAndSet(false, true)) return;
        Orchestrator o = opened;
        if (o == null) {
            if (announce != null) err.println("\nsubmit: interrupted before anything was submitted");
            return;
        }
        if (announce != null) err.println("\nsubmit: " + announce);
        AutoCloseable f = following;
        if (f != null) {
            try {
                f.close();
            } catch (Exception e) {
                err.println("submit: stopping the task events failed: " + oneLine(e));
            }
        }
        try {
            o.close();
            out.println("removed what run " + o.runId() + " created on " + orchestrator);
        } catch (RuntimeException e) {
            err.println("submit: could not remove everything run " + o.runId() + " created on " + orchestrator + ": " + oneLine(e));
        }
    }

    /** The length of every run id of {@link #newRunId}. */
    static final int RUN_ID_LENGTH = "submit-yyyyMMdd-HHmmss-xxxx".length();

    /** submit-yyyyMMdd-HHmmss-xxxx: the time for people, four random characters so that two submits in one second differ. */
    static String newRunId(Instant now) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder("submit-").append(RUN_TIME.format(now)).append('-');
        for (int i = 0; i < 4; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return b.toString();
    }

    static String describe(BatchJob job) {
        var r = job.resources();
        return job.completions() + " task(s) of " + job.image() + " " + job.command() + ", at most " + job.parallelism()
                + " at once; each " + (r.cpuMillis() == 0 ? "no CPU reservation" : r.cpuMillis() + "m CPU") + ", "
                + (r.memoryMiB() == 0 ? "no memory reservation" : r.memoryMiB() + " MiB") + ", " + r.gpus() + " GPU(s)";
    }

    private static String human(Duration d) {
        if (d.toMillis() < 1000) return d.toMillis() + " ms";
        return d.toSeconds() % 60 == 0 && d.toSeconds() >= 60 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        if (!(e instanceof AdapterException) && !(e instanceof IllegalArgumentException)) m = e.getClass().getSimpleName() + ": " + m;
        return m.replaceAll("\\s+", " ").trim();
    }

    /** 90s, 10m, 1h, 500ms, or plain seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use 90s, 10m, 1h or 500ms");
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }
}
