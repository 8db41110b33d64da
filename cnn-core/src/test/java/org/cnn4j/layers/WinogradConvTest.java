package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnn4j.init.Rng;
import org.cnn4j.internal.conv.ConvTuning;
import org.cnn4j.internal.conv.WinogradConv;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conv2D by Winograd against Conv2D by im2col + gemm, the reference, on the same weights: outputs,
 * input gradients, kernel and bias gradients. Shapes cross the image edges, the chunk and gradient
 * block boundaries (batches of 1, 5 and 9), and tile sizes that do not divide the image.
 */
class WinogradConvTest {

    private static Conv2D conv(int filters, int k, String padding, String activation, ConvTuning.Algorithm a) {
        return new Conv2D(filters, k).padding(Padding.parse(padding)).activation(Activation.parse(activation))
                .algorithm(a);
    }

    @ParameterizedTest(name = "batch {0}, {1}x{2}x{3}, {4} filters, kernel {5} {6} {7}, tile {8}")
    @CsvSource({
        "1, 1, 1, 1, 1, 3, same, linear, 2",
        "5, 3, 7, 5, 4, 3, same, relu, 2",
        "9, 32, 28, 28, 32, 5, same, relu, 4",
        "5, 32, 28, 28, 32, 5, same, relu, 2",
        "5, 32, 14, 14, 64, 3, same, relu, 2",
        "5, 32, 14, 14, 64, 3, same, relu, 0",
        "3, 64, 14, 14, 64, 3, same, relu, 0",
        "3, 32, 14, 14, 64, 3, same, relu, 4",
        "2, 5, 9, 13, 3, 5, valid, linear, 4",
        "2, 5, 9, 13, 3, 5, valid, linear, 2",
        "3, 4, 6, 6, 2, 4, same, linear, 2",
        "1, 2, 35, 3, 3, 5, same, relu, 4",
        "2, 3, 3, 40, 6, 3, valid, relu, 2",
        "5, 6, 11, 10, 5, 7, same, linear, 2"})
    void matchesIm2col(int n, int c, int h, int w, int filters, int k, String padding, String activation, int m) {
        for (WinogradConv.Layout layout : WinogradConv.Layout.values()) {
            matchesIm2col(n, c, h, w, filters, k, padding, activation, m, layout);
        }
    }

    private void matchesIm2col(int n, int c, int h, int w, int filters, int k, String padding, String activation, int m,
                               WinogradConv.Layout layout) {
        Conv2D ref = conv(filters, k, padding, activation, ConvTuning.Algorithm.IM2COL);
        // tile 0: the automatic choice, which for 3x3 is im2col forward and Winograd backward
        Conv2D win = m == 0 ? conv(filters, k, padding, activation, ConvTuning.Algorithm.AUTO).winogradLayout(layout)
                : conv(filters, k, padding, activation, ConvTuning.Algorithm.IM2COL).winogradLayout(layout).winograd(m);
        int[] in = {c, h, w};
        ref.build(in, new Rng(3));
        win.build(in, new Rng(3));
        assertThat(win.algorithmName()).contains(m == 0 ? "winograd F(2x2, 3x3)" : "winograd F(" + m + "x" + m);
        assertThat(ref.algorithmName()).isEqualTo("im2col");
        Rng r = new Rng(9);
        for (Param p : ref.params()) { // non-zero biases exercise the fused bias and ReLU
            for (int i = 0; i < p.size(); i++) {
                p.value().data()[i] = (float) r.uniform(-0.3, 0.3);
            }
        }
        for (int i = 0; i < ref.params().size(); i++) {
            System.arraycopy(ref.params().get(i).value().data(), 0, win.params().get(i).value().data(), 0,
                    ref.params().get(i).size());
        }
        Tensor x = GradCheckTest.random(17, n, c, h, w);
        ConvEngineAsserts.assertSameStep(ref, win, x);
    }

