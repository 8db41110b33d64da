package org.cnn4j.model;

import org.cnn4j.init.Rng;

/**
 * The batches of Keras's endless {@code Iterator} (behind {@code ImageDataGenerator.flow}) as
 * {@code fit_generator(steps_per_epoch=...)} pulls them: passes over the data follow one another
 * regardless of epoch boundaries, each pass is a fresh permutation cut into consecutive batches,
 * and the last batch of a pass is partial ({@code n mod batch} samples). An epoch is then just a
 * count of steps, so a pass's partial batch turns up inside some later epoch.
 *
 * <p>Step {@code s} (counted from the start of training) lies in pass {@code s / stepsPerPass};
 * that pass's permutation comes from {@code root.fork(pass)}, so every step is a pure function of
 * {@code (root state, s)}: a run resumed at any epoch sees the very batches an uninterrupted run would.
 */
final class RunningBatches {
    private final int n;
    private final int batchSize;
    private final int stepsPerPass;
    private final boolean shuffle;
    private final Rng root;
    private final int[] order;
    private long pass = -1;

    RunningBatches(int n, int batchSize, boolean shuffle, Rng root) {
        this.n = n;
        this.batchSize = batchSize;
        this.stepsPerPass = (n - 1) / batchSize + 1; // ceil(n / batchSize), n >= 1, without n + batchSize - 1's overflow
        this.shuffle = shuffle;
        this.root = root;
        this.order = new int[n];
    }

    /** The sample order of the pass holding {@code step}; valid until the next call with another pass. */
    int[] order(long step) {
        long p = step / stepsPerPass;
        if (p != pass) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (shuffle) {
                root.fork(p).shuffle(order);
            }
            pass = p;
        }
        return order;
    }

    /** Where {@code step}'s batch starts in {@link #order}. */
    int from(long step) {
        return (int) (step % stepsPerPass) * batchSize;
    }
}
