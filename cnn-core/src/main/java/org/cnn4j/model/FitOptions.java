package org.cnn4j.model;

import java.util.ArrayList;
import java.util.List;
import org.cnn4j.data.Dataset;

/** The settings of {@link Sequential#fit}: Keras's {@code batch_size}, {@code epochs}, {@code validation_data}, {@code callbacks}, {@code shuffle}. */
public final class FitOptions {
    private int batchSize = 32;
    private int epochs = 1;
    private int initialEpoch;
    private Dataset validation;
    private boolean shuffle = true;
    private int stepsPerEpoch;
    private final List<Callback> callbacks = new ArrayList<>();

    /** Samples per gradient step (Keras default 32); returns this. */
    public FitOptions batchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + n);
        }
        this.batchSize = n;
        return this;
    }

    /** Passes over the training data; returns this. */
    public FitOptions epochs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + n);
        }
        this.epochs = n;
        return this;
    }

    /** The epoch to start counting from, when resuming (Keras {@code initial_epoch}); returns this. */
    public FitOptions initialEpoch(int n) {
        this.initialEpoch = n;
        return this;
    }

    /** Data evaluated at the end of every epoch, without dropout; returns this. */
    public FitOptions validation(Dataset d) {
        this.validation = d;
        return this;
    }

    /** Whether to shuffle the training data before each epoch (default true); returns this. */
    public FitOptions shuffle(boolean s) {
        this.shuffle = s;
        return this;
    }

    /**
     * Keras {@code fit_generator}'s {@code steps_per_epoch}: every epoch takes {@code n} batches from
     * a running iterator (Keras's {@code Iterator}): passes over the shuffled data continue across
     * epoch boundaries, each pass ends with a partial batch of {@code size mod batchSize} samples, and
     * a new permutation starts every pass. 0, the default, means one whole pass per epoch. The Kaggle
     * kernel used {@code 37800 // 86 = 439}.
     *
     * @param n batches per epoch, or 0 for whole passes
     * @return this
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public FitOptions stepsPerEpoch(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("steps per epoch must be >= 0, got " + n);
        }
        this.stepsPerEpoch = n;
        return this;
    }

    /** Adds callbacks, called in the order given; returns this. */
    public FitOptions callbacks(Callback... cs) {
        callbacks.addAll(List.of(cs));
        return this;
    }

    int batchSize() {
        return batchSize;
    }

    int epochs() {
        return epochs;
    }

    int initialEpoch() {
        return initialEpoch;
    }

    Dataset validation() {
        return validation;
    }

    boolean shuffle() {
        return shuffle;
    }

    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    List<Callback> callbacks() {
        return callbacks;
    }
}
