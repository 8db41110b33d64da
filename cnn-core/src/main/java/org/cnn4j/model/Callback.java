package org.cnn4j.model;

import java.util.Map;

/**
 * Hooks into {@link Sequential#fit}. Epochs count from 0, as in Keras. The epoch logs hold
 * {@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy} (with validation data)
 * and {@code lr}.
 */
public interface Callback {
    /** Called once before training with the model being trained. */
    default void onTrainBegin(Sequential model, int epochs, int batchesPerEpoch) {
    }

    /** Called at the start of each epoch. */
    default void onEpochBegin(int epoch) {
    }

    /** Called after every batch with the running means of the epoch so far. */
    default void onBatchEnd(int epoch, BatchStats stats) {
    }

    /** Called after each epoch's validation with all its metrics. */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /** Called once when training ends, normally or by a callback's request. */
    default void onTrainEnd(History history) {
    }
}
