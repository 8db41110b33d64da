package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.conv.ConvTuning;
import org.cnn4j.tensor.Shapes;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every layer called directly with a batch of no samples ({@code N = 0}) gives an empty output and
 * an empty input gradient, writes zero parameter gradients (a sum over no sample), leaves its
 * buffers as they were, and works as before on the next real batch. Conv2D used to fail with an
 * ArrayIndexOutOfBoundsException (im2col's gradient blocks) or an ArithmeticException (Winograd's
 * chunk size), and BatchNormalization in training set its moving statistics to NaN (0/0).
 */
class EmptyBatchTest {

    /** A layer to build on an input shape. */
    private record Case(String what, Supplier<Layer> layer, int[] in) {
    }

    private static List<Case> cases() {
        int[] image = {8, 6, 6}, row = {5};
        List<Case> cs = new ArrayList<>();
        for (ConvTuning.Algorithm a : ConvTuning.Algorithm.values()) {
            cs.add(new Case("Conv2D 3x3 same " + a, () -> new Conv2D(8, 3).padding(Padding.SAME)
                    .activation(Activation.RELU).algorithm(a), image));
            cs.add(new Case("Conv2D 3x3 stride 2 " + a, () -> new Conv2D(4, 3).strides(2).algorithm(a), image));
            cs.add(new Case("Conv2D 6x6 covering the input " + a, () -> new Conv2D(3, 6).activation(Activation.TANH)
                    .algorithm(a), image));
        }
        cs.add(new Case("Conv2D 48 channels (Winograd under auto)", () -> new Conv2D(48, 3).padding(Padding.SAME)
                .activation(Activation.RELU), new int[] {48, 8, 8}));
        cs.add(new Case("BatchNormalization [C, H, W]", BatchNormalization::new, image));
        cs.add(new Case("BatchNormalization [U]", BatchNormalization::new, row));
        cs.add(new Case("Dense softmax", () -> new Dense(3, Activation.SOFTMAX), row));
        cs.add(new Case("Dense relu", () -> new Dense(3, Activation.RELU), row));
        cs.add(new Case("MaxPooling2D", MaxPooling2D::new, image));
        cs.add(new Case("AveragePooling2D same", () -> new AveragePooling2D(3, 3, 2, 2, Padding.SAME), image));
        cs.add(new Case("GlobalMaxPooling2D", GlobalMaxPooling2D::new, image));
        cs.add(new Case("GlobalAveragePooling2D", GlobalAveragePooling2D::new, image));
        cs.add(new Case("Flatten", Flatten::new, image));
        cs.add(new Case("ReLU", ReLU::new, image));
        cs.add(new Case("Softmax", Softmax::new, row));
        cs.add(new Case("Dropout", () -> new Dropout(0.5), image));
        cs.add(new Case("LeakyReLU", LeakyReLU::new, image));
        cs.add(new Case("ELU", ELU::new, image));
        cs.add(new Case("Activation tanh", () -> new ActivationLayer(Activation.TANH), image));
        return cs;
    }

    @Test
    void everyLayerTakesABatchOfNoSamples() {
        for (Case c : cases()) {
            for (boolean firstLayer : new boolean[] {false, true}) {
                Layer l = c.layer().get();
                int[] out = l.build(c.in(), new Rng(3));
                l.setNeedsInputGradient(!firstLayer);
                String what = c.what() + (firstLayer ? " (first layer)" : "");
                // a real step first, so that gradients and buffers hold something to keep or clear
                Tensor x = GradCheckTest.random(11, Shapes.batched(2, c.in()));
                Tensor y = l.forward(x, true);
                l.backward(GradCheckTest.random(12, y.shape()));
                float[][] buffers = l.buffers().stream().map(b -> b.value().data().clone()).toArray(float[][]::new);

                Tensor none = Tensor.zeros(Shapes.batched(0, c.in()));
                assertThat(l.forward(none, false).shape()).as(what + " inference").isEqualTo(Shapes.batched(0, out));
                assertThat(l.forward(none, true).shape()).as(what + " training").isEqualTo(Shapes.batched(0, out));
                Tensor dx = l.backward(Tensor.zeros(Shapes.batched(0, out)));
                if (!firstLayer || dx != null) { // a first layer may skip dL/dx (Flatten's costs nothing)
                    assertThat(dx.shape()).as(what + " dx").isEqualTo(Shapes.batched(0, c.in()));
                }
                for (Param p : l.params()) {
                    assertThat(p.grad().data()).as(what + " d" + p.name()).containsOnly(0f);
                }
                for (int i = 0; i < buffers.length; i++) {
                    assertThat(l.buffers().get(i).value().data()).as(what + " " + l.buffers().get(i).name())
                            .isEqualTo(buffers[i]);
                }
                // and the next real batch is computed as by a layer that never saw the empty one
                Layer fresh = c.layer().get();
                fresh.build(c.in(), new Rng(3));
                for (int i = 0; i < l.params().size(); i++) {
                    System.arraycopy(l.params().get(i).value().data(), 0, fresh.params().get(i).value().data(), 0,
                            l.params().get(i).size());
                }
                for (int i = 0; i < buffers.length; i++) {
                    System.arraycopy(buffers[i], 0, fresh.buffers().get(i).value().data(), 0, buffers[i].length);
                }
                assertThat(l.forward(x, false).data()).as(what + " after").isEqualTo(fresh.forward(x, false).data());
            }
        }
    }

    @Test
    void theFusedConvolutionAndPoolingTakesABatchOfNoSamples() {
        Conv2D conv = new Conv2D(8, 3).padding(Padding.SAME).activation(Activation.RELU);
        MaxPooling2D pool = new MaxPooling2D();
        pool.build(conv.build(new int[] {4, 8, 8}, new Rng(2)), new Rng(3));
        Object fused = ConvMaxPool.fuse(conv, pool);
        assertThat(fused).isInstanceOf(ConvMaxPool.class);
        Tensor y = ((Layer) fused).forward(Tensor.zeros(0, 4, 8, 8), false);
        assertThat(y.shape()).containsExactly(0, 8, 4, 4);
    }

    @Test
    void aChainOfConvolutionsInCellsTakesABatchOfNoSamples() {
        // 40 -> 40 -> 40 channels, 3x3: packed Winograd forward passes, which chain
        Conv2D a = new Conv2D(40, 3).padding(Padding.SAME).activation(Activation.RELU);
        Conv2D b = new Conv2D(40, 3).padding(Padding.SAME).activation(Activation.RELU);
        b.build(a.build(new int[] {40, 8, 8}, new Rng(2)), new Rng(3));
        Object chained = ConvChain.fuse(a, b);
        assertThat(chained).isInstanceOf(ConvChain.class);
        Tensor y = ((Layer) chained).forward(Tensor.zeros(0, 40, 8, 8), false);
        assertThat(y.shape()).containsExactly(0, 40, 8, 8);
    }
}
