package org.computeops.orchestrators.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The testbed's power switch for its nodes, a program called as {@code PROGRAM stop|start NODE}:
 * no orchestrator API can kill a node's agent hard, so the site supplies one (ssh to the node and
 * kill its engine or kubelet; the local testbeds' infra/{swarm,kubernetes}/node.sh). A program
 * that hangs is killed after {@code testbed.nodeControl.timeoutSeconds}; of its output only the
 * first {@link #OUTPUT_LIMIT} bytes are kept (the rest is read and dropped, so a chatty program
 * never blocks on a full pipe); a stop that exits 0 but leaves the node up is an error.
 */
public final class NodeControlProgram {

    /** How much of the program's output is kept for an error message. */
    public static final int OUTPUT_LIMIT = 64 * 1024;

    private final Path program;
    private final Duration timeout;
    private final Duration confirmWithin;

    /** @param setting the setting that named the program, for error messages */
    public NodeControlProgram(Path program, String setting) {
        this(program, setting, new AdapterSettings("unused", Map.of()));
    }

    /** @param setting the setting that named the program, for error messages */
    public NodeControlProgram(Path program, String setting, AdapterSettings settings) {
        if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
            throw new AdapterException(setting + " must name an executable program (called as PROGRAM stop|start NODE), was '" + program + "'");
        }
        this.program = program;
        this.timeout = Duration.ofSeconds(settings.getLong("testbed.nodeControl.timeoutSeconds", 120, 1, 3600));
        this.confirmWithin = Duration.ofSeconds(settings.getLong("testbed.nodeControl.confirmSeconds", 60, 1, 3600));
    }

    public void stop(String node) {
        run("stop", node);
    }

    /**
     * Stops the node and waits until {@code down} says the orchestrator no longer sees it up: a
     * program that exits 0 without doing anything would otherwise pass for a node failure.
     */
    public void stop(String node, BooleanSupplier down) {
        run("stop", node);
        Instant deadline = Instant.now().plus(confirmWithin);
        while (!down.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AdapterException("'" + program + " stop " + node + "' exited 0 but the node is still up after "
                        + confirmWithin.toSeconds() + " s (testbed.nodeControl.confirmSeconds): the program must stop the node's agent");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AdapterException("interrupted while waiting for node " + node + " to go down");
            }
        }
    }

    public void start(String node) {
        run("start", node);
    }

    @Override
    public String toString() {
        return program.toString();
    }

    private void run(String action, String node) {
        String command = "'" + program + " " + action + " " + node + "'";
        try {
            Process p = new ProcessBuilder(program.toString(), action, node).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readCapped(p.getInputStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AdapterException(command + " did not finish within " + timeout.toSeconds()
                        + " s (testbed.nodeControl.timeoutSeconds): killed");
            }
            String text;
            try {
                text = output.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                text = "(output not readable: " + e + ")";
            }
            if (p.exitValue() != 0) {
                throw new AdapterException(command + " failed (exit " + p.exitValue() + "): " + oneLine(text));
            }
        } catch (IOException e) {
            throw new AdapterException("cannot run the node control program " + program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdapterException("interrupted while running " + command);
        }
    }

    /** The first OUTPUT_LIMIT bytes; the rest is drained so that the program can finish. */
    private static String readCapped(InputStream in) {
        byte[] kept = new byte[OUTPUT_LIMIT];
        int n = 0;
        long dropped = 0;
        byte[] buf = new byte[8192];
        try (in) {
            int r;
            while ((r = in.read(buf)) >= 0) {
                int take = Math.min(r, OUTPUT_LIMIT - n);
                System.arraycopy(buf, 0, kept, n, take);
                n += take;
                dropped += r - take;
            }
        } catch (IOException ignored) {
            // the process ended or was killed: keep what was read
        }
        String text = new String(kept, 0, n, StandardCharsets.UTF_8);
        return dropped > 0 ? text + " [" + dropped + " more bytes dropped]" : text;
    }

    /** An error message stays one line and short, however much the program printed. */
    static String oneLine(String text) {
        String flat = text.replaceAll("[\\s\\p{Cntrl}]+", " ").trim();
        return flat.length() > 500 ? flat.substring(0, 250) + " ... " + flat.substring(flat.length() - 200) : flat;
    }
}
