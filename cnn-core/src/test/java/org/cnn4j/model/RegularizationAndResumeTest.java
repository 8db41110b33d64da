package org.cnn4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.io.ModelFile;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Flatten;
import org.cnn4j.layers.Padding;
import org.cnn4j.layers.Param;
import org.cnn4j.layers.Regularizer;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.optim.AdamW;
import org.cnn4j.optim.CosineDecay;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * L2 kernel regularisation as Keras applies it (l2·Σw² added to the loss, 2·l2·w to the gradient),
 * checked by finite differences of the whole model's loss; and AdamW with a cosine schedule saved
 * mid-training and resumed, ending bit-identical to a run that never stopped.
 */
class RegularizationAndResumeTest {

    private static Sequential small(long seed, double l2) {
        Sequential m = new Sequential(3, 4, 4).seed(seed)
                .add(new Conv2D(2, 3).padding(Padding.SAME).activation(Activation.TANH)
                        .kernelRegularizer(l2 > 0 ? Regularizer.l2(l2) : null))
                .add(new Flatten())
                .add(new Dense(3, Activation.SOFTMAX).kernelRegularizer(l2 > 0 ? Regularizer.l2(l2) : null));
        m.compile(new SGD(1e-9), new CategoricalCrossentropy());
        return m;
    }

