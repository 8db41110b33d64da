package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Small cases computed by hand. */
class KnownValuesTest {

    private static Conv2D conv(int filters, int kh, int kw, int stride, Padding pad, int[] in, float[] kernel, float[] bias) {
        Conv2D c = new Conv2D(filters, kh, kw).strides(stride).padding(pad);
        c.build(in, new Rng(0));
        System.arraycopy(kernel, 0, c.params().get(0).value().data(), 0, kernel.length);
        System.arraycopy(bias, 0, c.params().get(1).value().data(), 0, bias.length);
        return c;
    }

    @Test
    void conv2dValidIsACrossCorrelation() {
        // x = 1..9 as 3x3, k = [[1,0],[0,-1]], b = 0.5: y[i][j] = x[i][j] - x[i+1][j+1] + 0.5 = -4 + 0.5
        Conv2D c = conv(1, 2, 2, 1, Padding.VALID, new int[] {1, 3, 3}, new float[] {1, 0, 0, -1}, new float[] {0.5f});
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        assertThat(c.forward(x, false).data()).containsExactly(-3.5f, -3.5f, -3.5f, -3.5f);
    }

    @Test
    void conv2dSamePaddingWithAnEvenKernelPadsBottomRight() {
        // k = 2x2 of ones on a 2x3 input, stride 1, 'same': pad 0 before, 1 after (TensorFlow's rule)
        Conv2D c = conv(1, 2, 2, 1, Padding.SAME, new int[] {1, 2, 3}, new float[] {1, 1, 1, 1}, new float[] {0});
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3);
        // row 0: 1+2+4+5, 2+3+5+6, 3+6 ; row 1 (zero row below): 4+5, 5+6, 6
        assertThat(c.forward(x, false).data()).containsExactly(12, 16, 9, 9, 11, 6);
        assertThat(c.geometry().padTop()).isZero();
        assertThat(c.geometry().padLeft()).isZero();
    }

    @Test
    void conv2dSamePaddingOn5x7WithEvenKernelsMatchesTensorFlow() {
        // TensorFlow 2.18 measured on 5x7 input: k=2 pads 0/1, k=4 pads 1/2; outputs 5x7 at stride 1, 3x4 at stride 2
        Conv2D k2 = new Conv2D(1, 2).padding(Padding.SAME);
        assertThat(k2.build(new int[] {1, 5, 7}, new Rng(0))).containsExactly(1, 5, 7);
        assertThat(k2.geometry().padTop()).isZero();
        Conv2D k4 = new Conv2D(1, 4).padding(Padding.SAME).strides(2);
        assertThat(k4.build(new int[] {1, 5, 7}, new Rng(0))).containsExactly(1, 3, 4);
        assertThat(k4.geometry().padTop()).isEqualTo(1);
        assertThat(k4.geometry().padLeft()).isEqualTo(1);
    }

    @Test
    void conv2dWithTwoChannelsAndStrideTwo() {
        // 2 channels of 3x3, k 1x1 weights (2, -1), stride 2: picks corners, y = 2*a - b
        Conv2D c = conv(1, 1, 1, 2, Padding.VALID, new int[] {2, 3, 3}, new float[] {2, -1}, new float[] {0});
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 1, 2, 3, 3);
        assertThat(c.forward(x, false).data()).containsExactly(2 - 9, 6 - 7, 14 - 3, 18 - 1);
    }

    @Test
    void maxPoolPicksTheMaximumAndRoutesTiesToTheFirst() {
        MaxPooling2D p = new MaxPooling2D(2);
        p.build(new int[] {1, 2, 4}, new Rng(0));
        Tensor x = Tensor.wrap(new float[] {1, 5, 2, 2, 3, 4, 2, 2}, 1, 1, 2, 4);
        assertThat(p.forward(x, false).data()).containsExactly(5, 2);
        Tensor dx = p.backward(Tensor.wrap(new float[] {10, 20}, 1, 1, 1, 2));
        // the second window is all 2s: the first one (row 0, col 2) takes the gradient
        assertThat(dx.data()).containsExactly(0, 10, 20, 0, 0, 0, 0, 0);
    }

    @Test
    void maxPoolValidDropsTheOddLastColumn() {
        MaxPooling2D p = new MaxPooling2D(2);
        assertThat(p.build(new int[] {3, 5, 7}, new Rng(0))).containsExactly(3, 2, 3);
    }

    @Test
    void reluDerivativeAtZeroIsZero() {
        ReLU r = new ReLU();
        r.build(new int[] {3}, new Rng(0));
        r.forward(Tensor.wrap(new float[] {-1, 0, 2}, 1, 3), true);
        assertThat(r.backward(Tensor.wrap(new float[] {1, 1, 1}, 1, 3)).data()).containsExactly(0, 0, 1);
    }

    @Test
    void glorotUniformStaysWithinItsLimit() {
        Conv2D c = new Conv2D(32, 5);
        c.build(new int[] {32, 28, 28}, new Rng(3));
        double limit = Math.sqrt(6.0 / (800 + 800));
        float max = 0;
        for (float v : c.params().get(0).value().data()) {
            max = Math.max(max, Math.abs(v));
        }
        assertThat((double) max).isLessThanOrEqualTo(limit).isGreaterThan(limit * 0.95);
        assertThat(c.params().get(1).value().data()).containsOnly(0f);
    }
    @Test
    void maxPoolOfOneImageMatchesItsBatch() {
        // one image splits its channels across threads (latency): values, winners and gradients must not change
        int before = org.cnn4j.internal.kernels.Parallel.threads();
        try {
            org.cnn4j.internal.kernels.Parallel.setThreads(2);
            MaxPooling2D pool = new MaxPooling2D(2, 2, 2, 2, Padding.SAME);
            pool.build(new int[] {5, 7, 9}, new org.cnn4j.init.Rng(1));
            Tensor batch = GradCheckTest.random(3, 3, 5, 7, 9);
            float[] ys = pool.forward(batch, true).data().clone();
            Tensor dy = GradCheckTest.random(4, 3, 5, 4, 5);
            float[] dxs = pool.backward(dy).data().clone();
            int in = 5 * 7 * 9, out = 5 * 4 * 5;
            for (int s = 0; s < 3; s++) {
                Tensor one = Tensor.zeros(1, 5, 7, 9);
                System.arraycopy(batch.data(), s * in, one.data(), 0, in);
                assertThat(pool.forward(one, true).data()).isEqualTo(java.util.Arrays.copyOfRange(ys, s * out, (s + 1) * out));
                Tensor dyOne = Tensor.zeros(1, 5, 4, 5);
                System.arraycopy(dy.data(), s * out, dyOne.data(), 0, out);
                assertThat(pool.backward(dyOne).data()).isEqualTo(java.util.Arrays.copyOfRange(dxs, s * in, (s + 1) * in));
            }
        } finally {
            org.cnn4j.internal.kernels.Parallel.setThreads(before);
        }
    }
}
