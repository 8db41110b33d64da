package org.cnn4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.internal.kernels.ScalarKernels;
import org.cnn4j.layers.Param;
import org.junit.jupiter.api.Test;

/** Optimizer steps computed by hand. */
class OptimizerTest {

    private static Param param(float w, float g) {
        Param p = new Param("w", 1);
        p.value().data()[0] = w;
        p.grad().data()[0] = g;
        return p;
    }

    @Test
    void twoRmspropStepsByHand() {
        // a1 = 0.1*0.5^2 = 0.025; w1 = 1 - 0.01*0.5/(sqrt(0.025)+1e-8) = 1 - 0.0316227760
        // a2 = 0.9*0.025 + 0.1*(-0.2)^2 = 0.0265; w2 = w1 + 0.01*0.2/(sqrt(0.0265)+1e-8)
        Param p = param(1f, 0.5f);
        RMSprop opt = new RMSprop(0.01, 0.9, 1e-8, false);
        opt.step(List.of(p));
        double w1 = 1 - 0.01 * 0.5 / (Math.sqrt(0.025) + 1e-8);
        assertThat((double) p.value().data()[0]).isCloseTo(w1, within(1e-6));
        p.grad().data()[0] = -0.2f;
        opt.step(List.of(p));
        double w2 = w1 + 0.01 * 0.2 / (Math.sqrt(0.0265) + 1e-8);
        assertThat((double) p.value().data()[0]).isCloseTo(w2, within(1e-6));
        assertThat((double) opt.slots().get(0)[0][0]).isCloseTo(0.0265, within(1e-8));
    }

    @Test
    void rmspropEpsilonInsideTheRootDiffersWhenTheAccumulatorIsTiny() {
        Param outside = param(0f, 1e-4f), inside = param(0f, 1e-4f);
        new RMSprop(1, 0.9, 1e-2, false).step(List.of(outside));
        new RMSprop(1, 0.9, 1e-2, true).step(List.of(inside));
        // a = 1e-9: outside 1e-4/(3.16e-5 + 1e-2); inside 1e-4/sqrt(1e-9 + 1e-2)
        assertThat((double) outside.value().data()[0]).isCloseTo(-1e-4 / (Math.sqrt(1e-9) + 1e-2), within(1e-8));
        assertThat((double) inside.value().data()[0]).isCloseTo(-1e-4 / Math.sqrt(1e-9 + 1e-2), within(1e-8));
    }

    @Test
    void sgdWithMomentumByHand() {
        Param p = param(1f, 1f);
        SGD opt = new SGD(0.1, 0.9, false);
        opt.step(List.of(p)); // v = -0.1, w = 0.9
        opt.step(List.of(p)); // v = -0.09 - 0.1 = -0.19, w = 0.71
        assertThat((double) p.value().data()[0]).isCloseTo(0.71, within(1e-6));
    }

    @Test
    void adamFirstStepMovesByTheLearningRate() {
        // at t=1 the bias-corrected m/sqrt(v) is g/|g| = 1, so the step is lr (up to epsilon)
        Param p = param(0f, 3f);
        new Adam(0.01, 0.9, 0.999, 1e-7).step(List.of(p));
        assertThat((double) p.value().data()[0]).isCloseTo(-0.01, within(1e-6));
    }