    private static TensorDataset data(int n, long seed) {
        Rng r = new Rng(seed);
        Tensor x = Tensor.zeros(n, 3, 4, 4);
        int[] labels = new int[n];
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) r.uniform(-1, 1);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
        }
        return new TensorDataset(x, TensorDataset.oneHot(labels, 3));
    }

    @Test
    void l2AddsItsPenaltyToTheLossAndTwiceL2WToTheGradient() {
        double l2 = 0.05;
        TensorDataset d = data(6, 3);
        Tensor x = Tensor.zeros(6, 3, 4, 4), y = Tensor.zeros(6, 3);
        d.batch(new int[] {0, 1, 2, 3, 4, 5}, 0, 6, x.data(), y.data());
        Sequential plain = small(1, 0), reg = small(1, l2);
        List<float[]> w0 = values(reg.getWeights());
        double sumSq = 0;
        for (Param p : reg.params()) {
            if (p.name().equals("kernel")) {
                for (float v : p.value().data()) {
                    sumSq += (double) v * v;
                }
            }
        }
        double plainLoss = plain.trainOnBatch(x, y, null), regularizedLoss = reg.trainOnBatch(x, y, null);
        assertThat(regularizedLoss - plainLoss).isCloseTo(l2 * sumSq, within(1e-9)); // Keras's L2: l2 · Σ w², kernels only
        for (int i = 0; i < reg.params().size(); i++) {
            Param a = plain.params().get(i), b = reg.params().get(i);
            for (int j = 0; j < a.size(); j++) {
                float extra = a.name().equals("kernel") ? (float) (2 * l2) * w0.get(i)[j] : 0f;
                assertThat(b.grad().data()[j]).isEqualTo(a.grad().data()[j] + extra);
            }
        }
        // and the gradient is the derivative of the loss the model reports (finite differences)
        float[][] grads = reg.params().stream().map(p -> p.grad().data().clone()).toArray(float[][]::new);
        double h = 1e-3;
        for (int i = 0; i < w0.size(); i++) {
            for (int j = 0; j < w0.get(i).length; j += 7) {
                List<float[]> up = copy(w0), down = copy(w0);
                up.get(i)[j] += (float) h;
                down.get(i)[j] -= (float) h;
                reg.setWeights(tensors(reg, up));
                double lu = reg.evaluate(d, 6).loss();
                reg.setWeights(tensors(reg, down));
                double ld = reg.evaluate(d, 6).loss();
                double numeric = (lu - ld) / (up.get(i)[j] - (double) down.get(i)[j]);
                assertThat((double) grads[i][j]).as("param %d[%d]", i, j).isCloseTo(numeric, within(2e-3 + 1e-2 * Math.abs(numeric)));
            }
        }
    }

    private static List<float[]> values(List<Tensor> w) {
        return w.stream().map(Tensor::data).toList();
    }

    /** {@code values} in the shapes of the model's weights. */
    private static List<Tensor> tensors(Sequential m, List<float[]> values) {
        List<Tensor> shapes = m.getWeights();
        return java.util.stream.IntStream.range(0, values.size())
                .mapToObj(i -> Tensor.wrap(values.get(i), shapes.get(i).shape())).toList();
    }

    private static List<float[]> copy(List<float[]> w) {
        return w.stream().map(float[]::clone).toList();
    }

    @Test
    void regularizersComeBackFromTheModelFile() throws Exception {
        Sequential m = small(2, 1e-4);
        Sequential back = ModelFile.fromBytes(ModelFile.toBytes(m, false, Map.of()), "mem").model();
        assertThat(back.layers().get(0).config()).containsEntry("kernel_regularizer", "L2(l2=1.0E-4)");
        assertThat(back.layers().get(2).config()).isEqualTo(m.layers().get(2).config());
        TensorDataset d = data(4, 5);
        assertThat(back.evaluate(d, 4).loss()).isEqualTo(m.evaluate(d, 4).loss()); // the penalty counted in both
    }

    private static Sequential withAdamW(long seed) {
        Sequential m = small(seed, 1e-3);
        m.compile(new AdamW(1e-2, 0.004, 0.9, 0.999, 1e-7).learningRateSchedule(new CosineDecay(0, 20, 0.1, 1e-2, 4)),
                new CategoricalCrossentropy());
        return m;
    }

    @Test
    void adamWWithAScheduleResumesFromAModelFileBitForBit() throws Exception {
        TensorDataset d = data(20, 7);
        Sequential straight = withAdamW(4);
        straight.fit(d, new FitOptions().batchSize(5).epochs(4).shuffle(false));

        Sequential first = withAdamW(4);
        first.fit(d, new FitOptions().batchSize(5).epochs(2).shuffle(false));
        Sequential resumed = ModelFile.fromBytes(ModelFile.toBytes(first, true, Map.of()), "mem").model();
        assertThat(resumed.optimizer()).isInstanceOf(AdamW.class);
        assertThat(resumed.optimizer().iterations()).isEqualTo(8);
        assertThat(resumed.optimizer().learningRate()).isEqualTo(first.optimizer().learningRate());
        resumed.fit(d, new FitOptions().batchSize(5).epochs(4).initialEpoch(2).shuffle(false));

        List<float[]> a = values(straight.getWeights()), b = values(resumed.getWeights());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).containsExactly(a.get(i));
        }
        assertThat(resumed.optimizer().learningRate()).isEqualTo(straight.optimizer().learningRate());
    }

    @Test
    void fitEndsHoldingTheMovingAverageAndItsStateResumesBitForBit() throws Exception {
        TensorDataset d = data(12, 7);
        Tensor x = Tensor.zeros(4, 3, 4, 4), y = Tensor.zeros(4, 3);
        // the state after 3 steps, saved and loaded, then 3 more, against 6 steps without a stop
        Sequential whole = withEma(3), first = withEma(3);
        for (int step = 0; step < 6; step++) {
            d.batch(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, (step % 3) * 4, 4, x.data(), y.data());
            whole.trainOnBatch(x, y, null);
            if (step < 3) {
                first.trainOnBatch(x, y, null);
            }
        }
        Sequential resumed = ModelFile.fromBytes(ModelFile.toBytes(first, true, Map.of()), "mem").model();
        assertThat(resumed.optimizer().usesEma()).isTrue();
        for (int step = 3; step < 6; step++) {
            d.batch(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, (step % 3) * 4, 4, x.data(), y.data());
            resumed.trainOnBatch(x, y, null);
        }
        for (int i = 0; i < whole.params().size(); i++) {
            assertThat(resumed.params().get(i).value().data()).isEqualTo(whole.params().get(i).value().data());
            assertThat(resumed.optimizer().slots().get(i)[2]).isEqualTo(whole.optimizer().slots().get(i)[2]);
        }
        // fit trains the raw weights (as the same fit without an average) and ends holding the averages
        Sequential plain = small(3, 0), averaged = withEma(3);
        plain.compile(new org.cnn4j.optim.Adam(), new CategoricalCrossentropy());
        FitOptions options = new FitOptions().batchSize(4).epochs(2).shuffle(false);
        plain.fit(d, options);
        averaged.fit(d, options);
        for (int i = 0; i < averaged.params().size(); i++) {
            float[] w = averaged.params().get(i).value().data();
            assertThat(w).isEqualTo(averaged.optimizer().slots().get(i)[2]).isNotEqualTo(plain.params().get(i).value().data());
        }
    }

    private static Sequential withEma(long seed) {
        Sequential m = small(seed, 0);
        m.compile(new org.cnn4j.optim.Adam().useEma(0.5), new CategoricalCrossentropy());
        return m;
    }
}
