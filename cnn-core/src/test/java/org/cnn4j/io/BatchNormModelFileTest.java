package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.BatchNormalization;
import org.cnn4j.layers.Buffer;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Flatten;
import org.cnn4j.layers.MaxPooling2D;
import org.cnn4j.layers.Padding;
import org.cnn4j.layers.ReLU;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.RMSprop;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A BatchNormalization CNN on 3-channel images: it trains, its moving statistics are saved and
 * restored by the model file, and training resumed from a saved file ends bit for bit where an
 * uninterrupted run ends (weights, optimizer state and buffers).
 */
class BatchNormModelFileTest {

    static Sequential model() {
        Sequential m = new Sequential(3, 8, 8).seed(4)
                .add(new Conv2D(6, 3).padding(Padding.SAME))
                .add(new BatchNormalization().momentum(0.8)) // a few dozen steps make the moving statistics usable
                .add(new ReLU())
                .add(new MaxPooling2D())
                .add(new Flatten())
                .add(new Dense(8))
                .add(new BatchNormalization().momentum(0.8))
                .add(new ReLU())
                .add(new Dense(3, Activation.SOFTMAX));
        m.compile(new RMSprop(1e-2), new CategoricalCrossentropy());
        return m;
    }

    static final Tensor X = images();

    static TensorDataset data() {
        int[] labels = new int[X.dim(0)];
        for (int s = 0; s < labels.length; s++) {
            labels[s] = s % 3;
        }
        return new TensorDataset(X, TensorDataset.oneHot(labels, 3));
    }

    /** 30 colour images whose class ({@code s % 3}) is the channel with the brightest mean. */
    static Tensor images() {
        int n = 30;
        Tensor x = Tensor.zeros(n, 3, 8, 8);
        int[] labels = new int[n];
        Rng r = new Rng(11);
        for (int s = 0; s < n; s++) {
            labels[s] = s % 3;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 64; i++) {
                    x.data()[(s * 3 + c) * 64 + i] = (float) (r.uniform(0, 1) + (c == labels[s] ? 0.6 : 0));
                }
            }
        }
        return x;
    }

    private static List<float[]> buffers(Sequential m) {
        return m.buffers().stream().map(b -> b.value().data().clone()).toList();
    }

    @Test
    void summaryCountsTheMovingStatisticsAsNonTrainable() {
        String s = model().summary();
        // conv 6*27+6 = 168, bn 4*6 = 24 (12 trainable), dense 96*8+8 = 776, bn 4*8 = 32 (16), dense 8*3+3 = 27
        assertThat(s).contains("Total params: 1,027\n").contains("Trainable params: 999\n")
                .contains("Non-trainable params: 28\n");
        assertThat(s).containsPattern("batch_normalization \\(BatchNormalization\\)\\s+\\(None, 6, 8, 8\\)\\s+24\\s");
    }

    @Test
    void aThreeChannelBatchNormCnnLearnsAndPredictsWithItsMovingStatistics() {
        Sequential m = model();
        TensorDataset d = data();
        History h = m.fit(d, new FitOptions().batchSize(10).epochs(8));
        List<Double> loss = h.get("loss");
        assertThat(loss.get(loss.size() - 1)).isLessThan(loss.get(0) * 0.5);
        // the moving statistics moved away from (0, 1)
        assertThat(m.buffers().get(0).value().data()).doesNotContain(0f);
        assertThat(m.evaluate(d, 30).accuracy()).isGreaterThan(0.9);
    }

    @Test
    void theModelFileRestoresTheBuffers() throws Exception {
        Sequential m = model();
        m.fit(data(), new FitOptions().batchSize(10).epochs(2));
        List<float[]> before = buffers(m);
        assertThat(before.get(1)).as("moving variance moved").doesNotContain(1f);
        Sequential back = ModelFile.fromBytes(ModelFile.toBytes(m, true, Map.of()), "bn").model();
        List<Buffer> restored = back.buffers();
        assertThat(restored).extracting(Buffer::name)
                .containsExactly("moving_mean", "moving_variance", "moving_mean", "moving_variance");
        for (int i = 0; i < before.size(); i++) {
            assertThat(restored.get(i).value().data()).as("buffer %d", i).isEqualTo(before.get(i));
        }
        Tensor x = X;
        assertThat(back.predict(x).data()).isEqualTo(m.predict(x).data());
        assertThat(back.summary()).isEqualTo(m.summary());
    }

    @Test
    void resumingFromASavedFileEndsBitForBitWhereAnUninterruptedRunEnds() throws Exception {
        TensorDataset d = data();
        Sequential straight = model();
        straight.fit(d, new FitOptions().batchSize(7).epochs(3));

        Sequential first = model();
        first.fit(d, new FitOptions().batchSize(7).epochs(1));
        long[] streams = first.randomStreams().stream().mapToLong(Rng::state).toArray();
        byte[] file = ModelFile.toBytes(first, true, Map.of());
        Sequential resumed = ModelFile.fromBytes(file, "checkpoint").model();
        for (int i = 0; i < streams.length; i++) {
            resumed.randomStreams().get(i).setState(streams[i]);
        }
        resumed.fit(d, new FitOptions().batchSize(7).epochs(3).initialEpoch(1));

        List<float[]> w1 = straight.getWeights().stream().map(org.cnn4j.tensor.Tensor::data).toList();
        List<float[]> w2 = resumed.getWeights().stream().map(org.cnn4j.tensor.Tensor::data).toList();
        for (int i = 0; i < w1.size(); i++) {
            assertThat(w2.get(i)).as("weight %d", i).isEqualTo(w1.get(i));
        }
        List<float[]> b1 = buffers(straight), b2 = buffers(resumed);
        for (int i = 0; i < b1.size(); i++) {
            assertThat(b2.get(i)).as("buffer %d", i).isEqualTo(b1.get(i));
        }
    }
}
