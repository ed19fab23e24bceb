package org.computeops.orchestrators.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The testbed's power switch for its nodes, a program called as {@code PROGRAM stop|start NODE}:
 * no orchestrator API can kill a node's agent hard, so the site supplies one (ssh to the node and
 * kill its engine or kubelet; the local testbeds' infra/{swarm,kubernetes}/node.sh).
 */
public final class NodeControlProgram {

    private final Path program;

    /** @param setting the setting that named the program, for error messages */
    public NodeControlProgram(Path program, String setting) {
        if (!Files.isExecutable(program)) {
            throw new AdapterException(setting + " '" + program + "' is not an executable program");
        }
        this.program = program;
    }

    public void stop(String node) {
        run("stop", node);
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
            Process p = new ProcessBuilder(program.toString(), action, node).redirectErrorStream(true).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AdapterException(command + " did not finish within 2 minutes");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new AdapterException(command + " failed (exit " + p.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new AdapterException("cannot run the node control program " + program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdapterException("interrupted while running " + command);
        }
    }
}
