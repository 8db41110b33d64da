package org.cnn4j.callbacks;

import java.util.Map;
import org.cnn4j.model.Callback;
import org.cnn4j.model.Sequential;

/**
 * Lowers the learning rate when a metric stops improving, as Keras's {@code ReduceLROnPlateau}
 * (2.1.6 and later): on each epoch without an improvement of more than {@code minDelta},
 * {@code wait} grows; when it reaches {@code patience}, {@code lr = max(lr * factor, minLr)},
 * {@code wait} resets and a {@code cooldown} of epochs starts during which {@code wait} stays 0.
 *
 * <p>{@link #legacyPatience(boolean)} reproduces Keras 2.0.x, which the seed kernel ran on: it
 * tested {@code wait >= patience} before incrementing, so the first reduction came one epoch later.
 */
public final class ReduceLROnPlateau implements Callback {
    private final String monitor;
    private final double factor;
    private final int patience;
    private Mode mode = Mode.AUTO;
    private double minDelta = 1e-4;
    private int cooldown;
    private double minLr;
    private boolean legacyPatience;
    private boolean verbose;

    private Sequential model;
    private Mode resolved;
    private double best;
    private int wait;
    private int cooldownCounter;
    private boolean restored;

    /**
     * Monitor {@code monitor}; multiply the rate by {@code factor} after {@code patience} flat epochs.
     *
     * @param monitor the metric, such as {@code "val_accuracy"}
     * @param factor the multiplier, in {@code (0, 1)}
     * @param patience epochs without improvement before a reduction
     */
    public ReduceLROnPlateau(String monitor, double factor, int patience) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        this.monitor = monitor;
        this.factor = factor;
        this.patience = patience;
    }

    /**
     * Sets min or max (default AUTO); returns this.
     *
     * @param m the mode
     * @return this
     */
    public ReduceLROnPlateau mode(Mode m) {
        this.mode = m;
        return this;
    }

    /**
     * Sets the smallest change that counts as an improvement (default 1e-4); returns this.
     *
     * @param d the change
     * @return this
     */
    public ReduceLROnPlateau minDelta(double d) {
        this.minDelta = d;
        return this;
    }

    /**
     * Sets the epochs to wait after a reduction before counting again (default 0); returns this.
     *
     * @param epochs the cooldown
     * @return this
     */
    public ReduceLROnPlateau cooldown(int epochs) {
        this.cooldown = epochs;
        return this;
    }

    /**
     * Sets the floor of the learning rate (default 0); returns this.
     *
     * @param lr the floor
     * @return this
     */
    public ReduceLROnPlateau minLr(double lr) {
        this.minLr = lr;
        return this;
    }

    /**
     * Counts patience as Keras 2.0.x did (first reduction one epoch later); returns this.
     *
     * @param legacy true for Keras 2.0.x's counting
     * @return this
     */
    public ReduceLROnPlateau legacyPatience(boolean legacy) {
        this.legacyPatience = legacy;
        return this;
    }

    /**
     * Prints a line on each reduction, as Keras's verbose=1; returns this.
     *
     * @param v true to print
     * @return this
     */
    public ReduceLROnPlateau verbose(boolean v) {
        this.verbose = v;
        return this;
    }

    @Override
    public void onTrainBegin(Sequential model, int epochs, int batchesPerEpoch) {
        this.model = model;
        this.resolved = mode.resolve(monitor);
        if (restored) {
            restored = false; // one fit continues the restored state; a later fit starts afresh, as in Keras
        } else {
            this.best = Mode.initialBest(resolved);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            throw new IllegalStateException("ReduceLROnPlateau monitors '" + monitor + "', which is not among "
                    + logs.keySet());
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (Mode.improved(resolved, current, best, minDelta)) {
            best = current;
            wait = 0;
            return;
        }
        if (cooldownCounter > 0) {
            return;
        }
        boolean reduce;
        if (legacyPatience) {
            reduce = wait >= patience;
            wait++;
        } else {
            wait++;
            reduce = wait >= patience;
        }
        if (!reduce) {
            return;
        }
        double old = model.optimizer().learningRate();
        if (old > minLr + minLr * 1e-4) {
            double lr = Math.max(old * factor, minLr);
            model.optimizer().setLearningRate(lr);
            if (verbose) {
                System.out.printf("Epoch %d: ReduceLROnPlateau reducing learning rate to %s.%n", epoch + 1, lr);
            }
            cooldownCounter = cooldown;
            wait = legacyPatience ? 1 : 0;
        }
    }

    /**
     * Scheduler state for checkpoints: best, wait, cooldown counter.
     *
     * @return a new array
     */
    public double[] state() {
        return new double[] {best, wait, cooldownCounter};
    }

    /**
     * Restores {@link #state()}.
     *
     * @param s a value {@link #state()} returned
     */
    public void restore(double[] s) {
        best = s[0];
        wait = (int) s[1];
        cooldownCounter = (int) s[2];
        restored = true;
    }
}
