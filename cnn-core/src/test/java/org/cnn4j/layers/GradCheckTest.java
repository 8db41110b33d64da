package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.conv.WinogradConv;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer's backward pass against central finite differences, on awkward shapes: batch 3,
 * 5x7 images, 3 channels, strides 1 and 2, valid and same padding, kernels 1, 2, 3 and 5.
 * Run alone: {@code ./mvnw -pl cnn-core test -Dtest=GradCheckTest}.
 */
class GradCheckTest {
    private static final double EPS = 1e-2;

    static Tensor random(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        Rng r = new Rng(seed);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.uniform(-1, 1);
        }
        return t;
    }

    private static void assertPasses(Layer layer, int[] inputShape, boolean training) {
        layer.build(inputShape, new Rng(7));
        // non-zero biases so that bias gradients and ReLU cut-offs are exercised away from 0
        for (Param p : layer.params()) {
            if (p.name().equals("bias")) {
                Rng r = new Rng(11);
                for (int i = 0; i < p.size(); i++) {
                    p.value().data()[i] = (float) r.uniform(-0.3, 0.3);
                }
            }
        }
        int[] batched = new int[inputShape.length + 1];
        batched[0] = 3;
        System.arraycopy(inputShape, 0, batched, 1, inputShape.length);
        Tensor x = random(42, batched);
        // ReLUs and max-pools have kinks: a smaller nudge crosses fewer of them, at the price of more
        // float32 rounding noise in the difference, hence the larger absolute tolerance
        // (curved activations too: over a nudge of 1e-2 their one-sided slopes part as a kink's do)
        String act = layer.config().getOrDefault("activation", "linear");
        boolean kinked = !act.equals("linear") && !act.equals("softmax") || layer instanceof ReLU
                || layer instanceof MaxPooling2D;
        GradCheck.Result r = kinked
                ? GradCheck.check(layer, x, training, 1e-3, 3e-3, 1e-2, 60, 99)
                : GradCheck.check(layer, x, training, EPS, 60, 99);
        assertThat(r.passed()).as("%s: %s", layer.type(), r).isTrue();
        assertThat(r.skipped()).as("elements skipped at kinks: %s", r).isLessThan(Math.max(3, r.checked() / 10));
    }

    static Stream<Arguments> convCases() {
        return Stream.of(
                Arguments.of(1, 1, 1, "valid", "linear"),
                Arguments.of(2, 2, 1, "same", "linear"),
                Arguments.of(2, 2, 2, "same", "relu"),
                Arguments.of(3, 3, 1, "same", "relu"),
                Arguments.of(3, 3, 2, "valid", "linear"),
                Arguments.of(3, 3, 2, "same", "linear"),
                Arguments.of(5, 5, 1, "same", "relu"),
                Arguments.of(5, 5, 2, "same", "linear"),
                Arguments.of(2, 3, 1, "valid", "relu"),
                Arguments.of(5, 3, 1, "valid", "linear"),
                // the kernel covers the 5x7 input: one output pixel, the "dense" engine
                Arguments.of(5, 7, 1, "valid", "relu"),
                Arguments.of(5, 7, 2, "valid", "linear"));
    }

    @ParameterizedTest(name = "Conv2D {0}x{1} stride {2} {3} {4}")
    @MethodSource("convCases")
    void conv2d(int kh, int kw, int stride, String padding, String activation) {
        Conv2D conv = new Conv2D(4, kh, kw).strides(stride).padding(Padding.parse(padding))
                .activation(Activation.parse(activation));
        assertPasses(conv, new int[] {3, 5, 7}, true);
    }

    static Stream<Arguments> unevenConvCases() {
        // strides that do not divide the input, differ per axis or exceed the kernel; even kernels
        // with 'same' (Keras pads the odd extra row or column after): im2col, phased and dense engines
        return Stream.of(
                Arguments.of(4, 4, 2, 2, "same"),
                Arguments.of(4, 2, 3, 2, "same"),
                Arguments.of(3, 3, 3, 3, "same"),
                Arguments.of(2, 2, 3, 3, "valid"),
                Arguments.of(3, 2, 1, 2, "same"),
                Arguments.of(2, 3, 2, 1, "valid"),
                Arguments.of(5, 5, 2, 2, "valid"),
                Arguments.of(1, 1, 3, 4, "same"),
                Arguments.of(6, 4, 1, 1, "same"));
    }

    @ParameterizedTest(name = "Conv2D {0}x{1} strides {2}x{3} {4}")
    @MethodSource("unevenConvCases")
    void conv2dUnevenStridesAndEvenKernels(int kh, int kw, int sh, int sw, String padding) {
        for (String activation : List.of("linear", "relu")) {
            Conv2D conv = new Conv2D(4, kh, kw).strides(sh, sw).padding(Padding.parse(padding))
                    .activation(Activation.parse(activation));
            assertPasses(conv, new int[] {3, 5, 7}, true);
        }
    }

    @ParameterizedTest(name = "MaxPooling2D {0}x{1} strides {2}x{3} {4}")
    @CsvSource({"2,3,3,2,same", "3,2,2,3,valid", "2,2,3,3,same", "4,4,1,1,same", "3,3,2,1,same"})
    void maxPoolUnevenWindowsAndStrides(int ph, int pw, int sh, int sw, String padding) {
        assertPasses(new MaxPooling2D(ph, pw, sh, sw, Padding.parse(padding)), new int[] {3, 5, 7}, true);
    }

    static Stream<Arguments> winogradCases() {
        // F(4x4, r x r) rounds more in fp32, too much for the small nudge that kinked (ReLU) checks
        // need: it is checked linear, its ReLU path is the same code as F(2x2)'s
        return Stream.of(
                Arguments.of(2, 2, "same", "linear"),
                Arguments.of(3, 2, "same", "relu"),
                Arguments.of(3, 2, "valid", "linear"),
                Arguments.of(3, 4, "same", "linear"),
                Arguments.of(4, 2, "same", "linear"),
                Arguments.of(5, 2, "same", "relu"),
                Arguments.of(5, 4, "same", "linear"),
                Arguments.of(5, 4, "valid", "linear"),
                Arguments.of(5, 3, "same", "linear"),
                Arguments.of(7, 2, "same", "linear"));
    }

    @ParameterizedTest(name = "Conv2D Winograd F({1}, {0}) {2} {3}")
    @MethodSource("winogradCases")
    void conv2dWinograd(int k, int m, String padding, String activation) {
        for (WinogradConv.Layout layout : List.of(WinogradConv.Layout.PLANAR, WinogradConv.Layout.PACKED)) {
            Conv2D conv = new Conv2D(4, k).padding(Padding.parse(padding)).activation(Activation.parse(activation))
                    .winogradLayout(layout).winograd(m);
            assertPasses(conv, new int[] {3, 5, 7}, true);
            assertThat(conv.algorithmName()).isEqualTo("winograd F(" + m + "x" + m + ", " + k + "x" + k + ")");
        }
    }

    @ParameterizedTest(name = "MaxPooling2D {0}x{0} stride {1} {2}")
    @MethodSource("poolCases")
    void maxPool(int pool, int stride, String padding) {
        assertPasses(new MaxPooling2D(pool, pool, stride, stride, Padding.parse(padding)), new int[] {3, 5, 7}, true);
    }

    static Stream<Arguments> poolCases() {
        return Stream.of(Arguments.of(2, 2, "valid"), Arguments.of(2, 2, "same"), Arguments.of(3, 2, "same"),
                Arguments.of(2, 1, "valid"), Arguments.of(1, 1, "valid"));
    }

    @ParameterizedTest(name = "Dense {0}")
    @MethodSource("activations")
    void dense(Activation activation) {
        assertPasses(new Dense(5, activation), new int[] {7}, true);
    }

    static Stream<Activation> activations() {
        return Stream.of(Activation.values());
    }

    @Test
    void reluLayer() {
        assertPasses(new ReLU(), new int[] {3, 5, 7}, true);
    }

    @Test
    void flatten() {
        assertPasses(new Flatten(), new int[] {3, 5, 7}, true);
    }

    @Test
    void softmax() {
        assertPasses(new Softmax(), new int[] {6}, true);
    }

    @Test
    void dropoutInTrainingReplaysItsMask() {
        assertPasses(new Dropout(0.4), new int[] {3, 5, 7}, true);
    }

    @Test
    void dropoutIsIdentityAtInference() {
        Dropout d = new Dropout(0.5);
        d.build(new int[] {4}, new Rng(1));
        Tensor x = random(3, 2, 4);
        assertThat(d.forward(x, false).data()).containsExactly(x.data());
    }

    @Test
    void dropoutKeepsAboutOneMinusRateAndScales() {
        Dropout d = new Dropout(0.25);
        d.build(new int[] {10_000}, new Rng(1));
        Tensor x = Tensor.zeros(1, 10_000);
        java.util.Arrays.fill(x.data(), 1f);
        float[] y = d.forward(x, true).data();
        int kept = 0;
        for (float v : y) {
            if (v != 0f) {
                kept++;
                assertThat(v).isEqualTo(1f / 0.75f);
            }
        }
        assertThat(kept).isBetween(7300, 7700);
    }

    /** The check itself must be able to fail: a layer whose backward pass is off by 10% is caught. */
    @Test
    void detectsAWrongGradient() {
        Layer broken = new Layer() {
            private final ReLU inner = new ReLU();

            @Override
            public String type() {
                return "Broken";
            }

            @Override
            protected LayerSpec spec(int[] in) {
                return LayerSpec.output(in);
            }

            @Override
            protected void initialize(Rng rng) {
                inner.build(inputShape(), rng);
            }

            @Override
            public Tensor forward(Tensor x, boolean training) {
                return inner.forward(x, training);
            }

            @Override
            public Tensor backward(Tensor dy) {
                Tensor dx = inner.backward(dy);
                for (int i = 0; i < dx.size(); i++) {
                    dx.data()[i] *= 1.1f;
                }
                return dx;
            }
        };
        broken.build(new int[] {4}, new Rng(1));
        GradCheck.Result r = GradCheck.check(broken, random(5, 3, 4), true, EPS, 10, 1);
        assertThat(r.passed()).isFalse();
    }
}
