package org.cnn4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cnn4j.layers.Param;
import org.junit.jupiter.api.Test;

/**
 * AdamW steps by hand (Keras 3's keras/src/optimizers/adamw.py + base_optimizer.py
 * {@code _apply_weight_decay}: {@code w -= w·wd·lr}, then Adam), and the learning-rate schedules'
 * values from keras/src/optimizers/schedules/learning_rate_schedule.py.
 */
class AdamWAndSchedulesTest {

    private static Param param(String name, float w, float g) {
        Param p = new Param(name, 1);
        p.value().data()[0] = w;
        p.grad().data()[0] = g;
        return p;
    }

    @Test
    void kerasDefaults() {
        AdamW o = new AdamW();
        assertThat(o.config()).containsEntry("learning_rate", "0.001").containsEntry("weight_decay", "0.004")
                .containsEntry("beta_1", "0.9").containsEntry("beta_2", "0.999").containsEntry("epsilon", "1.0E-7");
    }

    @Test
    void twoAdamWStepsByHand() {
        double lr = 0.01, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        Param p = param("kernel", 2f, 0.5f);
        AdamW opt = new AdamW(lr, wd, b1, b2, eps);
        opt.step(List.of(p));
        // step 1: decay, then m = 0.05, v = 0.00025, alpha = lr·sqrt(1-b2)/(1-b1)
        double w = 2 - 2 * wd * lr, m = (1 - b1) * 0.5, v = (1 - b2) * 0.25;
        w -= lr * Math.sqrt(1 - b2) / (1 - b1) * m / (Math.sqrt(v) + eps);
        assertThat((double) p.value().data()[0]).isCloseTo(w, within(1e-6));
        p.grad().data()[0] = -0.3f;
        opt.step(List.of(p));
        w -= w * wd * lr;
        m = b1 * m + (1 - b1) * -0.3;
        v = b2 * v + (1 - b2) * 0.09;
        w -= lr * Math.sqrt(1 - b2 * b2) / (1 - b1 * b1) * m / (Math.sqrt(v) + eps);
        assertThat((double) p.value().data()[0]).isCloseTo(w, within(1e-6));
    }

    @Test
    void withoutDecayAdamWIsAdamBitForBit() {
        Param a = param("kernel", 0.7f, 0.2f), b = param("kernel", 0.7f, 0.2f);
        Adam adam = new Adam(0.01, 0.9, 0.999, 1e-7);
        AdamW adamw = new AdamW(0.01, 0, 0.9, 0.999, 1e-7);
        for (int i = 0; i < 5; i++) {
            adam.step(List.of(a));
            adamw.step(List.of(b));
            a.grad().data()[0] = b.grad().data()[0] = 0.1f * i - 0.2f;
        }
        assertThat(b.value().data()[0]).isEqualTo(a.value().data()[0]);
    }

    @Test
    void excludedParametersAreNotDecayed() {
        Param kernel = param("kernel", 1f, 0f), bias = param("bias", 1f, 0f);
        new AdamW(0.1, 0.5, 0.9, 0.999, 1e-7).excludeFromWeightDecay("bias").step(List.of(kernel, bias));
        assertThat(kernel.value().data()[0]).isEqualTo(1f - 1f * 0.5f * 0.1f); // zero gradient: only the decay
        assertThat(bias.value().data()[0]).isEqualTo(1f);
    }

    @Test
    void exponentialAndStepDecay() {
        ExponentialDecay smooth = new ExponentialDecay(0.1, 10, 0.5, false);
        assertThat(smooth.at(0)).isEqualTo(0.1);
        assertThat(smooth.at(5)).isCloseTo(0.1 * Math.sqrt(0.5), within(1e-15));
        ExponentialDecay stairs = new ExponentialDecay(0.1, 10, 0.5, true);
        assertThat(stairs.at(9)).isEqualTo(0.1);
        assertThat(stairs.at(10)).isEqualTo(0.05);
        assertThat(stairs.at(29)).isEqualTo(0.025);
        PiecewiseConstantDecay pieces = new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1, 0.5, 0.1});
        assertThat(List.of(pieces.at(0), pieces.at(10), pieces.at(11), pieces.at(20), pieces.at(21)))
                .containsExactly(1.0, 1.0, 0.5, 0.5, 0.1); // Keras: values[0] while step <= boundaries[0]
        assertThatThrownBy(() -> new PiecewiseConstantDecay(new long[] {5}, new double[] {1})).hasMessageContaining("one more value");
    }

    @Test
    void cosineDecayWithLinearWarmup() {
        CosineDecay s = new CosineDecay(0, 100, 0.1, 1e-3, 10);
        assertThat(s.at(0)).isEqualTo(0.0);
        assertThat(s.at(5)).isCloseTo(5e-4, within(1e-18));
        assertThat(s.at(10)).isCloseTo(1e-3, within(1e-18)); // the decay starts at the target
        assertThat(s.at(60)).isCloseTo(1e-3 * (0.9 * 0.5 * (1 + Math.cos(Math.PI / 2)) + 0.1), within(1e-18));
        assertThat(s.at(110)).isCloseTo(1e-4, within(1e-18)); // alpha · target
        assertThat(s.at(10_000)).isCloseTo(1e-4, within(1e-18));
        CosineDecay plain = new CosineDecay(0.1, 50);
        assertThat(plain.at(25)).isCloseTo(0.05, within(1e-15));
        assertThat(plain.at(50)).isCloseTo(0, within(1e-15));
    }

    @Test
    void theOptimizerEvaluatesTheScheduleAtTheStepsBeforeEachStep() {
        Param p = param("w", 0f, 1f);
        Optimizer sgd = new SGD(1).learningRateSchedule(new ExponentialDecay(1, 1, 0.5, true));
        assertThat(sgd.learningRate()).isEqualTo(1.0);
        sgd.step(List.of(p)); // lr(0) = 1
        sgd.step(List.of(p)); // lr(1) = 0.5
        sgd.step(List.of(p)); // lr(2) = 0.25
        assertThat(p.value().data()[0]).isEqualTo(-1.75f);
        assertThat(sgd.learningRate()).isEqualTo(0.125); // the next step's, as Keras's optimizer.learning_rate
        assertThatThrownBy(() -> sgd.setLearningRate(0.1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ExponentialDecay");
    }

    @Test
    void configurationsComeBackWithTheirSchedule() {
        for (Optimizer o : List.of(new AdamW(2e-3, 0.01, 0.8, 0.99, 1e-6).excludeFromWeightDecay("bias", "gamma"),
                new AdamW().learningRateSchedule(new CosineDecay(0, 1000, 0.05, 2e-3, 100)),
                new Adam().learningRateSchedule(new PiecewiseConstantDecay(new long[] {3}, new double[] {1e-3, 1e-4})),
                new SGD(0.1, 0.9, true).learningRateSchedule(new ExponentialDecay(0.1, 700, 0.95, true)))) {
            Optimizer back = Optimizer.fromConfig(o.name(), o.config());
            assertThat(back.getClass()).isEqualTo(o.getClass());
            assertThat(back.config()).isEqualTo(o.config());
        }
        // a schedule at a rate of 0 (a warm-up's first step) still loads
        Optimizer warm = new AdamW().learningRateSchedule(new CosineDecay(0, 10, 0, 1e-3, 5));
        assertThat(warm.learningRate()).isEqualTo(0.0);
        assertThat(Optimizer.fromConfig("AdamW", warm.config()).learningRate()).isEqualTo(0.0);
    }
}
