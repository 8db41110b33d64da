package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BatchNormalization against finite differences (both layouts, both modes) and against Keras's
 * definition computed here in double precision. The reference is Keras 3's
 * {@code BatchNormalization.call} ({@code keras/src/layers/normalization/batch_normalization.py}):
 * batch mean and biased variance from {@code ops.moments} in training,
 * {@code (x - mean) / sqrt(variance + epsilon) * gamma + beta}, and
 * {@code moving = moving * momentum + batch * (1 - momentum)}; moving statistics in inference.
 * Run alone: {@code ./mvnw -pl cnn-core test -Dtest=BatchNormalizationTest}.
 */
class BatchNormalizationTest {

    /** A built layer with gamma, beta and the moving statistics away from their initial values. */
    static BatchNormalization built(int[] in, long seed) {
        BatchNormalization bn = new BatchNormalization();
        bn.build(in, new Rng(1));
        Rng r = new Rng(seed);
        for (Param p : bn.params()) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data()[i] = (float) (p.name().equals("gamma") ? r.uniform(0.5, 1.5) : r.uniform(-0.5, 0.5));
            }
        }
        float[] mm = bn.buffers().get(0).value().data(), mv = bn.buffers().get(1).value().data();
        for (int c = 0; c < mm.length; c++) {
            mm[c] = (float) r.uniform(-0.3, 0.3);
            mv[c] = (float) r.uniform(0.5, 2);
        }
        return bn;
    }

    @ParameterizedTest(name = "input {0}, training {1}")
    @CsvSource({"3x4x5, true", "3x4x5, false", "6, true", "6, false", "1x3x3, true", "2x1x1, true"})
    void backwardMatchesFiniteDifferences(String shape, boolean training) {
        int[] in = java.util.Arrays.stream(shape.split("x")).mapToInt(Integer::parseInt).toArray();
        BatchNormalization bn = built(in, 5);
        // batch 5: with fewer values per channel the loss curves so fast that one-sided differences part
        int[] batched = org.cnn4j.tensor.Shapes.batched(5, in);
        Tensor x = GradCheckTest.random(42, batched);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = x.data()[i] * 2 + 0.5f; // a mean and a spread away from 0 and 1
        }
        GradCheck.Result r = GradCheck.check(bn, x, training, 1e-2, 2e-3, 1e-2, 60, 99);
        assertThat(r.passed()).as("%s", r).isTrue();
        assertThat(r.checked()).isGreaterThan(x.size());
        assertThat(r.skipped()).isZero();
    }

    @Test
    void oneChannelOfFourValuesByHand() {
        // x = 1, 2, 3, 4: mean 2.5, biased variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25,
        // y = (x - 2.5) / sqrt(1.25 + 0.001): -1.3411045, -0.4470348, 0.4470348, 1.3411045;
        // moving mean 0 * 0.99 + 2.5 * 0.01 = 0.025, moving variance 1 * 0.99 + 1.25 * 0.01 = 1.0025
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[] {1, 2, 2}, new Rng(1));
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        float[] y = bn.forward(x, true).data();
        assertThat(y[0]).isCloseTo(-1.3411045f, within(1e-6f));
        assertThat(y[1]).isCloseTo(-0.4470348f, within(1e-6f));
        assertThat(y[2]).isCloseTo(0.4470348f, within(1e-6f));
        assertThat(y[3]).isCloseTo(1.3411045f, within(1e-6f));
        assertThat(bn.buffers().get(0).value().data()[0]).isCloseTo(0.025f, within(1e-8f));
        assertThat(bn.buffers().get(1).value().data()[0]).isCloseTo(1.0025f, within(1e-7f));
        // inference uses the moving statistics: (1 - 0.025) / sqrt(1.0025 + 0.001) = 0.9733
        assertThat(bn.forward(x, false).data()[0]).isCloseTo((float) (0.975 / Math.sqrt(1.0035)), within(1e-6f));
    }

    /** Keras's computation, in double, for x [N, C, S] with the layer's gamma, beta and moving statistics. */
    private static double[][] keras(float[] x, int n, int c, int s, float[] gamma, float[] beta, float[] mm, float[] mv,
                                    boolean training, double momentum, double eps) {
        double[] y = new double[x.length], newMean = new double[c], newVar = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double mean = mm[ch], var = mv[ch];
            if (training) {
                double sum = 0, sq = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < s; j++) {
                        sum += x[(i * c + ch) * s + j];
                        sq += (double) x[(i * c + ch) * s + j] * x[(i * c + ch) * s + j];
                    }
                }
                mean = sum / (n * s);
                var = sq / (n * s) - mean * mean; // ops.moments: E[x²] - E[x]²
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    int k = (i * c + ch) * s + j;
                    y[k] = (x[k] - mean) / Math.sqrt(var + eps) * gamma[ch] + beta[ch];
                }
            }
            newMean[ch] = training ? mm[ch] * momentum + mean * (1 - momentum) : mm[ch];
            newVar[ch] = training ? mv[ch] * momentum + var * (1 - momentum) : mv[ch];
        }
        return new double[][] {y, newMean, newVar};
    }

    @ParameterizedTest(name = "input {0}")
    @CsvSource({"3x5x4", "7", "2x1x9"})
    void forwardAndMovingStatisticsAreKerass(String shape) {
        int[] in = java.util.Arrays.stream(shape.split("x")).mapToInt(Integer::parseInt).toArray();
        int c = in[0], s = org.cnn4j.tensor.Shapes.size(in) / c, n = 5;
        BatchNormalization bn = built(in, 8);
        Tensor x = GradCheckTest.random(3, org.cnn4j.tensor.Shapes.batched(n, in));
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = x.data()[i] * 3 - 1;
        }
        float[] gamma = bn.params().get(0).value().data(), beta = bn.params().get(1).value().data();
        for (int step = 0; step < 3; step++) {
            boolean training = step < 2;
            float[] mm = bn.buffers().get(0).value().data().clone(), mv = bn.buffers().get(1).value().data().clone();
            double[][] ref = keras(x.data(), n, c, s, gamma, beta, mm, mv, training, 0.99, 1e-3);
            float[] y = bn.forward(x, training).data();
            for (int i = 0; i < y.length; i++) {
                assertThat((double) y[i]).as("step %d, y[%d]", step, i).isCloseTo(ref[0][i], within(2e-6 * (1 + Math.abs(ref[0][i]))));
            }
            for (int ch = 0; ch < c; ch++) {
                assertThat((double) bn.buffers().get(0).value().data()[ch]).isCloseTo(ref[1][ch], within(1e-6));
                assertThat((double) bn.buffers().get(1).value().data()[ch]).isCloseTo(ref[2][ch], within(1e-6));
            }
        }
    }

    /** The two sums docs/backprop.md derives: Σ dx = 0 and Σ dx·x̂ = γ·s·dγ·ε/(σ² + ε), per channel. */
    @Test
    void inputGradientHasNoComponentAlongShiftAndTheStatedOneAlongScale() {
        int n = 4, c = 3, hw = 10;
        BatchNormalization bn = built(new int[] {c, 2, 5}, 6);
        Tensor x = GradCheckTest.random(12, n, c, 2, 5);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = x.data()[i] * 0.1f + 0.2f; // a small variance, so that ε's share is visible
        }
        float[] xs = x.data().clone();
        bn.forward(x, true);
        float[] dx = bn.backward(GradCheckTest.random(13, n, c, 2, 5)).data();
        float[] gamma = bn.params().get(0).value().data(), dgamma = bn.params().get(0).grad().data();
        for (int ch = 0; ch < c; ch++) {
            double mean = 0, var = 0;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < hw; i++) {
                    mean += xs[(s * c + ch) * hw + i];
                }
            }
            mean /= n * hw;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < hw; i++) {
                    var += Math.pow(xs[(s * c + ch) * hw + i] - mean, 2);
                }
            }
            var /= n * hw;
            double sc = 1 / Math.sqrt(var + 1e-3), sum = 0, dot = 0, scale = 0;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < hw; i++) {
                    int k = (s * c + ch) * hw + i;
                    sum += dx[k];
                    dot += dx[k] * (xs[k] - mean) * sc;
                    scale += Math.abs(dx[k]);
                }
            }
            double expected = gamma[ch] * sc * dgamma[ch] * 1e-3 / (var + 1e-3);
            assertThat(sum).as("channel %d: Σ dx", ch).isCloseTo(0, within(1e-5 * scale));
            assertThat(Math.abs(expected)).as("ε's share is measurable").isGreaterThan(1e-2 * scale / (n * hw));
            assertThat(dot).as("channel %d: Σ dx·x̂", ch).isCloseTo(expected, within(1e-4 * scale + 1e-3 * Math.abs(expected)));
        }
    }

    @Test
    void kerasDefaultsAndShapes() {
        BatchNormalization bn = new BatchNormalization();
        assertThat(bn.config()).containsExactly(Map.entry("momentum", "0.99"), Map.entry("epsilon", "0.001"),
                Map.entry("center", "true"), Map.entry("scale", "true"));
        assertThat(bn.paramCountFor(new int[] {3, 5, 5})).isEqualTo(6);
        assertThat(bn.nonTrainableCountFor(new int[] {3, 5, 5})).isEqualTo(6);
        bn.build(new int[] {3, 5, 5}, new Rng(1));
        assertThat(bn.params()).extracting(Param::name).containsExactly("gamma", "beta");
        assertThat(bn.buffers()).extracting(Buffer::name).containsExactly("moving_mean", "moving_variance");
        assertThat(bn.params().get(0).value().data()).containsOnly(1f);
        assertThat(bn.params().get(1).value().data()).containsOnly(0f);
        assertThat(bn.buffers().get(0).value().data()).containsOnly(0f);
        assertThat(bn.buffers().get(1).value().data()).containsOnly(1f);
        BatchNormalization bare = new BatchNormalization().center(false).scale(false).momentum(0.9).epsilon(1e-5);
        assertThat(bare.paramCountFor(new int[] {4})).isZero();
        Layer back = Layers.fromConfig("BatchNormalization", bare.config());
        assertThat(back.config()).isEqualTo(bare.config());
        assertThatThrownBy(() -> new BatchNormalization().momentum(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bn.momentum(0.5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new BatchNormalization().outputShapeFor(new int[0]))
                .hasMessageContaining("BatchNormalization").hasMessageContaining("[]");
    }

    @Test
    void withoutCenterAndScaleItOnlyNormalises() {
        BatchNormalization bn = new BatchNormalization().center(false).scale(false);
        bn.build(new int[] {2}, new Rng(1));
        Tensor x = Tensor.wrap(new float[] {1, 10, 3, 30}, 2, 2);
        float[] y = bn.forward(x, true).data();
        double d = 1 / Math.sqrt(1 + 1e-3); // channel 0: 1, 3 -> mean 2, variance 1
        assertThat(y[0]).isCloseTo((float) -d, within(1e-6f));
        assertThat(y[2]).isCloseTo((float) d, within(1e-6f));
        GradCheck.Result r = GradCheck.check(bn, GradCheckTest.random(4, 3, 2), true, 1e-2, 2e-3, 1e-2, 10, 1);
        assertThat(r.passed()).as("%s", r).isTrue();
    }

    @Test
    void sameBitsForOneAndTwoThreadsAndInAnInferenceCopy() {
        int before = Parallel.threads();
        float[][] out = new float[2][];
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                BatchNormalization bn = built(new int[] {5, 6, 7}, 2);
                Tensor x = GradCheckTest.random(6, 4, 5, 6, 7);
                float[] y = bn.forward(x, true).data().clone();
                Tensor dx = bn.backward(GradCheckTest.random(7, 4, 5, 6, 7));
                out[t - 1] = concat(y, dx.data(), bn.params().get(0).grad().data(), bn.buffers().get(1).value().data());
                Layer copy = bn.inferenceCopy();
                assertThat(copy.buffers().get(0)).isSameAs(bn.buffers().get(0));
                assertThat(copy.forward(x, false).data()).isEqualTo(bn.forward(x, false).data().clone());
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertThat(out[1]).isEqualTo(out[0]);
    }

    private static float[] concat(float[]... as) {
        int n = 0;
        for (float[] a : as) {
            n += a.length;
        }
        float[] r = new float[n];
        int o = 0;
        for (float[] a : as) {
            System.arraycopy(a, 0, r, o, a.length);
            o += a.length;
        }
        return r;
    }
}
