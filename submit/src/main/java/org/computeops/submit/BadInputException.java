package org.computeops.submit;

/** A problem with what the user gave (job file, options, settings), worded as one line; exit code 2. */
public final class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }
}
