package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The dropout mask: its keep rule, its independence from the thread count, its random stream. */
class DropoutTest {

    @Test
    void keepThresholdIsTheExactBoundaryOfUAtLeastRate() {
        for (double rate : new double[] {0.0, 1e-9, 0.25, 0.3, 0.5, 0.7, 0.999999}) {
            int t = Dropout.keepThreshold(rate);
            float r = (float) rate;
            // u = bits * 2^-24, as Rng.nextFloat(): bits t is kept, bits t - 1 is not
            assertThat(t * 0x1p-24f).as("rate " + rate).isGreaterThanOrEqualTo(r);
            if (t > 0) {
                assertThat((t - 1) * 0x1p-24f).as("rate " + rate).isLessThan(r);
            }
        }
    }

    private static float[] forwardAndBackward(int threads, long seed, Tensor x, Tensor dy) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Dropout d = new Dropout(0.4);
            d.build(new int[] {x.itemSize()}, new Rng(seed));
            float[] y = d.forward(x, true).data().clone();
            float[] dx = d.backward(Tensor.wrap(dy.data().clone(), dy.shape())).data();
            float[] both = new float[y.length + dx.length];
            System.arraycopy(y, 0, both, 0, y.length);
            System.arraycopy(dx, 0, both, y.length, dx.length);
            return both;
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void maskIsTheSameForAnyThreadCountAndBackwardReusesIt() {
        // More than two parallel ranges, with a ragged last one.
        int n = 3, item = 40_000 + 13;
        Tensor x = Tensor.zeros(n, item), dy = Tensor.zeros(n, item);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = 1 + i % 7;
            dy.data()[i] = 1;
        }
        float[] one = forwardAndBackward(1, 42, x, dy);
        assertThat(forwardAndBackward(2, 42, x, dy)).containsExactly(one);
        assertThat(forwardAndBackward(3, 42, x, dy)).containsExactly(one);
        int size = x.size(), dropped = 0;
        for (int i = 0; i < size; i++) {
            // forward and backward drop the same elements, and scale the kept ones alike
            assertThat(one[i] == 0f).isEqualTo(one[size + i] == 0f);
            if (one[i] == 0f) {
                dropped++;
            } else {
                assertThat(one[i]).isEqualTo(x.data()[i] * (float) (1 / 0.6));
            }
        }
        assertThat(dropped / (double) size).isBetween(0.39, 0.41);
        assertThat(forwardAndBackward(1, 43, x, dy)).isNotEqualTo(one);
    }

    @Test
    void eachTrainingForwardDrawsOneSeedFromTheStream() {
        Dropout d = new Dropout(0.5);
        d.build(new int[] {1000}, new Rng(7));
        Rng stream = d.randomStreams().get(0);
        Tensor x = Tensor.zeros(2, 1000);
        java.util.Arrays.fill(x.data(), 1f);
        long start = stream.state();
        float[] first = d.forward(x, true).data().clone();
        Rng copy = new Rng(start);
        copy.nextLong();
        assertThat(stream.state()).isEqualTo(copy.state());
        float[] second = d.forward(x, true).data().clone();
        assertThat(second).isNotEqualTo(first); // a new mask per batch
        d.forward(x, false); // inference draws nothing
        copy.nextLong();
        assertThat(stream.state()).isEqualTo(copy.state());
        // restoring the state (as a checkpoint does) replays the mask
        stream.setState(start);
        assertThat(d.forward(x, true).data()).containsExactly(first);
    }

    @Test
    void parallelMaskEqualsOneScalarMaskOverTheWholeBatch() {
        // The thread-count test cannot see a range given the wrong start index (every count would
        // repeat it): the layer's mask must equal one pass of the scalar kernel over all elements.
        int before = Parallel.threads();
        Parallel.setThreads(2);
        try {
            int n = 3, item = 40_000 + 13;
            Dropout d = new Dropout(0.4);
            d.build(new int[] {item}, new Rng(5));
            Rng stream = d.randomStreams().get(0);
            long seed = new Rng(stream.state()).nextLong();
            Tensor x = Tensor.zeros(n, item);
            java.util.Arrays.fill(x.data(), 1f);
            float[] y = d.forward(x, true).data();
            byte[] mask = new byte[x.size()];
            new org.cnn4j.internal.kernels.ScalarKernels().dropoutMask(seed, 0, x.size(), Dropout.keepThreshold(0.4), mask, 0);
            for (int i = 0; i < x.size(); i++) {
                if ((y[i] != 0f) != (mask[i] != 0)) {
                    org.junit.jupiter.api.Assertions.fail("element " + i + ": y " + y[i] + ", scalar mask " + mask[i]);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
