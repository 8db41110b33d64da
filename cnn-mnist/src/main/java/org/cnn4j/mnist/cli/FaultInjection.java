package org.cnn4j.mnist.cli;

import java.util.List;
import org.cnn4j.data.Dataset;
import org.cnn4j.init.Rng;
import org.cnn4j.model.BatchStats;
import org.cnn4j.model.Callback;

/**
 * Fault injection for the reliability tests, inert unless its system properties are set:
 * {@value #BATCH_DELAY} sleeps that many milliseconds after each batch (so a test can kill a run
 * in the middle of an epoch), and {@value #POISON_BATCH} fills the n-th training batch of this
 * process (1-based) with NaN pixels (so a test can make training diverge at a chosen step).
 * Nothing else changes: the streams and the data are those of a normal run.
 */
final class FaultInjection {
    static final String BATCH_DELAY = "cnn4j.test.batchDelayMillis";
    static final String POISON_BATCH = "cnn4j.test.poisonBatch";

    private FaultInjection() {
    }

    /** A callback that sleeps after every batch, or null when {@value #BATCH_DELAY} is not set. */
    static Callback batchDelay() {
        long ms = Long.getLong(BATCH_DELAY, 0L);
        if (ms <= 0) {
            return null;
        }
        return new Callback() {
            @Override
            public void onBatchEnd(int epoch, BatchStats stats) {
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** {@code train}, or a view of it whose {@value #POISON_BATCH}-th batch is all NaN. */
    static Dataset poison(Dataset train) {
        long at = Long.getLong(POISON_BATCH, 0L);
        if (at <= 0) {
            return train;
        }
        return new Dataset() {
            private long batches;

            @Override
            public int size() {
                return train.size();
            }

            @Override
            public int[] sampleShape() {
                return train.sampleShape();
            }

            @Override
            public int numClasses() {
                return train.numClasses();
            }

            @Override
            public int label(int i) {
                return train.label(i);
            }

            @Override
            public void batch(int[] indices, int from, int count, float[] x, float[] y) {
                train.batch(indices, from, count, x, y);
                if (++batches == at) {
                    java.util.Arrays.fill(x, Float.NaN);
                }
            }

            @Override
            public List<Rng> randomStreams() {
                return train.randomStreams();
            }
        };
    }
}
