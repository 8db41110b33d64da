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
 * A strided Conv2D computed as a stride-1 convolution over its input's phases (space-to-depth)
 * against im2col + gemm with the stride, on the same weights: outputs, input gradients, kernel and
 * bias gradients. Shapes: v2's two 5x5 stride-2 convs, odd sizes whose last rows and columns no
 * output sees, unequal strides, and kernels not a multiple of the stride.
 */
class PhasedConvTest {

    private static Conv2D conv(int filters, int kh, int kw, int sh, int sw, String padding, String activation) {
        return new Conv2D(filters, kh, kw).strides(sh, sw).padding(Padding.parse(padding))
                .activation(Activation.parse(activation));
    }

    @ParameterizedTest(name = "batch {0}, {1}x{2}x{3}, {4} filters, kernel {5}x{6} stride {7}x{8} {9} {10}: {11}")
    @CsvSource({
        "5, 32, 24, 24, 32, 5, 5, 2, 2, same, relu, 'phases 2x2, winograd F(4x4, 3x3)'",
        "9, 64, 8, 8, 64, 5, 5, 2, 2, same, relu, 'phases 2x2, winograd F(2x2, 3x3)'",
        // 4 tiles an image: weight-gradient blocks of 16 images, so 37 makes three, the last short
        "37, 16, 8, 8, 16, 5, 5, 2, 2, same, relu, 'phases 2x2, im2col forward, winograd F(2x2, 3x3) backward'",
        "3, 3, 9, 7, 5, 5, 5, 2, 2, valid, linear, 'phases 2x2, '",
        "2, 5, 11, 13, 3, 5, 5, 2, 2, same, relu, 'phases 2x2, '",
        "2, 3, 10, 9, 4, 5, 5, 2, 1, same, linear, 'phases 2x1, im2col'",
        "3, 2, 13, 12, 3, 6, 6, 3, 3, same, relu, 'phases 3x3, '",
        "2, 3, 8, 9, 5, 2, 2, 2, 2, valid, relu, 'phases 2x2, im2col'",
        "1, 1, 5, 5, 2, 4, 4, 2, 2, same, linear, 'phases 2x2, '"})
    void matchesIm2col(int n, int c, int h, int w, int filters, int kh, int kw, int sh, int sw, String padding,
                       String activation, String engine) {
        Conv2D ref = conv(filters, kh, kw, sh, sw, padding, activation).algorithm(ConvTuning.Algorithm.IM2COL);
        Conv2D phased = conv(filters, kh, kw, sh, sw, padding, activation);
        int[] in = {c, h, w};
        ref.build(in, new Rng(3));
        phased.build(in, new Rng(3));
        assertThat(phased.algorithmName()).startsWith(engine);
        assertThat(ref.algorithmName()).isEqualTo("im2col");
        ConvEngineAsserts.sameWeights(ref, phased);
        Tensor x = GradCheckTest.random(17, n, c, h, w);
        ConvEngineAsserts.assertSameStep(ref, phased, x);
        // a second step with other weights: nothing stale is kept from the first
        for (int i = 0; i < ref.params().size(); i++) {
            float[] a = ref.params().get(i).value().data(), b = phased.params().get(i).value().data();
            for (int j = 0; j < a.length; j++) {
                a[j] *= -0.5f;
                b[j] = a[j];
            }
        }
        Tensor x2 = GradCheckTest.random(29, n, c, h, w);
        ConvEngineAsserts.assertSameStep(ref, phased, x2);
    }

    @Test
    void v2LayersTakeTheMeasuredAlgorithms() {
        // LayerProfile v2 (docs/performance.md): a change of the rules shows here
        org.cnn4j.model.Sequential m = org.cnn4j.model.ModelZoo.digitRecognizerV2(1, 28, 28, 10, 1, 10, 2);
        m.build();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Layer l : m.layers()) {
            if (l instanceof Conv2D c) {
                names.add(c.algorithmName());
            }
        }
        assertThat(names).containsExactly("im2col", "winograd F(4x4, 3x3)",
                "phases 2x2, winograd F(4x4, 3x3)", "winograd F(2x2, 3x3)",
                "winograd F(2x2, 3x3)", "phases 2x2, winograd F(2x2, 3x3)", "dense");
    }

    @Test
    void phasesWithManyZeroTapsAreNotTaken() {
        // 3x3 stride 2: a 2x2 phase kernel over 4 phases is 16 taps for 9; 1x1 stride 2: 4 for 1
        for (int k : new int[] {1, 3}) {
            Conv2D c = new Conv2D(4, k).strides(2).padding(Padding.SAME);
            c.build(new int[] {8, 12, 12}, new Rng(1));
            assertThat(c.algorithmName()).as("kernel %d", k).isEqualTo("im2col");
        }
    }

    @Test
    void sameBitsForOneAndTwoThreadsAndForOneImage() {
        int before = Parallel.threads();
        float[][] results = new float[2][];
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                Conv2D conv = new Conv2D(16, 5).strides(2).padding(Padding.SAME).activation(Activation.RELU);
                conv.build(new int[] {8, 12, 12}, new Rng(1));
                Tensor x = GradCheckTest.random(4, 19, 8, 12, 12); // 3 weight-gradient blocks of 8
                float[] out = ConvEngineAsserts.stepBits(conv, x); // output first
                results[t - 1] = out;
                Tensor one = Tensor.zeros(1, 8, 12, 12);
                System.arraycopy(x.data(), 8 * 144, one.data(), 0, one.size());
                assertThat(conv.forward(one, false).data()).isEqualTo(java.util.Arrays.copyOfRange(out, 16 * 36, 2 * 16 * 36));
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertThat(results[1]).isEqualTo(results[0]);
    }
}
