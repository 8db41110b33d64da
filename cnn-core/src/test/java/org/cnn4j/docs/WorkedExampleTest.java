package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.cnn4j.init.Rng;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Param;
import org.cnn4j.layers.ReLU;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The worked example of {@code docs/worked-example.md}, number by number: every value printed in
 * that page is asserted here to the precision it is printed with. If this test fails, fix the page
 * (or the code), never the tolerance.
 *
 * <p>The network: x [1, 2] -> Dense 2->2 -> ReLU -> Dense 2->2 softmax, categorical cross-entropy
 * against the one-hot target [0, 1].
 */
class WorkedExampleTest {
    static final float[] X = {1f, 2f};
    static final float[] TARGET = {0f, 1f};
    static final float[] W1 = {0.5f, -1f, 0.25f, 0.5f}; // [I=2, U=2], row i = input i
    static final float[] B1 = {0.5f, -0.5f};
    static final float[] W2 = {1f, -1f, 0.5f, 2f};
    static final float[] B2 = {-0.5f, 0.5f};

    /** Asserts that {@code actual} rounds to {@code printed} at the number of decimals printed. */
    static void assertPrinted(double actual, String printed) {
        BigDecimal p = new BigDecimal(printed);
        double halfUnit = 0.5 * Math.pow(10, -p.scale());
        // float32 arithmetic may sit a hair past the rounding boundary; allow 1e-7 on top of half a unit
        assertThat(Math.abs(actual - p.doubleValue())).as("%s printed as %s", actual, printed)
                .isLessThanOrEqualTo(halfUnit + 1e-7);
    }

    static void assertPrinted(float[] actual, String... printed) {
        assertThat(actual).hasSize(printed.length);
        for (int i = 0; i < printed.length; i++) {
            assertPrinted(actual[i], printed[i]);
        }
    }

    private static void set(Param p, float[] values) {
        System.arraycopy(values, 0, p.value().data(), 0, values.length);
    }

    @Test
    void forwardAndBackwardLayerByLayer() {
        Dense dense1 = new Dense(2);
        ReLU relu = new ReLU();
        Dense dense2 = new Dense(2, Activation.SOFTMAX);
        dense1.build(new int[] {2}, new Rng(0));
        relu.build(new int[] {2}, new Rng(0));
        dense2.build(new int[] {2}, new Rng(0));
        set(dense1.params().get(0), W1);
        set(dense1.params().get(1), B1);
        set(dense2.params().get(0), W2);
        set(dense2.params().get(1), B2);
        CategoricalCrossentropy cce = new CategoricalCrossentropy();
        Tensor x = Tensor.wrap(X.clone(), 1, 2);
        Tensor y = Tensor.wrap(TARGET.clone(), 1, 2);

        // forward
        Tensor a = dense1.forward(x, true);
        assertPrinted(a.data(), "1.5", "-0.5");
        Tensor h = relu.forward(a, true);
        assertPrinted(h.data(), "1.5", "0");
        Tensor p = dense2.forward(h, true);
        assertPrinted(p.data(), "0.880797", "0.119203");
        assertPrinted(cce.value(p, y), "2.126928");

        // the fused gradient at the logits, then back through dense2
        Tensor dz = Tensor.zeros(1, 2);
        assertThat(cce.gradientFromLogits(p, y, dz)).isTrue();
        assertPrinted(dz.data(), "0.880797", "-0.880797");
        Tensor dh = dense2.backwardFromLogits(dz);
        assertPrinted(dense2.params().get(0).grad().data(), "1.321196", "-1.321196", "0", "0");
        assertPrinted(dense2.params().get(1).grad().data(), "0.880797", "-0.880797");
        assertPrinted(dh.data(), "1.761594", "-1.321196");

        // ReLU gates the gradient of the unit that was off
        Tensor da = relu.backward(dh);
        assertPrinted(da.data(), "1.761594", "0");

        // dense1 (its input gradient is computed: a freshly built layer needs it by default)
        Tensor dx = dense1.backward(da);
        assertPrinted(dense1.params().get(0).grad().data(), "1.761594", "0", "3.523188", "0");
        assertPrinted(dense1.params().get(1).grad().data(), "1.761594", "0");
        assertPrinted(dx.data(), "0.880797", "0.440399");
    }

    @Test
    void unfusedPathThroughTheSoftmaxJacobianGivesTheSameLogitGradient() {
        Dense dense2 = new Dense(2, Activation.SOFTMAX);
        dense2.build(new int[] {2}, new Rng(0));
        set(dense2.params().get(0), W2);
        set(dense2.params().get(1), B2);
        Tensor p = dense2.forward(Tensor.wrap(new float[] {1.5f, 0f}, 1, 2), true);
        Tensor dp = Tensor.zeros(1, 2);
        new CategoricalCrossentropy().gradient(p, Tensor.wrap(TARGET.clone(), 1, 2), dp);
        assertPrinted(dp.data(), "0", "-8.389056");
        // Dense#backward applies the softmax Jacobian, then the same code as backwardFromLogits
        Tensor dh = dense2.backward(dp);
        assertPrinted(dense2.params().get(1).grad().data(), "0.880797", "-0.880797");
        assertPrinted(dh.data(), "1.761594", "-1.321196");
    }

    @Test
    void sequentialTrainOnBatchTakesOneSgdStep() {
        Sequential model = new Sequential(2)
                .add(new Dense(2, Activation.RELU))
                .add(new Dense(2, Activation.SOFTMAX));
        model.compile(new SGD(0.1), new CategoricalCrossentropy());
        model.setWeights(List.of(Tensor.wrap(W1.clone(), 2, 2), Tensor.wrap(B1.clone(), 2), Tensor.wrap(W2.clone(), 2, 2),
                Tensor.wrap(B2.clone(), 2)));
        Tensor x = Tensor.wrap(X.clone(), 1, 2);
        Tensor y = Tensor.wrap(TARGET.clone(), 1, 2);

        assertPrinted(model.trainOnBatch(x, y, null), "2.126928");

        List<Param> ps = model.params();
        // the gradients of that step, as in the layer-by-layer test
        assertPrinted(ps.get(0).grad().data(), "1.761594", "0", "3.523188", "0");
        assertPrinted(ps.get(1).grad().data(), "1.761594", "0");
        assertPrinted(ps.get(2).grad().data(), "1.321196", "-1.321196", "0", "0");
        assertPrinted(ps.get(3).grad().data(), "0.880797", "-0.880797");
        // w <- w - 0.1 * g
        assertPrinted(ps.get(0).value().data(), "0.323841", "-1", "-0.102319", "0.5");
        assertPrinted(ps.get(1).value().data(), "0.323841", "-0.5");
        assertPrinted(ps.get(2).value().data(), "0.867880", "-0.867880", "0.5", "2");
        assertPrinted(ps.get(3).value().data(), "-0.588080", "0.588080");

        // forward again with the new weights
        Tensor h = model.layers().get(0).forward(x, false);
        assertPrinted(h.data(), "0.443044", "0");
        Dense logits = new Dense(2);
        logits.build(new int[] {2}, new Rng(0));
        set(logits.params().get(0), ps.get(2).value().data());
        set(logits.params().get(1), ps.get(3).value().data());
        assertPrinted(logits.forward(h, false).data(), "-0.203571", "0.203571");
        Tensor p = model.predict(x);
        assertPrinted(p.data(), "0.399598", "0.600402");
        assertPrinted(new CategoricalCrossentropy().value(p, y), "0.510155");
    }
}
