package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnn4j.init.Rng;
import org.cnn4j.internal.conv.ConvTuning;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Conv2D whose unpadded kernel covers its whole input (one output pixel) runs as one gemm over
 * the batch ("dense"); here against im2col + gemm on the same weights: outputs, input gradients,
 * kernel and bias gradients, on odd shapes and batches across the gradient blocks.
 */
class DenseConvTest {

    @ParameterizedTest(name = "batch {0}, {1}x{2}x{3}, {4} filters, stride {5}, {6}")
    @CsvSource({
        "1, 1, 1, 1, 1, 1, linear",
        "5, 3, 4, 4, 7, 1, relu",
        "9, 5, 3, 5, 17, 2, relu",
        "86, 64, 4, 4, 128, 1, relu",
        "3, 2, 7, 2, 3, 3, linear"})
    void matchesIm2col(int n, int c, int h, int w, int filters, int stride, String activation) {
        Conv2D ref = new Conv2D(filters, h, w).strides(stride).activation(Activation.parse(activation))
                .algorithm(ConvTuning.Algorithm.IM2COL);
        Conv2D dense = new Conv2D(filters, h, w).strides(stride).activation(Activation.parse(activation));
        int[] in = {c, h, w};
        ref.build(in, new Rng(3));
        dense.build(in, new Rng(3));
        assertThat(dense.algorithmName()).isEqualTo("dense");
        assertThat(ref.algorithmName()).isEqualTo("im2col");
        ConvEngineAsserts.sameWeights(ref, dense);
        Tensor x = GradCheckTest.random(17, n, c, h, w);
        assertThat(dense.outputShape()).containsExactly(filters, 1, 1);
        ConvEngineAsserts.assertSameStep(ref, dense, x);
    }

    @Test
    void paddingOrASmallerKernelIsNotDense() {
        Conv2D same = new Conv2D(4, 3).padding(Padding.SAME);
        same.build(new int[] {2, 3, 3}, new Rng(1));
        Conv2D smaller = new Conv2D(4, 3);
        smaller.build(new int[] {2, 4, 3}, new Rng(1));
        assertThat(same.algorithmName()).isNotEqualTo("dense");
        assertThat(smaller.algorithmName()).isNotEqualTo("dense");
    }

    @Test
    void sameBitsForOneAndTwoThreadsAndForOneImage() {
        int before = Parallel.threads();
        float[][] results = new float[2][];
        float[] firstImage = null;
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                Conv2D conv = new Conv2D(40, 4).activation(Activation.RELU);
                conv.build(new int[] {33, 4, 4}, new Rng(1));
                Tensor x = GradCheckTest.random(4, 37, 33, 4, 4);
                float[] out = ConvEngineAsserts.stepBits(conv, x); // output first
                results[t - 1] = out;
                Tensor one = Tensor.zeros(1, 33, 4, 4);
                System.arraycopy(x.data(), 0, one.data(), 0, one.size());
                firstImage = conv.forward(one, false).data().clone();
                assertThat(firstImage).isEqualTo(java.util.Arrays.copyOf(out, 40));
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertThat(results[1]).isEqualTo(results[0]);
    }
}
