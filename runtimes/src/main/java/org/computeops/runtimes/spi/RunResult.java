package org.computeops.runtimes.spi;

import java.nio.charset.StandardCharsets;

/**
 * One run of a command in a container.
 *
 * @param exitCode          the runtime CLI's exit status; -1 when it timed out
 * @param stdout            bytes written to standard output
 * @param stderr            bytes written to standard error
 * @param firstOutputNanos  nanoseconds from the run call to the first byte on stdout or stderr; -1 if none came
 * @param exitNanos         nanoseconds from the run call to the exit of the runtime's process
 * @param timedOut          the timeout passed before the process exited (it was then killed)
 */
public record RunResult(int exitCode, byte[] stdout, byte[] stderr, long firstOutputNanos, long exitNanos,
                        boolean timedOut) {

    public String out() { return new String(stdout, StandardCharsets.UTF_8); }

    public String err() { return new String(stderr, StandardCharsets.UTF_8); }

    public boolean ok() { return !timedOut && exitCode == 0; }

    public double exitMillis() { return exitNanos / 1e6; }

    public double firstOutputMillis() { return firstOutputNanos < 0 ? Double.NaN : firstOutputNanos / 1e6; }

    @Override
    public String toString() {
        return "exit " + exitCode + (timedOut ? " (timed out)" : "") + " after " + exitMillis() + " ms; stdout: "
                + out().strip() + "; stderr: " + err().strip();
    }
}
