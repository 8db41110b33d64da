package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.conv.ConvTuning;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The {@link Layer} contract: shapes and parameter shapes come from {@link Layer#spec} alone,
 * parameters and buffers are kept apart, and an {@link Layer#inferenceCopy()} shares the weights
 * and computes the same bits.
 */
class LayerContractTest {

    /** Identity with one parameter and two buffers, to see the contract without a real layer's code. */
    static final class Stateful extends Layer {
        @Override
        public String type() {
            return "Stateful";
        }

        @Override
        protected LayerSpec spec(int[] in) {
            return LayerSpec.output(in).param("w", 2, 3).buffer("count", in[0]).buffer("scale", 1);
        }

        @Override
        protected void initialize(Rng rng) {
            buffer("scale").value().data()[0] = 1f;
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dy) {
            return dy;
        }

        @Override
        protected Layer newUnbuilt() {
            return new Stateful();
        }
    }

    private static List<Layer> everyLayer() {
        return List.of(new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(2, 2, 3).strides(2, 1), new MaxPooling2D(), new Dropout(0.3), new ReLU(),
                new Flatten());
    }

    @Test
    void countsAndShapesComeFromTheSpecAndMatchWhatBuildCreates() {
        int[] in = {3, 6, 7};
        for (Layer l : everyLayer()) {
            int[] out = l.outputShapeFor(in);
            long params = l.paramCountFor(in);
            assertThat(l.params()).isEmpty();
            assertThat(l.build(in, new Rng(1))).as(l.type()).isEqualTo(out);
            assertThat(l.paramCount()).as(l.type()).isEqualTo(params);
            assertThat(l.nonTrainableCountFor(in)).isZero();
            assertThat(l.buffers()).isEmpty();
        }
        Dense d = new Dense(5);
        assertThat(d.paramCountFor(new int[] {7})).isEqualTo(7 * 5 + 5);
        d.build(new int[] {7}, new Rng(1));
        assertThat(d.params()).extracting(Param::name).containsExactly("kernel", "bias");
        assertThat(d.params().get(0).value().shape()).containsExactly(7, 5);
        Stateful s = new Stateful();
        assertThat(s.nonTrainableCountFor(new int[] {4})).isEqualTo(5);
        s.build(new int[] {4}, new Rng(1));
        assertThat(s.buffers()).extracting(Buffer::name).containsExactly("count", "scale");
        assertThat(s.nonTrainableCount()).isEqualTo(5);
        assertThat(s.paramCount()).isEqualTo(6);
        assertThat(s.buffer("scale").value().data()).containsExactly(1f);
    }

    @Test
    void aShapeALayerCannotTakeIsNamedInTheError() {
        assertThatThrownBy(() -> new Dense(3).outputShapeFor(new int[] {2, 4}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Dense").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> new Conv2D(3, 5).paramCountFor(new int[] {1, 3, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Conv2D").hasMessageContaining("[1, 3, 3]");
        assertThatThrownBy(() -> new MaxPooling2D().build(new int[] {4, 4}, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MaxPooling2D").hasMessageContaining("[4, 4]");
        assertThatThrownBy(() -> new Softmax().outputShapeFor(new int[] {2, 5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Softmax").hasMessageContaining("[2, 5]");
    }

    @Test
    void aSampleShapeWithADimensionBelowOneIsRefused() {
        // they were taken: Flatten made [N, 0] outputs, Dense a [0, 3] kernel whose outputs were the bias alone
        assertThatThrownBy(() -> new Flatten().outputShapeFor(new int[] {0, 4, 4})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Flatten expects input dimensions >= 1, got [0, 4, 4]");
        assertThatThrownBy(() -> new Dense(3).build(new int[] {0}, new Rng(1)))
                .hasMessage("Dense expects input dimensions >= 1, got [0]");
        assertThatThrownBy(() -> new GlobalAveragePooling2D().paramCountFor(new int[] {3, 0, 4}))
                .hasMessage("GlobalAveragePooling2D expects input dimensions >= 1, got [3, 0, 4]");
        assertThatThrownBy(() -> new BatchNormalization().nonTrainableCountFor(new int[] {2, -1}))
                .hasMessage("BatchNormalization expects input dimensions >= 1, got [2, -1]");
    }

    @Test
    void aSpecRefusesTwoTensorsOfOneName() {
        assertThatThrownBy(() -> LayerSpec.output(3).param("w", 2).buffer("w", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w'");
        assertThatThrownBy(() -> LayerSpec.output(3).param("w", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLayerIsBuiltOnce() {
        Dense d = new Dense(2);
        d.build(new int[] {3}, new Rng(1));
        assertThatThrownBy(() -> d.build(new int[] {3}, new Rng(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already built");
    }

    @Test
    void gradCheckOnAnUnbuiltLayerSaysSo() {
        assertThatThrownBy(() -> GradCheck.check(new Dense(2), Tensor.zeros(1, 3), false, 1e-2, 5, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Dense is not built");
    }

    @Test
    void inferenceCopiesShareTheWeightsAndComputeTheSameBits() {
        Sequential m = ModelZoo.digitRecognizer(3, 12, 10, 4, 5);
        m.build();
        Tensor x = GradCheckTest.random(8, 3, 3, 12, 10);
        Tensor tx = x;
        for (Layer l : m.layers()) {
            Layer c = l.inferenceCopy();
            assertThat(c).isNotSameAs(l).isInstanceOf(l.getClass());
            assertThat(c.name()).isEqualTo(l.name());
            assertThat(c.outputShape()).isEqualTo(l.outputShape());
            for (int i = 0; i < l.params().size(); i++) {
                assertThat(c.params().get(i)).isSameAs(l.params().get(i));
            }
            float[] expected = l.forward(tx, false).data().clone();
            Tensor out = c.forward(tx, false);
            assertThat(out.data()).as(l.name()).isEqualTo(expected);
            if (!(l instanceof Flatten || l instanceof Dropout)) {
                assertThat(out.data()).as("%s has activation buffers of its own", l.name())
                        .isNotSameAs(l.forward(tx, false).data());
            }
            tx = Tensor.wrap(expected, out.shape());
        }
        // a weight changed later is seen by the copy: nothing was copied
        Dense last = (Dense) m.layers().get(m.layers().size() - 1);
        Layer copy = last.inferenceCopy();
        last.params().get(1).value().data()[2] += 3f;
        Tensor in = GradCheckTest.random(2, 2, last.inputShape()[0]);
        assertThat(copy.forward(in, false).data()).isEqualTo(last.forward(in, false).data().clone());
    }

    /** The promise of inferenceCopy: copies on their own threads, at the same time, give the original's bits. */
    @Test
    void inferenceCopiesRunConcurrentlyWithTheSameBits() throws Exception {
        Sequential m = ModelZoo.digitRecognizer(3, 12, 10, 4, 6);
        m.build();
        Tensor x = GradCheckTest.random(9, 2, 3, 12, 10);
        float[] expected = m.predict(x).data();
        int threads = 3;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Layer> copies = m.layers().stream().map(Layer::inferenceCopy).toList();
                results.add(pool.submit(() -> {
                    boolean same = true;
                    for (int rep = 0; rep < 15; rep++) {
                        Tensor out = x;
                        for (Layer l : copies) {
                            out = l.forward(out, false);
                        }
                        same &= java.util.Arrays.equals(out.data(), expected);
                    }
                    return same;
                }));
            }
            for (java.util.concurrent.Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyConvolutionAlgorithmKeepsItsBitsInACopy() {
        for (ConvTuning.Algorithm a : ConvTuning.Algorithm.values()) {
            Conv2D c = new Conv2D(8, 3).padding(Padding.SAME).activation(Activation.RELU).algorithm(a);
            c.build(new int[] {8, 9, 9}, new Rng(4));
            Conv2D copy = (Conv2D) c.inferenceCopy();
            assertThat(copy.algorithmName()).isEqualTo(c.algorithmName());
            Tensor x = GradCheckTest.random(3, 2, 8, 9, 9);
            assertThat(copy.forward(x, false).data()).as(a.name()).isEqualTo(c.forward(x, false).data().clone());
        }
    }

    @Test
    void buffersAreSharedByACopyAndCountedInTheSummary() {
        Stateful s = new Stateful();
        s.build(new int[] {4}, new Rng(1));
        Layer c = s.inferenceCopy();
        assertThat(c.buffers().get(0)).isSameAs(s.buffers().get(0));
        assertThat(c.buffer("scale").value().data()).containsExactly(1f);

        Sequential m = new Sequential(4).add(new Stateful()).add(new Dense(2));
        assertThat(m.buffers()).hasSize(2);
        assertThat(m.nonTrainableCount()).isEqualTo(5);
        String summary = m.summary();
        assertThat(summary).contains("Total params: 21\n").contains("Trainable params: 16\n")
                .contains("Non-trainable params: 5\n");
        assertThat(summary).containsPattern("stateful \\(Stateful\\)\\s+\\(None, 4\\)\\s+11\\s");
    }

    @Test
    void anInferenceCopyOfDropoutCannotTrain() {
        Dropout d = new Dropout(0.5);
        d.build(new int[] {4}, new Rng(1));
        Layer c = d.inferenceCopy();
        assertThat(c.randomStreams()).isEmpty();
        assertThatThrownBy(() -> c.forward(Tensor.zeros(2, 4), true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inference copy");
    }

    @Test
    void anUnbuiltLayerHasNothingToCopy() {
        assertThatThrownBy(() -> new Dense(2).inferenceCopy()).isInstanceOf(IllegalStateException.class);
    }
}
