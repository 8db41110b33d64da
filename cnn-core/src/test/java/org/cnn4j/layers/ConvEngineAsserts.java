package org.cnn4j.layers;

import static org.junit.jupiter.api.Assertions.fail;

import org.cnn4j.init.Rng;

/** What the tests of a convolution engine against im2col share: the same weights, and a scaled tolerance. */
final class ConvEngineAsserts {
    private ConvEngineAsserts() {
    }

    /**
     * Fails unless every element agrees within 2e-5 of the larger of 1e-3 and the expected values'
     * largest magnitude: the engines sum the same products in another order, so they differ by
     * rounding that grows with the values' scale, not with each element's own size.
     */
    static void assertClose(float[] expected, float[] actual, String what) {
        float max = 1e-3f;
        for (float e : expected) {
            max = Math.max(max, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= 2e-5f * max)) {
                fail(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i] + " (max " + max + ")");
            }
        }
    }

    /** Gives both built convolutions the same random kernel and bias (non-zero biases exercise the fused bias and ReLU). */
    static void sameWeights(Conv2D ref, Conv2D other) {
        Rng r = new Rng(9);
        for (int i = 0; i < ref.params().size(); i++) {
            float[] a = ref.params().get(i).value().data(), b = other.params().get(i).value().data();
            for (int j = 0; j < a.length; j++) {
                a[j] = (float) r.uniform(-0.3, 0.3);
                b[j] = a[j];
            }
        }
    }
}
