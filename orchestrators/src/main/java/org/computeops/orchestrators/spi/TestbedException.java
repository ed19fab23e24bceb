package org.computeops.orchestrators.spi;

/** A problem with the testbed or its input, worded for the person running the scenarios. */
public class TestbedException extends RuntimeException {
    public TestbedException(String message) {
        super(message);
    }

    public TestbedException(String message, Throwable cause) {
        super(message + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
    }
}
