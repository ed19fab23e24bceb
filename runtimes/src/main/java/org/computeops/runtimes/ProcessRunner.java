package org.computeops.runtimes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.computeops.runtimes.spi.RunResult;

/**
 * Runs one process and times it: from a start instant the caller took (the run call) to the first byte on stdout or
 * stderr, and to the process's exit. Both streams are drained by their own threads so a chatty process never blocks.
 * The cost of this path is measured by the bare-host row (host `true` through the same code).
 */
public final class ProcessRunner {

    private ProcessRunner() {}

    /** The run call's clock: take it first thing in ContainerRuntime.run. */
    public static long now() { return System.nanoTime(); }

    public static RunResult run(long t0, List<String> argv, Map<String, String> env, Path dir, Duration timeout)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (env != null) pb.environment().putAll(env);
        if (dir != null) pb.directory(dir.toFile());
        Process p = pb.start();
        AtomicLong first = new AtomicLong(-1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = drain(p.getInputStream(), out, first, t0);
        Thread te = drain(p.getErrorStream(), err, first, t0);
        boolean done;
        try {
            done = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(p);
            throw new IOException("interrupted while running " + argv, e);
        }
        long exit = System.nanoTime() - t0;
        if (!done) kill(p);
        try {
            to.join(5000);
            te.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] o;
        byte[] e2;
        synchronized (out) { o = out.toByteArray(); }
        synchronized (err) { e2 = err.toByteArray(); }
        return new RunResult(done ? p.exitValue() : -1, o, e2, first.get(), exit, !done);
    }

    /** Runs a short helper command (not timed) and returns its stdout; fails on a non-zero exit. */
    public static String check(List<String> argv, Map<String, String> env, Duration timeout) throws IOException {
        RunResult r = run(now(), argv, env, null, timeout);
        if (!r.ok()) throw new IOException(String.join(" ", argv) + ": " + r);
        return r.out();
    }

    /** Like check, but returns the result whatever the exit (cleanup paths). */
    public static RunResult quiet(List<String> argv, Map<String, String> env, Duration timeout) {
        try {
            return run(now(), argv, env, null, timeout);
        } catch (IOException e) {
            return new RunResult(-1, new byte[0], e.toString().getBytes(StandardCharsets.UTF_8), -1, 0, false);
        }
    }

    static void kill(Process p) {
        // the tree as it is now, then the parent first: a shell whose child died first runs its next command
        java.util.List<ProcessHandle> tree = p.descendants().toList();
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink, AtomicLong first, long t0) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    first.compareAndSet(-1, System.nanoTime() - t0);
                    synchronized (sink) { sink.write(buf, 0, n); }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "drain");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
