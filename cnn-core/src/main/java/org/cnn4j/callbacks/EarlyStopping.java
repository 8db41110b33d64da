package org.cnn4j.callbacks;

import java.util.List;
import java.util.Map;
import org.cnn4j.model.Callback;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * Stops training when a metric has not improved by more than {@code minDelta} for {@code patience}
 * epochs, as Keras's {@code EarlyStopping}; with {@code restoreBestWeights} the model ends with the
 * weights of its best epoch.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private double minDelta;
    private Mode mode = Mode.AUTO;
    private boolean restoreBestWeights;

    private Sequential model;
    private Mode resolved;
    private double best;
    private int wait;
    private int bestEpoch;
    private int stoppedEpoch;
    private List<Tensor> bestWeights;

    /**
     * Watch {@code monitor}; stop after {@code patience} epochs without improvement.
     *
     * @param monitor the metric, such as {@code "val_loss"}
     * @param patience epochs without improvement before stopping
     */
    public EarlyStopping(String monitor, int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0");
        }
        this.monitor = monitor;
        this.patience = patience;
    }

    /**
     * Sets the smallest change that counts as an improvement (default 0); returns this.
     *
     * @param d the change
     * @return this
     */
    public EarlyStopping minDelta(double d) {
        this.minDelta = Math.abs(d);
        return this;
    }

    /**
     * Sets min or max (default AUTO); returns this.
     *
     * @param m the mode
     * @return this
     */
    public EarlyStopping mode(Mode m) {
        this.mode = m;
        return this;
    }

    /**
     * Whether to put back the best epoch's weights when training ends; returns this.
     *
     * @param r true to restore (Keras's {@code restore_best_weights})
     * @return this
     */
    public EarlyStopping restoreBestWeights(boolean r) {
        this.restoreBestWeights = r;
        return this;
    }

    @Override
    public void onTrainBegin(Sequential model, int epochs, int batchesPerEpoch) {
        this.model = model;
        this.resolved = mode.resolve(monitor);
        this.best = Mode.initialBest(resolved);
        this.wait = 0;
        this.bestWeights = null;
        this.stoppedEpoch = -1;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            throw new IllegalStateException("EarlyStopping monitors '" + monitor + "', which is not among " + logs.keySet());
        }
        if (Mode.improved(resolved, current, best, minDelta)) {
            best = current;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                bestWeights = model.getWeights();
            }
            return;
        }
        wait++;
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(History history) {
        if (restoreBestWeights && bestWeights != null) {
            model.setWeights(bestWeights);
        }
    }

    /**
     * The epoch training stopped at (0-based), or -1 if it ran to the end.
     *
     * @return the epoch, or -1
     */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /**
     * The epoch with the best metric (0-based).
     *
     * @return the epoch
     */
    public int bestEpoch() {
        return bestEpoch;
    }
}
