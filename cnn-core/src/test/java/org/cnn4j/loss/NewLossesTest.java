package org.cnn4j.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Sparse categorical and binary cross-entropy and mean squared error: known values written in
 * double precision from Keras's definitions (keras/src/losses/losses.py and the TensorFlow backend's
 * keras/src/backend/tensorflow/nn.py: clip to [1e-7, 1 - 1e-7], mean over the last axis, then over
 * the batch), and gradients against central finite differences of the loss itself.
 */
class NewLossesTest {
    private static final double EPS = 1e-7;

    private static Tensor uniform(long seed, double lo, double hi, int... shape) {
        Tensor t = Tensor.zeros(shape);
        Rng r = new Rng(seed);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.uniform(lo, hi);
        }
        return t;
    }

    /** Central differences of {@code loss.value} in double, compared with {@code loss.gradient}. */
    private static void assertGradient(Loss loss, Tensor pred, Tensor target) {
        Tensor g = Tensor.zeros(pred.shape());
        loss.gradient(pred, target, g);
        double h = 1e-3;
        for (int i = 0; i < pred.size(); i++) {
            float keep = pred.data()[i];
            pred.data()[i] = keep + (float) h;
            double up = loss.value(pred, target);
            pred.data()[i] = keep - (float) h;
            double down = loss.value(pred, target);
            pred.data()[i] = keep;
            double numeric = (up - down) / (((double) (keep + (float) h)) - (keep - (float) h));
            assertThat((double) g.data()[i]).as("%s d/dpred[%d]", loss.name(), i)
                    .isCloseTo(numeric, within(2e-3 + 1e-2 * Math.abs(numeric)));
        }
    }

    @Test
    void sparseValueIsTheMeanNegativeLogOfTheLabelledProbability() {
        Tensor p = Tensor.wrap(new float[] {0.7f, 0.2f, 0.1f, 0.25f, 0.25f, 0.5f, 0f, 1f, 0f}, 3, 3);
        Tensor y = Tensor.wrap(new float[] {0, 2, 0}, 3);
        // the third sample's probability 0 is clipped to 1e-7
        double expected = -(Math.log(0.7f) + Math.log(0.5f) + Math.log(EPS)) / 3;
        assertThat(new SparseCategoricalCrossentropy().value(p, y)).isCloseTo(expected, within(1e-6));
        assertThat(new SparseCategoricalCrossentropy().value(p, y.reshape(3, 1))).isCloseTo(expected, within(1e-6));
    }

    @Test
    void sparseFromLogitsIsLogSumExpMinusTheLabelledLogit() {
        Tensor z = Tensor.wrap(new float[] {2f, -1f, 0.5f, 0f, 3f, -2f}, 2, 3);
        Tensor y = Tensor.wrap(new float[] {2, 1}, 2);
        double l0 = Math.log(Math.exp(2) + Math.exp(-1) + Math.exp(0.5)) - 0.5;
        double l1 = Math.log(Math.exp(0) + Math.exp(3) + Math.exp(-2)) - 3;
        assertThat(new SparseCategoricalCrossentropy(true).value(z, y)).isCloseTo((l0 + l1) / 2, within(1e-6));
    }

    @Test
    void sparseEqualsCategoricalOnTheSameClasses() {
        Tensor p = uniform(3, 0.05, 0.9, 4, 5);
        Tensor labels = Tensor.wrap(new float[] {4, 0, 2, 2}, 4, 1);
        Tensor oneHot = org.cnn4j.data.TensorDataset.oneHot(new int[] {4, 0, 2, 2}, 5);
        assertThat(new SparseCategoricalCrossentropy().value(p, labels))
                .isEqualTo(new CategoricalCrossentropy().value(p, oneHot));
        Tensor gs = Tensor.zeros(4, 5), gc = Tensor.zeros(4, 5);
        assertThat(new SparseCategoricalCrossentropy().gradientFromLogits(p, labels, gs)).isTrue();
        new CategoricalCrossentropy().gradientFromLogits(p, oneHot, gc);
        assertThat(gs.data()).containsExactly(gc.data()); // the fused softmax gradient, bit for bit
    }

    @Test
    void sparseGradientsMatchFiniteDifferences() {
        Tensor labels = Tensor.wrap(new float[] {1, 3, 0}, 3);
        assertGradient(new SparseCategoricalCrossentropy(), uniform(5, 0.1, 0.9, 3, 4), labels);
        assertGradient(new SparseCategoricalCrossentropy(true), uniform(6, -2, 2, 3, 4), labels);
    }

    @Test
    void sparseRejectsALabelThatIsNotAClassIndex() {
        Tensor p = uniform(1, 0.1, 0.9, 2, 3);
        assertThatThrownBy(() -> new SparseCategoricalCrossentropy().value(p, Tensor.wrap(new float[] {0, 3}, 2)))
                .hasMessageContaining("label 3.0 of sample 1");
        assertThatThrownBy(() -> new SparseCategoricalCrossentropy().value(p, Tensor.wrap(new float[] {0.5f, 1}, 2)))
                .hasMessageContaining("label 0.5 of sample 0");
        assertThatThrownBy(() -> new SparseCategoricalCrossentropy().value(p, Tensor.zeros(2, 3)))
                .hasMessageContaining("integer labels");
    }

    @Test
    void binaryValueClipsLikeKeras() {
        // two samples of two outputs; 0 and 1 are clipped to 1e-7 and 1 - 1e-7
        Tensor p = Tensor.wrap(new float[] {0.9f, 0.2f, 0f, 1f}, 2, 2);
        Tensor y = Tensor.wrap(new float[] {1, 0, 1, 1}, 2, 2);
        double s0 = -(Math.log(0.9f) + Math.log(1 - (double) 0.2f)) / 2;
        double one = 1 - (double) (1f - 1e-7f); // 1 - clip(1) in float, as the clip is done in float
        double s1 = -(Math.log(EPS) + Math.log(1 - one)) / 2;
        assertThat(new BinaryCrossentropy().value(p, y)).isCloseTo((s0 + s1) / 2, within(1e-5));
    }

    @Test
    void binaryFromLogitsIsTheSigmoidCrossEntropy() {
        Tensor z = Tensor.wrap(new float[] {2f, -3f, 0f, 40f}, 4, 1);
        Tensor y = Tensor.wrap(new float[] {1, 1, 0, 0}, 4, 1);
        double expected = 0;
        float[] zs = z.data(), ys = y.data();
        for (int i = 0; i < 4; i++) {
            double s = 1 / (1 + Math.exp(-zs[i]));
            // the textbook form; for z = 40, log(1 - s) is -40 up to 4e-18
            expected += -(ys[i] * Math.log(s) + (1 - ys[i]) * (i == 3 ? -40 - Math.exp(-40) : Math.log(1 - s)));
        }
        assertThat(new BinaryCrossentropy(true).value(z, y)).isCloseTo(expected / 4, within(1e-9));
    }

    @Test
    void binaryGradientsMatchFiniteDifferences() {
        Tensor y = uniform(8, 0, 1, 3, 2); // soft targets are allowed
        assertGradient(new BinaryCrossentropy(), uniform(9, 0.1, 0.9, 3, 2), y);
        assertGradient(new BinaryCrossentropy(true), uniform(10, -3, 3, 3, 2), y);
    }

    @Test
    void meanSquaredErrorIsTheMeanOverEveryElement() {
        Tensor p = Tensor.wrap(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3);
        Tensor y = Tensor.wrap(new float[] {1f, 0f, 3.5f, 4f, 7f, 3f}, 2, 3);
        assertThat(new MeanSquaredError().value(p, y)).isCloseTo((0 + 4 + 0.25 + 0 + 4 + 9) / 6.0, within(1e-12));
        assertGradient(new MeanSquaredError(), uniform(11, -1, 1, 2, 3, 2), uniform(12, -1, 1, 2, 3, 2));
        assertThatThrownBy(() -> new MeanSquaredError().value(p, Tensor.zeros(2, 2))).hasMessageContaining("shape");
    }

    @Test
    void lossesRoundTripThroughTheirSpec() {
        for (Loss l : new Loss[] {new CategoricalCrossentropy(), new SparseCategoricalCrossentropy(),
                new SparseCategoricalCrossentropy(true), new BinaryCrossentropy(), new BinaryCrossentropy(true),
                new MeanSquaredError()}) {
            Loss back = Losses.parse(Losses.spec(l));
            assertThat(back.getClass()).isEqualTo(l.getClass());
            assertThat(back.config()).isEqualTo(l.config());
        }
        assertThat(Losses.spec(new BinaryCrossentropy(true))).isEqualTo("binary_crossentropy[from_logits=true]");
        assertThatThrownBy(() -> Losses.parse("hinge")).hasMessageContaining("unknown loss 'hinge'");
    }
}
