package org.computeops.results.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** `results verify RUN_DIR` run in-process for the verify tests: its exit code and what it printed. */
record VerifyRun(int exitCode, String out) {

    static VerifyRun of(Path runDir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new ResultsCli()).execute("verify", runDir.toString());
        } finally {
            System.setOut(old);
        }
        return new VerifyRun(code, bytes.toString(StandardCharsets.UTF_8));
    }
}
