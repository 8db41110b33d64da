package org.cnn4j.internal.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.ScalarKernels;
import org.cnn4j.internal.kernels.VectorKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PoolingConv#forwardPooled} gives, bit for bit, the engine's own forward pass followed by
 * 2x2 max pooling, with the vector kernels and with their scalar twin: {@link PackedWinograd} on
 * the seed CNN's two pooled convolutions and on odd channel and filter counts on planes that the
 * tiles overrun; {@link Im2colConv} with one channel, strides and padding, and batches smaller than
 * the thread count (filters split across threads).
 */
class PooledForwardTest {
    private final SplittableRandom rnd = new SplittableRandom(18);

    @ParameterizedTest(name = "{0}: {1}->{2} channels, {3}x{3} kernel, {4}x{5}, same {6}, F({7}), relu {8}, batch {9}")
    @CsvSource({
        "vector, 32, 32, 5, 28, 28, true, 4, true, 3", "scalar, 32, 32, 5, 28, 28, true, 4, true, 1",
        "vector, 64, 64, 3, 14, 14, true, 2, true, 2", "scalar, 64, 64, 3, 14, 14, true, 2, true, 2",
        "vector, 9, 21, 5, 10, 18, true, 4, true, 2", "scalar, 9, 21, 5, 10, 18, true, 4, true, 2",
        "vector, 13, 5, 3, 12, 16, false, 2, false, 3", "scalar, 13, 5, 3, 12, 16, false, 2, false, 3",
        "vector, 17, 33, 3, 6, 22, true, 4, false, 1", "scalar, 17, 33, 3, 6, 22, true, 4, false, 1"})
    void pooledForwardIsForwardThenMaxPoolBitForBit(String kind, int channels, int filters, int r, int h, int w,
                                                    boolean same, int m, boolean relu, int n) {
        Kernels k = kernels(kind);
        ConvGeometry g = ConvGeometry.of(channels, h, w, r, r, 1, 1, same);
        assertPooledIsForwardThenMaxPool(k, new PackedWinograd(k, g, filters, m), g, filters, relu, n);
    }

    @ParameterizedTest(name = "{0}: {1}->{2} channels, {3}x{3} kernel, stride {4}, {5}x{6}, same {7}, relu {8}, batch {9}")
    @CsvSource({
        "vector, 1, 32, 5, 1, 28, 28, true, true, 3", "scalar, 1, 32, 5, 1, 28, 28, true, true, 2",
        "vector, 3, 7, 3, 2, 17, 21, false, true, 1", "scalar, 3, 7, 3, 2, 17, 21, false, true, 1",
        "vector, 5, 3, 2, 1, 9, 13, false, false, 5", "scalar, 5, 3, 2, 1, 9, 13, false, false, 5",
        "vector, 2, 1, 3, 1, 6, 6, true, true, 1"})
    void im2colPooledForwardIsForwardThenMaxPoolBitForBit(String kind, int channels, int filters, int r, int stride,
                                                          int h, int w, boolean same, boolean relu, int n) {
        // batch 1 splits each image's filters across the threads: each part pools its own planes
        Kernels k = kernels(kind);
        ConvGeometry g = ConvGeometry.of(channels, h, w, r, r, stride, stride, same);
        assertPooledIsForwardThenMaxPool(k, new Im2colConv(k, g, filters), g, filters, relu, n);
    }

    private <E extends ConvEngine & PoolingConv> void assertPooledIsForwardThenMaxPool(Kernels k, E engine,
            ConvGeometry g, int filters, boolean relu, int n) {
        assertThat(engine.pools2x2()).isTrue();
        int channels = g.channels(), r = g.kh();
        float[] x = random(n * g.inSize()), kernel = random(filters * channels * r * r), bias = random(filters);
        for (int i = 0; i < x.length; i += 7) {
            x[i] = 0f; // some exact zeros, so that ReLU and ties matter
        }

        float[] full = new float[n * filters * g.outPixels()];
        engine.forward(x, kernel, bias, relu, full, n);
        ConvGeometry pool = ConvGeometry.of(filters, g.outH(), g.outW(), 2, 2, 2, 2, false);
        int pooledSize = filters * pool.outPixels();
        float[] expected = new float[n * pooledSize];
        int[] argmax = new int[pooledSize];
        for (int s = 0; s < n; s++) {
            k.maxPoolForward(full, s * filters * g.outPixels(), pool, expected, s * pooledSize, argmax, 0);
        }

        float[] pooled = new float[n * pooledSize];
        java.util.Arrays.fill(pooled, Float.NaN); // every cell must be written
        engine.forwardPooled(x, kernel, bias, relu, pooled, n);
        assertThat(pooled).isEqualTo(expected);

        // and the plain forward pass after a pooled one is unchanged (the call state is cleared)
        float[] again = new float[full.length];
        engine.forward(x, kernel, bias, relu, again, n);
        assertThat(again).isEqualTo(full);
    }

    private static Kernels kernels(String kind) {
        return kind.equals("vector") ? new VectorKernels() : new ScalarKernels();
    }

    @ParameterizedTest(name = "{0}x{1} output, F({2})")
    @CsvSource({"13, 14, 4", "14, 13, 2", "12, 12, 3", "12, 12, 1"})
    void oddOutputsAndOddTilesDoNotPool(int h, int w, int m) {
        ConvGeometry g = ConvGeometry.of(8, h, w, 3, 3, 1, 1, true);
        PackedWinograd engine = new PackedWinograd(new ScalarKernels(), g, 8, m);
        assertThat(engine.pools2x2()).isFalse();
        assertThatThrownBy(() -> engine.forwardPooled(new float[g.inSize()], new float[8 * 8 * 9], new float[8], true,
                new float[8 * h * w], 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot pool");
        Im2colConv im2col = new Im2colConv(new ScalarKernels(), g, 8);
        assertThat(im2col.pools2x2()).isEqualTo(h % 2 == 0 && w % 2 == 0);
    }

    private float[] random(int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        return a;
    }
}