    /**
     * Geometries whose automatic choice is the Winograd forward since the packed layout's threshold
     * went from 128 to 100 (ratios 105 to 120; each took the im2col forward before): odd and even
     * kernels, 'same' with asymmetric padding, 'valid', odd image sizes, one image and a batch.
     */
    @ParameterizedTest(name = "batch {0}, {1}x{2}x{3}, {4} filters, kernel {5} {6}")
    @CsvSource({
        "1, 32, 16, 16, 32, 3, same, 'winograd F(4x4, 3x3)'",
        "3, 32, 16, 16, 32, 3, same, 'winograd F(4x4, 3x3)'",
        "2, 48, 11, 9, 48, 3, same, 'winograd F(2x2, 3x3)'",
        "1, 64, 7, 13, 32, 3, valid, 'winograd F(2x2, 3x3)'",
        "2, 24, 9, 10, 24, 4, same, 'winograd F(2x2, 4x4)'",
        "1, 24, 9, 10, 24, 4, valid, 'winograd F(2x2, 4x4)'",
        "2, 10, 9, 11, 10, 5, same, 'winograd F(4x4, 5x5)'",
        "2, 10, 11, 9, 10, 6, same, 'winograd F(2x2, 6x6)'",
        "1, 128, 5, 6, 128, 2, same, 'winograd F(2x2, 2x2)'"})
    void geometriesOverTheForwardThresholdMatchIm2col(int n, int c, int h, int w, int filters, int k, String padding,
                                                      String algorithm) {
        Conv2D ref = conv(filters, k, padding, "relu", ConvTuning.Algorithm.IM2COL);
        Conv2D auto = conv(filters, k, padding, "relu", ConvTuning.Algorithm.AUTO);
        int[] in = {c, h, w};
        ref.build(in, new Rng(3));
        auto.build(in, new Rng(3));
        assertThat(auto.algorithmName()).isEqualTo(algorithm);
        ConvEngineAsserts.sameWeights(ref, auto);
        ConvEngineAsserts.assertSameStep(ref, auto, GradCheckTest.random(17, n, c, h, w));
    }

    @ParameterizedTest(name = "kernel {0}, {1}")
    @CsvSource({"3, PLANAR", "5, PLANAR", "3, PACKED", "5, PACKED"})
    void sameBitsForOneAndTwoThreads(int k, WinogradConv.Layout layout) {
        int before = Parallel.threads();
        float[][] results = new float[2][];
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                Conv2D conv = conv(8, k, "same", "relu", ConvTuning.Algorithm.WINOGRAD).winogradLayout(layout);
                conv.build(new int[] {6, 12, 12}, new Rng(1));
                Tensor x = GradCheckTest.random(4, 7, 6, 12, 12);
                float[] out = ConvEngineAsserts.stepBits(conv, x); // output first
                results[t - 1] = out;
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertThat(results[1]).isEqualTo(results[0]);
    }
    @ParameterizedTest(name = "{0}")
    @CsvSource({"PLANAR", "PACKED"})
    void weightsChangedInPlaceAreSeen(WinogradConv.Layout layout) {
        // the transformed kernel is kept between forward passes: a weight written in place must still count
        Conv2D ref = conv(8, 5, "same", "linear", ConvTuning.Algorithm.IM2COL);
        Conv2D win = conv(8, 5, "same", "linear", ConvTuning.Algorithm.IM2COL).winogradLayout(layout).winograd(4);
        int[] in = {8, 9, 9};
        ref.build(in, new Rng(3));
        win.build(in, new Rng(3));
        Tensor x = GradCheckTest.random(17, 2, 8, 9, 9);
        ConvEngineAsserts.assertClose(ref.forward(x, false).data(), win.forward(x, false).data(), "output");
        for (Conv2D c : new Conv2D[] {ref, win}) {
            c.params().get(0).value().data()[123] += 0.5f;
        }
        ConvEngineAsserts.assertClose(ref.forward(x, false).data(), win.forward(x, false).data(), "output after a weight changed");
    }
    @org.junit.jupiter.api.Test
    void seedModelLayersTakeTheMeasuredAlgorithms() {
        // each pass takes what measured fastest on the seed CNN (docs/performance.md): a change of
        // the rules shows here
        org.cnn4j.model.Sequential m = org.cnn4j.model.ModelZoo.digitRecognizer(2);
        m.build();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Layer l : m.layers()) {
            if (l instanceof Conv2D c) {
                names.add(c.algorithmName());
            }
        }
        assertThat(names).containsExactly("im2col", "winograd F(4x4, 5x5)", "winograd F(2x2, 3x3)",
                "winograd F(2x2, 3x3)");
    }
    @ParameterizedTest(name = "{0}, kernel {1}")
    @CsvSource({"IM2COL, 5", "AUTO, 3", "AUTO, 5"})
    void oneImageGivesTheBitsItGetsInABatch(ConvTuning.Algorithm algorithm, int k) {
        // one image is split across threads differently from a batch (latency); the bits must not change
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            Conv2D conv = conv(40, k, "same", "relu", algorithm);
            conv.build(new int[] {16, 14, 14}, new Rng(1));
            Tensor batch = GradCheckTest.random(4, 3, 16, 14, 14);
            float[] all = conv.forward(batch, false).data().clone();
            int in = 16 * 14 * 14, out = 40 * 14 * 14;
            for (int s = 0; s < 3; s++) {
                Tensor one = Tensor.zeros(1, 16, 14, 14);
                System.arraycopy(batch.data(), s * in, one.data(), 0, in);
                float[] y = conv.forward(one, false).data();
                assertThat(java.util.Arrays.copyOfRange(all, s * out, (s + 1) * out)).as("image %d", s).isEqualTo(y);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
