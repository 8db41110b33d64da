package org.cnn4j.mnist.train;

import org.cnn4j.init.Rng;

/**
 * A seeded train/validation split, as scikit-learn's {@code train_test_split(test_size, random_state)}
 * in shape: the validation set is {@code ceil(fraction * n)} samples of a seeded permutation, the
 * rest trains. (The membership differs from NumPy's: a different generator.)
 *
 * @param train indices of the training samples
 * @param validation indices of the validation samples
 */
public record Split(int[] train, int[] validation) {

    /** Splits {@code n} samples, holding out {@code fraction} of them for validation. */
    public static Split of(int n, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
        }
        int[] perm = ImageDataset.identity(n);
        new Rng(seed).shuffle(perm);
        int nVal = (int) Math.ceil(fraction * n);
        return new Split(java.util.Arrays.copyOfRange(perm, nVal, n), java.util.Arrays.copyOfRange(perm, 0, nVal));
    }
}
