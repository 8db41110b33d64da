package org.cnn4j.model;

import java.util.Map;

/**
 * Hooks into {@link Sequential#fit}. Epochs count from 0, as in Keras. The epoch logs hold
 * {@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy} (with validation data)
 * and {@code lr}.
 */
public interface Callback {
    /**
     * Called once before training with the model being trained.
     *
     * @param model the model being trained
     * @param epochs the epoch to stop before (FitOptions.epochs)
     * @param batchesPerEpoch the number of batches in one epoch
     */
    default void onTrainBegin(Sequential model, int epochs, int batchesPerEpoch) {
    }

    /**
     * Called at the start of each epoch.
     *
     * @param epoch the epoch, from 0
     */
    default void onEpochBegin(int epoch) {
    }

    /**
     * Called after every batch with the running means of the epoch so far.
     *
     * @param epoch the epoch, from 0
     * @param stats the batch count, running loss and accuracy, and throughput
     */
    default void onBatchEnd(int epoch, BatchStats stats) {
    }

    /**
     * Called after each epoch's validation with all its metrics.
     *
     * @param epoch the epoch, from 0
     * @param logs the metrics by name, in the order they were computed
     */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /**
     * Called once when training ends, normally or by a callback's request.
     *
     * @param history every epoch's metrics
     */
    default void onTrainEnd(History history) {
    }
}
