package org.cnn4j.io;

import java.io.IOException;

/** A model file that is not a cnn4j model, is truncated or corrupted, or is of an unsupported version. */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception whose one-line message names the file and what is wrong.
     *
     * @param message the message
     */
    public ModelFormatException(String message) {
        super(message);
    }
}
