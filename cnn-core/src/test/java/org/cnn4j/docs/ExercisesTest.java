package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Winograd;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.MaxPooling2D;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The numeric answers of {@code docs/exercises.md}, computed by the real classes. */
class ExercisesTest {
    @Test
    void exercise5ConvWithStride2() {
        Conv2D conv = new Conv2D(1, 2, 2).strides(2);
        conv.build(new int[] {1, 3, 3}, new Rng(0));
        System.arraycopy(new float[] {1f, -1f, 2f, 0f}, 0, conv.params().get(0).value().data(), 0, 4);
        conv.params().get(1).value().data()[0] = 0f;
        Tensor y = conv.forward(Tensor.wrap(new float[] {1, 2, 0, 0, 1, 3, 2, 1, 1}, 1, 1, 3, 3), true);
        assertThat(y.shape()).containsExactly(1, 1, 1, 1);
        assertThat(y.data()).containsExactly(-1f);
        float[] dx = conv.backward(Tensor.wrap(new float[] {5}, 1, 1, 1, 1)).data();
        assertThat(conv.params().get(0).grad().data()).containsExactly(5f, 10f, 0f, 5f);
        assertThat(dx).containsExactly(5f, -5f, 0f, 10f, 0f, 0f, 0f, 0f, 0f);
    }

    @Test
    void exercise6FusedSoftmaxGradient() {
        CategoricalCrossentropy cce = new CategoricalCrossentropy();
        Tensor dz = Tensor.zeros(1, 3);
        assertThat(cce.gradientFromLogits(Tensor.wrap(new float[] {0.7f, 0.2f, 0.1f}, 1, 3),
                Tensor.wrap(new float[] {0, 1, 0}, 1, 3), dz)).isTrue();
        assertThat(dz.data()).usingComparatorWithPrecision(1e-6f).containsExactly(0.7f, -0.8f, 0.1f);
        Tensor dz2 = Tensor.zeros(2, 3);
        cce.gradientFromLogits(Tensor.wrap(new float[] {0.7f, 0.2f, 0.1f, 0.7f, 0.2f, 0.1f}, 2, 3),
                Tensor.wrap(new float[] {0, 1, 0, 0, 1, 0}, 2, 3), dz2);
        assertThat(dz2.data()[0]).isCloseTo(0.35f, within(1e-6f));
        assertThat(dz2.data()[1]).isCloseTo(-0.4f, within(1e-6f));
        assertThat(dz2.data()[2]).isCloseTo(0.05f, within(1e-6f));
    }

    @Test
    void exercise7WinogradOnOtherNumbers() {
        Winograd w = Winograd.of(2, 3);
        double[] v = times(w.bt(), new double[] {0, 1, 0, 0});
        double[] u = times(w.g(), new double[] {1, 2, 3});
        assertThat(v).containsExactly(0, 1, -1, -1);
        assertThat(u).containsExactly(-1, 3, 1, 3);
        double[] m = new double[4];
        for (int i = 0; i < 4; i++) {
            m[i] = u[i] * v[i] + 0.0;
        }
        assertThat(m).containsExactly(0, 3, -1, -3);
        assertThat(times(w.at(), m)).containsExactly(2, 1);
    }

    @Test
    void exercise8MaxPoolTieGoesToTheFirst() {
        MaxPooling2D pool = new MaxPooling2D(2);
        pool.build(new int[] {1, 2, 2}, new Rng(0));
        pool.forward(Tensor.wrap(new float[] {1, 3, 3, 2}, 1, 1, 2, 2), true);
        assertThat(pool.backward(Tensor.wrap(new float[] {4}, 1, 1, 1, 1)).data()).containsExactly(0f, 4f, 0f, 0f);
    }

    private static double[] times(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += a[i][j] * x[j];
            }
        }
        return y;
    }
}
