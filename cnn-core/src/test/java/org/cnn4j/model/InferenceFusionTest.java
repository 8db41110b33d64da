package org.cnn4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnn4j.init.Rng;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Dropout;
import org.cnn4j.layers.Flatten;
import org.cnn4j.layers.Layer;
import org.cnn4j.layers.MaxPooling2D;
import org.cnn4j.layers.Padding;
import org.cnn4j.layers.Param;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Predictions run a convolution and the 2x2 max pooling after it as one step (issue 18), and give
 * the bits of the model's own layers run one after the other in inference mode: on the seed CNN
 * at batch sizes 1, 7 and 1000, on a model with odd channel counts and planes the Winograd tiles
 * overrun, on im2col convolutions, and on models where nothing may fuse. The kernels are the ones this JVM runs (the
 * vector ones under Maven); PooledForwardTest holds the engine to the same bits with both.
 */
class InferenceFusionTest {
    private static final String FUSED = "Conv2D+MaxPooling2D";

    /** conv2d_1 to max_pooling2d_1 of the seed CNN: its Winograd convolutions keep their activations packed. */
    private static final String SEED_CHAIN = "Conv2D+Conv2D+MaxPooling2D+Dropout+Conv2D+Conv2D+MaxPooling2D+Dropout";

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 3, 7, 1000})
    void seedCnnPredictsTheUnfusedBits(int n) {
        Sequential m = withRandomBiases(ModelZoo.digitRecognizer(3));
        assertThat(types(m.predictor())).containsExactly(SEED_CHAIN, "Flatten", "Dense", "Dropout", "Dense");
        Tensor x = images(n, 1, 28, 28, 5);
        assertThat(m.predict(x, n).data()).isEqualTo(layerByLayer(m, x).data());
    }

    @Test
    void oddChannelCountsAndOverrunPlanesPredictTheUnfusedBits() {
        // 13 -> 17 filters, 5x5 on 18x22: F(4x4, 5x5) whose tiles overrun both sides, no activation;
        // 53 -> 55, 3x3 on 8x10: F(2x2, 3x3); odd channel and filter counts in both
        Sequential m = new Sequential(3, 18, 22).seed(7)
                .add(new Conv2D(13, 3, Padding.SAME, Activation.RELU)) // 3 channels: im2col, does not pool
                .add(new Conv2D(17, 5, Padding.SAME, Activation.LINEAR))
                .add(new MaxPooling2D(2)) // -> 17 x 9 x 11
                .add(new Conv2D(53, 2, Padding.VALID, Activation.RELU)) // -> 53 x 8 x 10, im2col forward
                .add(new Conv2D(55, 3, Padding.SAME, Activation.RELU))
                .add(new MaxPooling2D(2)) // -> 55 x 4 x 5
                .add(new Flatten())
                .add(new Dense(7, Activation.SOFTMAX));
        m.build();
        withRandomBiases(m);
        // an im2col convolution starts a chain whose next convolution reads cells
        assertThat(types(m.predictor())).containsExactly("Conv2D+" + FUSED, "Conv2D+" + FUSED, "Flatten", "Dense");
        for (int n : new int[] {1, 5}) {
            Tensor x = images(n, 3, 18, 22, n);
            assertThat(m.predict(x, n).data()).as("batch %d", n).isEqualTo(layerByLayer(m, x).data());
        }
    }

    @Test
    void chainedConvolutionsWithOddChannelCountsPredictTheUnfusedBits() {
        // packed Winograd forward passes one after another, odd channel and filter counts, planes
        // the tiles overrun (10x12 with F(4x4, 5x5)), same and valid padding, pooled and not, and
        // dropouts between them: one step from conv2d_1 to the second pooling
        Sequential m = new Sequential(3, 20, 24).seed(8)
                .add(new Conv2D(13, 3, Padding.SAME, Activation.RELU)) // 3 channels: im2col, starts the chain
                .add(new Conv2D(17, 5, Padding.SAME, Activation.LINEAR)) // F(4x4, 5x5)
                .add(new MaxPooling2D(2)) // -> 17 x 10 x 12
                .add(new Dropout(0.3))
                .add(new Conv2D(45, 5, Padding.SAME, Activation.RELU)) // F(4x4, 5x5), tiles overrun 10 rows
                .add(new Conv2D(41, 3, Padding.SAME, Activation.RELU)) // F(2x2, 3x3)
                .add(new Dropout(0.2))
                .add(new Conv2D(43, 3, Padding.VALID, Activation.RELU)) // F(2x2, 3x3) -> 43 x 8 x 10
                .add(new MaxPooling2D(2)) // -> 43 x 4 x 5
                .add(new Flatten())
                .add(new Dense(7, Activation.SOFTMAX));
        m.build();
        withRandomBiases(m);
        assertThat(types(m.predictor())).containsExactly(
                "Conv2D+Conv2D+MaxPooling2D+Dropout+Conv2D+Conv2D+Dropout+Conv2D+MaxPooling2D", "Flatten", "Dense");
        // one predictor: batches after the first reuse its cells, whose borders must still be zero
        Predictor p = m.predictor();
        for (int n : new int[] {7, 1, 3}) {
            Tensor x = images(n, 3, 20, 24, 30 + n);
            assertThat(p.predict(x, n).data()).as("batch %d", n).isEqualTo(layerByLayer(m, x).data());
        }
    }

    @Test
    void aChainRunInBlocksOfImagesPredictsTheUnfusedBits() {
        // blocks of 2 images through the whole chain, the last block of 1: offsets into the
        // input and output, and cells reused from block to block
        Sequential seed = withRandomBiases(ModelZoo.digitRecognizer(3));
        Tensor x = images(7, 1, 28, 28, 6);
        String before = System.getProperty("cnn4j.chain.block");
        System.setProperty("cnn4j.chain.block", "2");
        try {
            Predictor p = seed.predictor();
            assertThat(types(p)).contains(SEED_CHAIN);
            assertThat(p.predict(x, 7).data()).isEqualTo(layerByLayer(seed, x).data());
        } finally {
            if (before == null) {
                System.clearProperty("cnn4j.chain.block");
            } else {
                System.setProperty("cnn4j.chain.block", before);
            }
        }
    }

    @Test
    void im2colConvolutionsPoolInTheirGemmEpilogue() {
        // one input channel, and a stride of 2: both im2col, as in the usual small Keras MNIST CNN
        Sequential m = new Sequential(1, 28, 28).seed(5)
                .add(new Conv2D(8, 3, Padding.SAME, Activation.RELU))
                .add(new MaxPooling2D(2)) // -> 8 x 14 x 14
                .add(new Conv2D(15, 3, Padding.VALID, Activation.RELU).strides(2)) // -> 15 x 6 x 6
                .add(new MaxPooling2D(2)) // -> 15 x 3 x 3
                .add(new Flatten())
                .add(new Dense(10, Activation.SOFTMAX));
        withRandomBiases(m);
        assertThat(types(m.predictor())).containsExactly(FUSED, FUSED, "Flatten", "Dense");
        for (int n : new int[] {1, 6}) {
            Tensor x = images(n, 1, 28, 28, 20 + n);
            assertThat(m.predict(x, n).data()).as("batch %d", n).isEqualTo(layerByLayer(m, x).data());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "control: fuses, 14, 14, relu, 2, 2, valid, true",
        "odd height, 13, 14, relu, 2, 2, valid, false",
        "odd width, 14, 15, relu, 2, 2, valid, false",
        "same padding, 14, 14, relu, 2, 2, same, false",
        "stride 1, 14, 14, relu, 2, 1, valid, false",
        "3x3 window, 15, 15, relu, 3, 3, valid, false",
        "elu after the convolution, 14, 14, elu, 2, 2, valid, false"})
    void onlyAnEven2x2ValidPoolingAfterAPoolingEngineFuses(String what, int h, int w, String activation, int pool,
                                                             int stride, String padding, boolean fuses) {
        // 56 -> 56 channels, 3x3: a Winograd F(2x2, 3x3) forward pass in the packed layout, which pools
        Sequential m = new Sequential(56, h, w).seed(9)
                .add(new Conv2D(56, 3, Padding.SAME, Activation.parse(activation)))
                .add(new MaxPooling2D(pool, pool, stride, stride, Padding.parse(padding)))
                .add(new Flatten())
                .add(new Dense(3, Activation.SOFTMAX));
        withRandomBiases(m);
        assertThat(types(m.predictor())).as(what)
                .isEqualTo(fuses ? List.of(FUSED, "Flatten", "Dense") : List.of("Conv2D", "MaxPooling2D", "Flatten", "Dense"));
        Tensor x = images(3, 56, h, w, 11);
        assertThat(m.predict(x, 3).data()).isEqualTo(layerByLayer(m, x).data());
    }

    @Test
    void trainingAfterFusedPredictionsIsUnchanged() {
        // the model's own layers never fuse: a training step gives the same loss with or without
        // fused predictions before it
        Sequential a = ModelZoo.digitRecognizer(2), b = ModelZoo.digitRecognizer(2);
        Tensor x = images(4, 1, 28, 28, 3), y = Tensor.zeros(4, 10);
        for (int i = 0; i < 4; i++) {
            y.data()[i * 10 + i] = 1;
        }
        a.predict(x);
        assertThat(a.trainOnBatch(x, y, null)).isEqualTo(b.trainOnBatch(x, y, null));
        assertThat(a.predict(x).data()).isEqualTo(b.predict(x).data());
    }

    /** The reference: the model's own layers, unfused, in inference mode. */
    private static Tensor layerByLayer(Sequential m, Tensor x) {
        Tensor t = x;
        for (Layer l : m.layers()) {
            t = l.forward(t, false);
        }
        return t;
    }

    private static List<String> types(Predictor p) {
        return p.steps().stream().map(Layer::type).toList();
    }

    /** Glorot kernels as built, and biases of both signs, so that the bias add and ReLU matter. */
    private static Sequential withRandomBiases(Sequential m) {
        m.build();
        Rng r = new Rng(17);
        for (Param p : m.params()) {
            if (p.name().equals("bias")) {
                float[] b = p.value().data();
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) r.uniform(-0.2, 0.2);
                }
            }
        }
        return m;
    }

    private static Tensor images(int n, int c, int h, int w, long seed) {
        Rng r = new Rng(seed);
        Tensor x = Tensor.zeros(n, c, h, w);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) r.uniform(0, 1);
        }
        return x;
    }
}
