package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnn4j.docs.WorkedExampleTest.assertPrinted;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnn4j.callbacks.ReduceLROnPlateau;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Param;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.RMSprop;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The numbers of {@code docs/optimizers.md} that the optimizer tests do not already pin down. */
class OptimizerExamplesTest {

    /** The weight after each step of {@code opt} on one scalar weight, fed {@code grads} in turn. */
    private static float[] steps(Optimizer opt, float w, float... grads) {
        Param p = new Param("w", 1);
        p.value().data()[0] = w;
        float[] out = new float[grads.length];
        for (int i = 0; i < grads.length; i++) {
            p.grad().data()[0] = grads[i];
            opt.step(List.of(p));
            out[i] = p.value().data()[0];
        }
        return out;
    }

    @Test
    void sgdMomentumAndNesterovOnAConstantGradient() {
        assertPrinted(steps(new SGD(0.1), 1f, 1f, 1f), "0.9", "0.8");
        assertPrinted(steps(new SGD(0.1, 0.9, false), 1f, 1f, 1f), "0.9", "0.71");
        assertPrinted(steps(new SGD(0.1, 0.9, true), 1f, 1f, 1f), "0.81", "0.539");
    }

    @Test
    void rmspropTwoSteps() {
        RMSprop opt = new RMSprop(0.01, 0.9, 1e-8, false);
        assertPrinted(steps(opt, 1f, 0.5f, -0.2f), "0.968377", "0.980663");
        assertPrinted(opt.slots().get(0)[0][0], "0.0265");
        // the seed kernel's RMSprop: the first step is lr / sqrt(1 - rho) = 3.16 lr, whatever the gradient
        assertPrinted(steps(new RMSprop(1e-3), 0f, 0.02f), "-0.003162");
        assertPrinted(steps(new RMSprop(1e-3), 0f, -7f), "0.003162");
    }

    @Test
    void rmspropEpsilonPlacement() {
        assertPrinted(steps(new RMSprop(1, 0.9, 1e-2, false), 0f, 1e-4f), "-0.009968");
        assertPrinted(steps(new RMSprop(1, 0.9, 1e-2, true), 0f, 1e-4f), "-0.001000");
    }

    @Test
    void adamTwoSteps() {
        Adam opt = new Adam(0.01, 0.9, 0.999, 1e-7);
        assertPrinted(steps(opt, 0f, 3f, -1f), "-0.010000", "-0.014002");
        assertPrinted(opt.slots().get(0)[0][0], "0.17");
        assertPrinted(opt.slots().get(0)[1][0], "0.009991");
    }

    @Test
    void learningRateSchedulerSetsTheRateAtTheStartOfEachEpoch() {
        Sequential model = new Sequential(2).seed(1).add(new Dense(2, Activation.SOFTMAX));
        model.compile(new SGD(0.1), new CategoricalCrossentropy());
        Tensor x = Tensor.wrap(new float[] {1, 0, 0, 1, 1, 1, 0, 0}, 4, 2);
        Tensor y = TensorDataset.oneHot(new int[] {0, 1, 0, 1}, 2);
        History h = model.fit(x, y, new FitOptions().batchSize(2).epochs(5)
                .callbacks(new LearningRateScheduler(epoch -> 0.1 * Math.pow(0.5, epoch / 2))));
        assertThat(h.get("lr")).containsExactly(0.1, 0.1, 0.05, 0.05, 0.025);
    }

    private static List<Double> lrs(ReduceLROnPlateau cb, double... valAccuracy) {
        Sequential m = new Sequential(2).add(new Dense(2));
        m.compile(new RMSprop(1e-3), null);
        cb.onTrainBegin(m, valAccuracy.length, 1);
        List<Double> out = new ArrayList<>();
        for (int e = 0; e < valAccuracy.length; e++) {
            cb.onEpochEnd(e, Map.of("val_accuracy", valAccuracy[e]));
            out.add(m.optimizer().learningRate());
        }
        return out;
    }

    @Test
    void modernAndLegacyPatienceOnAFlatHistory() {
        double[] flat = {0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9};
        assertThat(lrs(new ReduceLROnPlateau("val_accuracy", 0.5, 3), flat))
                .containsExactly(1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 2.5e-4, 2.5e-4);
        assertThat(lrs(new ReduceLROnPlateau("val_accuracy", 0.5, 3).legacyPatience(true), flat))
                .containsExactly(1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 2.5e-4);
    }

    @Test
    void theSeedKernelsScheduleStopsAtMinLr() {
        // patience 1 so that every epoch after the first is a reduction: the sequence of rates
        double[] flat = new double[10];
        java.util.Arrays.fill(flat, 0.99);
        List<Double> lr = lrs(new ReduceLROnPlateau("val_accuracy", 0.5, 1).minLr(1e-5), flat);
        double[] expected = {1e-3, 5e-4, 2.5e-4, 1.25e-4, 6.25e-5, 3.125e-5, 1.5625e-5, 1e-5, 1e-5, 1e-5};
        for (int i = 0; i < expected.length; i++) {
            assertThat(lr.get(i)).as("epoch %d", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-15));
        }
        // the seed kernel's own callback, as optimizers.md writes it
        ReduceLROnPlateau seed = new ReduceLROnPlateau("val_accuracy", 0.5, 3).minLr(1e-5).legacyPatience(true);
        assertThat(lrs(seed, 0.98, 0.98, 0.98, 0.98, 0.98)).containsExactly(1e-3, 1e-3, 1e-3, 1e-3, 5e-4);
    }
}
