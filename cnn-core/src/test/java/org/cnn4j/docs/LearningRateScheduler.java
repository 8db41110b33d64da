package org.cnn4j.docs;

import java.util.function.IntToDoubleFunction;
import org.cnn4j.model.Callback;
import org.cnn4j.model.Sequential;

/**
 * Keras's {@code LearningRateScheduler} as a cnn4j callback: at the start of every epoch it sets
 * the learning rate to {@code schedule(epoch)} (epochs count from 0). An example for
 * {@code docs/optimizers.md}; copy it into your own code.
 */
public final class LearningRateScheduler implements Callback {
    private final IntToDoubleFunction schedule;
    private Sequential model;

    /** Uses {@code schedule} to map the epoch number to a learning rate. */
    public LearningRateScheduler(IntToDoubleFunction schedule) {
        this.schedule = schedule;
    }

    @Override
    public void onTrainBegin(Sequential model, int epochs, int batchesPerEpoch) {
        this.model = model;
    }

    @Override
    public void onEpochBegin(int epoch) {
        model.optimizer().setLearningRate(schedule.applyAsDouble(epoch));
    }
}
