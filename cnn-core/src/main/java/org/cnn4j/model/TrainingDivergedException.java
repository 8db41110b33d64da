package org.cnn4j.model;

/** Thrown when the loss or a gradient becomes NaN or infinite: training stops before it corrupts the weights. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a one-line explanation.
     *
     * @param message what diverged, in which batch, and what to try
     */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
