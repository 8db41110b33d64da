package org.cnn4j.model;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.cnn4j.data.Dataset;

/**
 * The settings of {@link Sequential#fit}: Keras's {@code batch_size}, {@code epochs},
 * {@code validation_data}, {@code callbacks}, {@code shuffle} and {@code verbose}.
 */
public final class FitOptions {
    private int batchSize = 32;
    private int epochs = 1;
    private int initialEpoch;
    private Dataset validation;
    private boolean shuffle = true;
    private int stepsPerEpoch;
    private final List<Callback> callbacks = new ArrayList<>();
    private int verbose = 1;
    private PrintStream progressOut;
    private Boolean progressTerminal;

    /** Keras's defaults: batch size 32, 1 epoch, no validation, shuffled, verbose 1, no callbacks. */
    public FitOptions() {
    }

    /**
     * Samples per gradient step (Keras default 32); returns this.
     *
     * @param n the batch size, at least 1
     * @return this
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public FitOptions batchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + n);
        }
        this.batchSize = n;
        return this;
    }

    /**
     * Passes over the training data; returns this.
     *
     * @param n the epoch to stop before (with {@link #initialEpoch}, the total, as in Keras)
     * @return this
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public FitOptions epochs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + n);
        }
        this.epochs = n;
        return this;
    }

    /**
     * The epoch to start counting from, when resuming (Keras {@code initial_epoch}); returns this.
     *
     * @param n the first epoch to run, from 0
     * @return this
     */
    public FitOptions initialEpoch(int n) {
        this.initialEpoch = n;
        return this;
    }

    /**
     * Data evaluated at the end of every epoch, without dropout; returns this.
     *
     * @param d the validation data, or null for none
     * @return this
     */
    public FitOptions validation(Dataset d) {
        this.validation = d;
        return this;
    }

    /**
     * Whether to shuffle the training data before each epoch (default true); returns this.
     *
     * @param s true to shuffle
     * @return this
     */
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

    /**
     * Adds callbacks, called in the order given; returns this.
     *
     * @param cs the callbacks
     * @return this
     */
    public FitOptions callbacks(Callback... cs) {
        callbacks.addAll(List.of(cs));
        return this;
    }

    /**
     * How much {@code fit} prints, as Keras's {@code verbose}: 0 nothing; 1 (the default) a progress
     * bar with images/s, ETA, loss and accuracy, then the epoch's metrics; 2 one line per epoch.
     * On a terminal the bar is redrawn in place; elsewhere (CI, a log file) a plain progress line
     * is printed every 15 seconds.
     *
     * @param level 0, 1 or 2
     * @return this
     * @throws IllegalArgumentException for another level
     */
    public FitOptions verbose(int level) {
        if (level < 0 || level > 2) {
            throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + level);
        }
        this.verbose = level;
        return this;
    }

    /**
     * Where progress goes (default {@code System.out}); the bar is redrawn in place only when
     * {@code out} is {@code System.out} and that is a terminal.
     *
     * @param out the stream
     * @return this
     */
    public FitOptions progressTo(PrintStream out) {
        return progressTo(out, out == System.out && isTerminal());
    }

    /**
     * Where progress goes, saying whether it is a terminal (redraw the bar in place) or not (a
     * plain line every 15 seconds).
     *
     * @param out the stream
     * @param terminal true to redraw in place
     * @return this
     */
    public FitOptions progressTo(PrintStream out, boolean terminal) {
        this.progressOut = java.util.Objects.requireNonNull(out, "out");
        this.progressTerminal = terminal;
        return this;
    }

    private static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    int verboseLevel() {
        return verbose;
    }

    /** The progress printer, or null when silent. */
    Callback progress() {
        if (verbose == 0) {
            return null;
        }
        PrintStream out = progressOut == null ? System.out : progressOut;
        boolean terminal = progressTerminal == null ? out == System.out && isTerminal() : progressTerminal;
        return new Progress(out, terminal, verbose, 15_000_000_000L);
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
