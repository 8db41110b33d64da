package org.cnn4j.mnist;

/**
 * A user mistake (missing file, bad format, bad option value). Its message is one line that names
 * the file and the place ({@code file:line:column}, a byte offset, a field); the command line
 * prints it on stderr and exits with status 2, with no stack trace.
 */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a one-line message. */
    public InputException(String message) {
        super(message);
    }

    /** An error with a one-line message and the low-level cause (shown only with --debug). */
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
