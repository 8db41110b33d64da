package org.cnn4j.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.cnn4j.init.Rng;
import org.cnn4j.layers.Softmax;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The loss value, its gradient, and the fused softmax gradient (p - y)/N, against finite differences. */
class CategoricalCrossentropyTest {
    private final CategoricalCrossentropy cce = new CategoricalCrossentropy();

    private static Tensor oneHot(int n, int k, long seed) {
        Tensor y = Tensor.zeros(n, k);
        Rng r = new Rng(seed);
        for (int i = 0; i < n; i++) {
            y.data()[i * k + r.nextInt(k)] = 1f;
        }
        return y;
    }

    @Test
    void valueIsTheMeanNegativeLogOfTheTrueClass() {
        Tensor p = Tensor.wrap(new float[] {0.7f, 0.2f, 0.1f, 0.25f, 0.25f, 0.5f}, 2, 3);
        Tensor y = Tensor.wrap(new float[] {1, 0, 0, 0, 0, 1}, 2, 3);
        assertThat(cce.value(p, y)).isCloseTo(-(Math.log(0.7f) + Math.log(0.5f)) / 2, within(1e-7));
    }

    @Test
    void valueIsClippedLikeKeras() {
        Tensor p = Tensor.wrap(new float[] {0f, 1f}, 1, 2);
        Tensor y = Tensor.wrap(new float[] {1, 0}, 1, 2);
        assertThat(cce.value(p, y)).isCloseTo(-Math.log(1e-7), within(1e-3));
    }

    @Test
    void gradientWithRespectToProbabilitiesMatchesFiniteDifferences() {
        int n = 3, k = 4;
        Tensor p = Tensor.zeros(n, k);
        Rng r = new Rng(5);
        for (int i = 0; i < p.size(); i++) {
            p.data()[i] = (float) r.uniform(0.1, 0.9);
        }
        Tensor y = oneHot(n, k, 9);
        Tensor g = Tensor.zeros(n, k);
        cce.gradient(p, y, g);
        double eps = 1e-3;
        for (int i = 0; i < p.size(); i++) {
            float o = p.data()[i];
            p.data()[i] = (float) (o + eps);
            double up = cce.value(p, y);
            p.data()[i] = (float) (o - eps);
            double down = cce.value(p, y);
            p.data()[i] = o;
            assertThat((double) g.data()[i]).isCloseTo((up - down) / (2 * eps), within(2e-3));
        }
    }

    @Test
    void fusedSoftmaxGradientIsPMinusYOverNAndMatchesFiniteDifferences() {
        int n = 3, k = 5;
        Softmax s = new Softmax();
        s.build(new int[] {k}, new Rng(0));
        Tensor z = Tensor.zeros(n, k);
        Rng r = new Rng(3);
        for (int i = 0; i < z.size(); i++) {
            z.data()[i] = (float) r.uniform(-2, 2);
        }
        Tensor y = oneHot(n, k, 4);
        Tensor p = s.forward(z, true).copy();
        Tensor g = Tensor.zeros(n, k);
        assertThat(cce.gradientFromLogits(p, y, g)).isTrue();
        double eps = 1e-2;
        for (int i = 0; i < z.size(); i++) {
            assertThat(g.data()[i]).isEqualTo((p.data()[i] - y.data()[i]) * (1f / n));
            float o = z.data()[i];
            z.data()[i] = (float) (o + eps);
            double up = cce.value(s.forward(z, true), y);
            z.data()[i] = (float) (o - eps);
            double down = cce.value(s.forward(z, true), y);
            z.data()[i] = o;
            assertThat((double) g.data()[i]).isCloseTo((up - down) / (2 * eps), within(1e-3));
        }
    }
}
