package org.cnn4j.layers;

import static org.junit.jupiter.api.Assertions.fail;

import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Tensor;

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

    /**
     * One training step of {@code ref} and {@code other} on the same input and output gradient:
     * outputs, input gradients, kernel and bias gradients must agree ({@link #assertClose}).
     */
    static void assertSameStep(Conv2D ref, Conv2D other, Tensor x) {
        Tensor y1 = ref.forward(x, true), y2 = other.forward(x, true);
        org.assertj.core.api.Assertions.assertThat(y2.shape()).isEqualTo(y1.shape());
        assertClose(y1.data(), y2.data(), "output");
        Tensor dy = GradCheckTest.random(23, y1.shape());
        Tensor dx1 = ref.backward(dy.copy()), dx2 = other.backward(dy.copy());
        assertClose(dx1.data(), dx2.data(), "input gradient");
        assertClose(ref.params().get(0).grad().data(), other.params().get(0).grad().data(), "kernel gradient");
        assertClose(ref.params().get(1).grad().data(), other.params().get(1).grad().data(), "bias gradient");
    }

    /** One training step's output, input gradient and kernel gradient, end to end: to compare bits across thread counts. */
    static float[] stepBits(Conv2D conv, Tensor x) {
        Tensor y = conv.forward(x, true);
        float[] out = y.data().clone();
        Tensor dx = conv.backward(GradCheckTest.random(5, y.shape()));
        float[] gw = conv.params().get(0).grad().data();
        float[] all = new float[out.length + dx.size() + gw.length];
        System.arraycopy(out, 0, all, 0, out.length);
        System.arraycopy(dx.data(), 0, all, out.length, dx.size());
        System.arraycopy(gw, 0, all, out.length + dx.size(), gw.length);
        return all;
    }
}
