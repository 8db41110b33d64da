package org.cnn4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cnn4j.layers.Param;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' moving average of the weights, Keras's {@code use_ema}: it follows the weights
 * without changing them, by Keras's formula (keras/src/optimizers/base_optimizer.py,
 * {@code _update_model_variables_moving_average}: avg = m·avg + (1 - m)·w, m = 0 at the first step).
 */
class MovingAverageTest {

    /** Two parameters of random values, one spanning two of the step's parallel ranges. */
    private static List<Param> params(long seed) {
        Param a = new Param("a", 7), b = new Param("b", Optimizer.RANGE + 5);
        SplittableRandom r = new SplittableRandom(seed);
        for (Param p : List.of(a, b)) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data()[i] = (float) r.nextDouble(-1, 1);
            }
        }
        return List.of(a, b);
    }

    private static void gradients(List<Param> ps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Param p : ps) {
            for (int i = 0; i < p.size(); i++) {
                p.grad().data()[i] = (float) r.nextDouble(-1, 1);
            }
        }
    }

    @Test
    void theAverageFollowsKerasFormulaAndLeavesTheStepsAlone() {
        List<Param> plain = params(1), averaged = params(1);
        Adam a = new Adam(), b = new Adam();
        b.useEma(0.9);
        float m = 0.9f;
        float[][] expected = new float[2][];
        for (int step = 1; step <= 6; step++) {
            gradients(plain, 100 + step);
            gradients(averaged, 100 + step);
            a.step(plain);
            b.step(averaged);
            for (int i = 0; i < 2; i++) {
                float[] w = averaged.get(i).value().data();
                assertThat(w).as("step %d: the weights are the plain optimizer's", step).isEqualTo(plain.get(i).value().data());
                if (step == 1) {
                    expected[i] = w.clone(); // m = 0 at the first step: the average starts as the weights
                } else {
                    for (int j = 0; j < w.length; j++) {
                        expected[i][j] = m * expected[i][j] + (1 - m) * w[j];
                    }
                }
                float[][] slots = b.slots().get(i);
                assertThat(slots.length).isEqualTo(3); // Adam's m and v, then the average
                assertThat(slots[2]).as("step %d, parameter %d", step, i).isEqualTo(expected[i]);
            }
        }
        assertThat(a.slots().get(0).length).isEqualTo(2);
        b.finalizeVariableValues(averaged);
        assertThat(averaged.get(1).value().data()).isEqualTo(expected[1]).isNotEqualTo(plain.get(1).value().data());
    }

    @Test
    void finalizeDoesNothingWithoutAnAverage() {
        List<Param> ps = params(2);
        gradients(ps, 3);
        SGD sgd = new SGD(0.1);
        sgd.step(ps);
        float[] before = ps.get(0).value().data().clone();
        sgd.finalizeVariableValues(ps);
        assertThat(ps.get(0).value().data()).isEqualTo(before);
    }

    @Test
    void theSettingRoundTripsAndItsAbsenceReadsAsOff() {
        Optimizer o = new RMSprop(1e-3).useEma(0.999);
        Optimizer back = Optimizer.fromConfig(o.name(), o.config());
        assertThat(back.usesEma()).isTrue();
        assertThat(back.emaMomentum()).isEqualTo(0.999);
        Map<String, String> before = new RMSprop(1e-3).config(); // as written before use_ema existed
        assertThat(before).doesNotContainKey("use_ema");
        assertThat(Optimizer.fromConfig("RMSprop", before).usesEma()).isFalse();
    }

    @Test
    void stateOfTheWrongWidthAndLateOrBadSettingsAreRefused() {
        Adam withAverage = new Adam();
        withAverage.useEma(0.99);
        assertThatThrownBy(() -> withAverage.restore(List.<float[][]>of(new float[2][3]), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps 3");
        assertThatThrownBy(() -> new Adam().useEma(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ema_momentum must be in [0, 1]");
        List<Param> ps = params(4);
        gradients(ps, 5);
        Adam stepped = new Adam();
        stepped.step(ps);
        assertThatThrownBy(() -> stepped.useEma(0.9)).isInstanceOf(IllegalStateException.class);
    }
}
