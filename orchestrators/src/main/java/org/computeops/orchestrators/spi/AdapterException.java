package org.computeops.orchestrators.spi;

/** A problem with the testbed or its input, worded for the person running the scenarios. */
public class AdapterException extends RuntimeException {
    public AdapterException(String message) {
        super(message);
    }

    public AdapterException(String message, Throwable cause) {
        super(message + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
    }
}
