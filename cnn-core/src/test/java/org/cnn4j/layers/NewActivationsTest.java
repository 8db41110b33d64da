package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * sigmoid, tanh, leaky_relu, elu and gelu: known values from their definitions (Keras's
 * keras/src/activations/activations.py; GELU's Φ from tabulated normal-distribution values), erf
 * against tabulated values, and every form (Dense and Conv2D option, Activation, LeakyReLU and ELU
 * layers) against finite differences, on 3-channel inputs for the convolution.
 */
class NewActivationsTest {
    private static final List<Activation> NEW = List.of(Activation.SIGMOID, Activation.TANH, Activation.LEAKY_RELU,
            Activation.ELU, Activation.GELU);

    static Tensor random(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        Rng r = new Rng(seed);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.uniform(-2, 2);
        }
        return t;
    }

    private static void assertGradients(Layer layer, int... inputShape) {
        layer.build(inputShape, new Rng(7));
        // non-zero biases, as GradCheckTest sets them, so that pre-activations sit away from the kinks
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
        GradCheck.Result r = GradCheck.check(layer, random(42, batched), true, 1e-3, 3e-3, 1e-2, 60, 99);
        assertThat(r.passed()).as("%s %s: %s", layer.type(), layer.config(), r).isTrue();
        assertThat(r.skipped()).as("elements skipped at kinks: %s", r).isLessThan(Math.max(3, r.checked() / 10));
    }

    @Test
    void erfMatchesTabulatedValues() {
        // Abramowitz & Stegun table 7.1 / any CAS to 16 digits
        assertThat(Erf.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-15));
        assertThat(Erf.erf(1.0)).isCloseTo(0.8427007929497149, within(1e-15));
        assertThat(Erf.erf(2.0)).isCloseTo(0.9953222650189527, within(1e-15));
        assertThat(Erf.erf(-1.0)).isCloseTo(-0.8427007929497149, within(1e-15));
        assertThat(Erf.erfc(3.0)).isCloseTo(2.209049699858544e-5, within(1e-19));
        assertThat(Erf.erfc(5.0)).isCloseTo(1.5374597944280349e-12, within(1e-25));
        // the two expansions meet at 3 without a step
        // the two expansions meet at 3 within the series' absolute rounding (1 - erf loses the rest)
        assertThat(Erf.erfc(Math.nextDown(3.0))).isCloseTo(Erf.erfc(3.0), within(2e-16));
        // the normal CDF
        assertThat(Erf.phi(1.0)).isCloseTo(0.8413447460685429, within(1e-15));
        assertThat(Erf.phi(-1.0)).isCloseTo(0.15865525393145707, within(1e-15));
        assertThat(Erf.phi(0.0)).isEqualTo(0.5);
    }

    @Test
    void knownValuesThroughTheActivationLayer() {
        float[] xs = {-2f, -0.5f, 0f, 0.5f, 2f};
        Map<Activation, double[]> expected = Map.of(
                // 1 / (1 + e^-x)
                Activation.SIGMOID, new double[] {0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546,
                        0.8807970779778823},
                Activation.TANH, new double[] {-0.9640275800758169, -0.46211715726000974, 0, 0.46211715726000974,
                        0.9640275800758169},
                // Keras 3 leaky_relu: negative_slope 0.2
                Activation.LEAKY_RELU, new double[] {-0.4, -0.1, 0, 0.5, 2},
                // elu, alpha 1: e^x - 1 below 0
                Activation.ELU, new double[] {-0.8646647167633873, -0.3934693402873666, 0, 0.5, 2},
                // x Φ(x), Φ(-2) = 0.022750131948179195, Φ(-0.5) = 0.3085375387259869
                Activation.GELU, new double[] {-2 * 0.022750131948179195, -0.5 * 0.3085375387259869, 0,
                        0.5 * (1 - 0.3085375387259869), 2 * (1 - 0.022750131948179195)});
        for (Activation a : NEW) {
            ActivationLayer l = new ActivationLayer(a);
            l.build(new int[] {5}, new Rng(1));
            float[] y = l.forward(Tensor.wrap(xs.clone(), 1, 5), false).data();
            for (int i = 0; i < xs.length; i++) {
                assertThat((double) y[i]).as("%s(%s)", a.keras(), xs[i]).isCloseTo(expected.get(a)[i], within(1e-7));
            }
        }
    }

    @Test
    void geluKeepsTheTinyNegativeTail() {
        // Φ(-8) = 6.22096057427178e-16: 1 + erf(x/√2) in double would lose it, erfc keeps it
        ActivationLayer l = new ActivationLayer(Activation.GELU);
        l.build(new int[] {1}, new Rng(1));
        float y = l.forward(Tensor.wrap(new float[] {-8f}, 1, 1), false).data()[0];
        assertThat((double) y).isCloseTo(-8 * 6.22096057427178e-16, within(8 * 6.22e-16 * 1e-7)); // float's precision
    }

    @Test
    void layerDefaultsAreKeras() {
        LeakyReLU leaky = new LeakyReLU();
        assertThat(leaky.config()).containsEntry("negative_slope", "0.3"); // the layer's default, not the function's 0.2
        leaky.build(new int[] {2}, new Rng(1));
        assertThat(leaky.forward(Tensor.wrap(new float[] {-1f, 1f}, 1, 2), false).data()).containsExactly(-0.3f, 1f);
        assertThat(new ELU().config()).containsEntry("alpha", "1.0");
        assertThatThrownBy(() -> new LeakyReLU(-0.1)).hasMessageContaining("negative_slope >= 0");
        assertThatThrownBy(() -> new ELU(0)).hasMessageContaining("alpha > 0");
        assertThatThrownBy(() -> new Conv2D(2, 3).activation(Activation.SOFTMAX)).hasMessageContaining("softmax");
    }

    @ParameterizedTest(name = "Activation({0})")
    @EnumSource(Activation.class)
    void activationLayerGradients(Activation a) {
        if (a == Activation.SOFTMAX) {
            assertGradients(new ActivationLayer(a), 6);
        } else {
            assertGradients(new ActivationLayer(a), 3, 4, 5);
        }
    }

    @Test
    void leakyReluAndEluLayerGradients() {
        assertGradients(new LeakyReLU(), 3, 4, 5);
        assertGradients(new LeakyReLU(0.05), 7);
        assertGradients(new ELU(), 3, 4, 5);
        assertGradients(new ELU(0.5), 7);
    }

    @ParameterizedTest(name = "Conv2D {0}")
    @EnumSource(value = Activation.class, names = {"SIGMOID", "TANH", "LEAKY_RELU", "ELU", "GELU"})
    void conv2dWithEachActivationOnThreeChannels(Activation a) {
        assertGradients(new Conv2D(4, 3).padding(Padding.SAME).activation(a), 3, 5, 6);
        // through the Winograd engine too (forced: 3 channels is below its threshold)
        assertGradients(new Conv2D(4, 3).padding(Padding.SAME).activation(a).winograd(2), 3, 5, 6);
    }

    @ParameterizedTest(name = "Dense {0}")
    @EnumSource(value = Activation.class, names = {"SIGMOID", "TANH", "LEAKY_RELU", "ELU", "GELU"})
    void denseWithEachActivation(Activation a) {
        assertGradients(new Dense(5, a), 7);
    }

    @Test
    void convolutionAppliesTheActivationToItsLinearOutput() {
        for (Activation a : NEW) {
            Conv2D lin = new Conv2D(2, 3).padding(Padding.SAME);
            Conv2D act = new Conv2D(2, 3).padding(Padding.SAME).activation(a);
            lin.build(new int[] {3, 4, 4}, new Rng(5));
            act.build(new int[] {3, 4, 4}, new Rng(5));
            Tensor x = random(9, 2, 3, 4, 4);
            float[] z = lin.forward(x, false).data().clone();
            float[] y = act.forward(x, false).data();
            ActivationLayer ref = new ActivationLayer(a);
            ref.build(new int[] {z.length}, new Rng(1));
            assertThat(y).as(a.keras()).containsExactly(ref.forward(Tensor.wrap(z, 1, z.length), false).data());
        }
    }

    @Test
    void layersComeBackFromTheirConfiguration() {
        for (Layer l : List.<Layer>of(new ActivationLayer(Activation.GELU), new LeakyReLU(0.1), new ELU(0.7),
                new Conv2D(3, 2).activation(Activation.TANH), new Dense(4, Activation.LEAKY_RELU))) {
            Layer back = Layers.fromConfig(l.type(), l.config());
            assertThat(back.getClass()).isEqualTo(l.getClass());
            assertThat(back.config()).isEqualTo(l.config());
        }
        assertThat(new ActivationLayer(Activation.SIGMOID).type()).isEqualTo("Activation");
    }
}