    @Test
    void learningRateMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RMSprop(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Parameters larger than one range, one exactly a range, and tiny ones, with random values. */
    private static List<Param> params(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Param> ps = new ArrayList<>();
        for (int size : new int[] {2 * Optimizer.RANGE + 37, 7, Optimizer.RANGE, 1, Optimizer.RANGE - 1}) {
            Param p = new Param("p" + size, size);
            for (int i = 0; i < size; i++) {
                p.value().data()[i] = (float) r.nextDouble(-1, 1);
                p.grad().data()[i] = (float) r.nextDouble(-1, 1);
            }
            ps.add(p);
        }
        return ps;
    }

    /** Three steps with new gradients each time, on {@code threads} threads; the final weights and slots. */
    private static List<float[]> threeSteps(Supplier<Optimizer> make, int threads) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            List<Param> ps = params(5);
            Optimizer opt = make.get();
            SplittableRandom r = new SplittableRandom(9);
            for (int s = 0; s < 3; s++) {
                opt.step(ps);
                for (Param p : ps) {
                    for (int i = 0; i < p.size(); i++) {
                        p.grad().data()[i] = (float) r.nextDouble(-1, 1);
                    }
                }
            }
            List<float[]> out = new ArrayList<>();
            for (Param p : ps) {
                out.add(p.value().data().clone());
            }
            for (float[][] slot : opt.slots()) {
                for (float[] a : slot) {
                    out.add(a.clone());
                }
            }
            return out;
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void stepsAreBitIdenticalForAnyThreadCount() {
        List<Supplier<Optimizer>> optimizers = List.of(
                () -> new RMSprop(1e-3), () -> new RMSprop(1e-2, 0.8, 1e-3, true),
                () -> new SGD(0.1), () -> new SGD(0.1, 0.9, true), () -> new Adam());
        for (Supplier<Optimizer> make : optimizers) {
            List<float[]> one = threeSteps(make, 1);
            for (int threads : new int[] {2, 3}) {
                List<float[]> many = threeSteps(make, threads);
                assertThat(many).hasSameSizeAs(one);
                for (int i = 0; i < one.size(); i++) {
                    assertThat(many.get(i)).as(make.get().name() + " array " + i + ", " + threads + " threads")
                            .containsExactly(one.get(i));
                }
            }
        }
    }

    @Test
    void everyOptimizerEqualsOneSerialPassOverEveryWeight() {
        // The thread-count test above cannot see a range that is missed or done twice (it would be
        // the same for any thread count): here each optimizer's parallel step is held to its own
        // update run once over each whole parameter.
        List<Supplier<Optimizer>> optimizers = List.of(
                () -> new RMSprop(1e-3), () -> new RMSprop(1e-2, 0.8, 1e-3, true),
                () -> new SGD(0.1), () -> new SGD(0.1, 0.9, true), () -> new Adam());
        int before = Parallel.threads();
        Parallel.setThreads(2);
        try {
            for (Supplier<Optimizer> make : optimizers) {
                List<Param> ps = params(5), ref = params(5);
                Optimizer parallel = make.get(), serial = make.get();
                float[][][] slots = new float[ref.size()][serial.slotsPerParam()][];
                for (int i = 0; i < ref.size(); i++) {
                    for (int j = 0; j < slots[i].length; j++) {
                        slots[i][j] = new float[ref.get(i).size()];
                    }
                }
                for (long step = 1; step <= 3; step++) {
                    parallel.step(ps);
                    for (int i = 0; i < ref.size(); i++) {
                        serial.update(ref.get(i), slots[i], step, 0, ref.get(i).size());
                    }
                }
                for (int i = 0; i < ps.size(); i++) {
                    assertThat(ps.get(i).value().data()).as("%s weights of param %d", parallel.name(), i)
                            .isEqualTo(ref.get(i).value().data());
                    for (int j = 0; j < slots[i].length; j++) {
                        assertThat(parallel.slots().get(i)[j]).as("%s slot %d of param %d", parallel.name(), j, i)
                                .isEqualTo(slots[i][j]);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void parallelRmspropEqualsOneSerialPassOverEveryWeight() {
        // Every element updated exactly once: a missed or doubled range would show here.
        int before = Parallel.threads();
        Parallel.setThreads(2);
        try {
            List<Param> ps = params(3);
            List<float[]> w = new ArrayList<>(), a = new ArrayList<>();
            ScalarKernels scalar = new ScalarKernels();
            for (Param p : ps) {
                float[] wi = p.value().data().clone(), ai = new float[p.size()];
                scalar.rmsprop(wi, p.grad().data(), ai, 0, p.size(), 1e-3f, 0.9f, 1e-8f, false);
                w.add(wi);
                a.add(ai);
            }
            RMSprop opt = new RMSprop(1e-3);
            opt.step(ps);
            for (int i = 0; i < ps.size(); i++) {
                assertThat(ps.get(i).value().data()).as("weights of param " + i).containsExactly(w.get(i));
                assertThat(opt.slots().get(i)[0]).as("accumulator of param " + i).containsExactly(a.get(i));
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
