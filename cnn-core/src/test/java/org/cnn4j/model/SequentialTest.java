package org.cnn4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.layers.Layer;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SequentialTest {

    /** 64 synthetic 28x28 digits: each class a distinct bar pattern, with noise. */
    static TensorDataset synthetic(int n, long seed) {
        Rng r = new Rng(seed);
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = c;
            for (int p = 0; p < 784; p++) {
                int row = p / 28, col = p % 28;
                boolean ink = (row / 3 == c && col > 3 && col < 24) || (col / 3 == (c + 3) % 9 && row > 5);
                x.data()[i * 784 + p] = (ink ? 0.8f : 0f) + (float) r.uniform(0, 0.2);
            }
        }
        return new TensorDataset(x, TensorDataset.oneHot(labels, 10));
    }

    @Test
    void aStopAskedAtAnEpochsBeginningStillTrainsOneBatchAsKeras() {
        // fit read the request before each batch, so the epoch ran none and logged loss 0 and
        // accuracy 0 (0 / max(1, 0)); Keras reads model.stop_training after each batch
        Sequential m = new Sequential(3).seed(1).add(new org.cnn4j.layers.Dense(2, org.cnn4j.layers.Activation.SOFTMAX))
                .compile(new org.cnn4j.optim.SGD(0.1), new org.cnn4j.loss.CategoricalCrossentropy());
        TensorDataset data = new TensorDataset(Tensor.wrap(new float[] {1, 2, 3, -1, 0, 1, 2, 2, 2, 0, 1, 0}, 4, 3),
                TensorDataset.oneHot(new int[] {0, 1, 0, 1}, 2));
        Callback stopAtOnce = new Callback() {
            private Sequential model;

            @Override
            public void onTrainBegin(Sequential model, int epochs, int batchesPerEpoch) {
                this.model = model;
            }

            @Override
            public void onEpochBegin(int epoch) {
                model.stopTraining();
            }
        };
        History h = m.fit(data, new FitOptions().batchSize(2).epochs(3).callbacks(stopAtOnce));
        assertThat(h.epochs()).isEqualTo(1);
        assertThat(m.optimizer().iterations()).isEqualTo(1);
        assertThat(h.last("loss")).isGreaterThan(0).isFinite();
    }

    @Test
    void seedModelSummaryTotals887530LikeKeras() {
        Sequential m = ModelZoo.digitRecognizer(2);
        String s = m.summary();
        assertThat(m.paramCount()).isEqualTo(887_530);
        assertThat(s).contains("Total params: 887,530");
        assertThat(s).contains("conv2d (Conv2D)").contains("(None, 32, 28, 28)").contains("832");
        assertThat(s).contains("conv2d_1 (Conv2D)").contains("25,632");
        assertThat(s).contains("dense (Dense)").contains("803,072");
        assertThat(s).contains("dense_1 (Dense)").contains("(None, 10)").contains("2,570");
        assertThat(m.layers()).extracting(Layer::paramCount)
                .containsExactly(832L, 25_632L, 0L, 0L, 18_496L, 36_928L, 0L, 0L, 0L, 803_072L, 0L, 2_570L);
    }

    @Test
    void seedModelOverfits64ImagesToFullTrainingAccuracy() {
        TensorDataset data = synthetic(64, 1);
        Sequential m = ModelZoo.digitRecognizer(3);
        History h = m.fit(data, new FitOptions().batchSize(16).epochs(15));
        Evaluation e = m.evaluate(data, 64);
        assertThat(e.accuracy()).as("history %s", h.get("loss")).isEqualTo(1.0);
        assertThat(h.get("loss").get(h.epochs() - 1)).isLessThan(h.get("loss").get(0) / 5);
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsForAnyThreadCount() {
        TensorDataset data = synthetic(40, 2);
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            List<Tensor> one = train(data);
            Parallel.setThreads(2);
            List<Tensor> two = train(data);
            List<Tensor> again = train(data);
            for (int i = 0; i < one.size(); i++) {
                // isEqualTo compares arrays element by element in O(n); containsExactly is O(n^2)
                assertThat(two.get(i).data()).as("param %d, 1 vs 2 threads", i).isEqualTo(one.get(i).data());
                assertThat(again.get(i).data()).as("param %d, run to run", i).isEqualTo(two.get(i).data());
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    private static List<Tensor> train(TensorDataset data) {
        Sequential m = ModelZoo.digitRecognizer(9);
        m.fit(data, new FitOptions().batchSize(12).epochs(1));
        return m.getWeights();
    }

    @Test
    void differentSeedsGiveDifferentWeights() {
        assertThat(ModelZoo.digitRecognizer(1).getWeights().get(0).data())
                .isNotEqualTo(ModelZoo.digitRecognizer(2).getWeights().get(0).data());
    }

    @Test
    void historyLogsKerasMetricNames() {
        TensorDataset data = synthetic(20, 3);
        Sequential m = ModelZoo.digitRecognizer(1);
        History h = m.fit(data, new FitOptions().batchSize(8).epochs(2).validation(data));
        assertThat(h.names()).containsExactly("loss", "accuracy", "val_loss", "val_accuracy", "lr");
        assertThat(h.epochs()).isEqualTo(2);
    }

    @Test
    void divergingTrainingStopsWithAClearError() {
        Sequential m = ModelZoo.digitRecognizer(1);
        List<org.cnn4j.layers.Param> ps = m.params();
        ps.get(ps.size() - 1).value().data()[3] = Float.POSITIVE_INFINITY;
        Tensor x = Tensor.zeros(2, 1, 28, 28);
        Tensor y = TensorDataset.oneHot(new int[] {1, 2}, 10);
        List<Tensor> before = m.getWeights();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.trainOnBatch(x, y, null))
                .isInstanceOf(TrainingDivergedException.class).hasMessageContaining("NaN");
        assertThat(m.getWeights().get(0).data()).isEqualTo(before.get(0).data());
    }

    /**
     * A diverged step leaves every weight of getWeights as it was, the moving statistics of a batch
     * normalization included: they were updated by the forward pass before the loss was checked,
     * so one input row with an infinity made them NaN, and every later prediction NaN.
     */
    @Test
    void aDivergedStepLeavesTheMovingStatisticsAsTheyWere() {
        Sequential m = new Sequential(4).seed(1).add(new org.cnn4j.layers.Dense(3))
                .add(new org.cnn4j.layers.BatchNormalization())
                .add(new org.cnn4j.layers.Dense(2, org.cnn4j.layers.Activation.SOFTMAX));
        m.compile(new org.cnn4j.optim.SGD(0.1), new org.cnn4j.loss.CategoricalCrossentropy());
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 4, -1, 0.5f, 2, 0, 3, -2, 1, 1}, 3, 4);
        Tensor y = TensorDataset.oneHot(new int[] {0, 1, 1}, 2);
        m.trainOnBatch(x, y, null); // a finite step moves the statistics
        List<Tensor> before = m.getWeights();
        float[] predicted = m.predict(x).data().clone();
        Tensor bad = x.copy();
        bad.data()[5] = Float.POSITIVE_INFINITY;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.trainOnBatch(bad, y, null))
                .isInstanceOf(TrainingDivergedException.class);
        List<Tensor> after = m.getWeights();
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i).data()).as("weight %d", i).isEqualTo(before.get(i).data());
        }
        assertThat(m.predict(x).data()).isEqualTo(predicted);
    }

    /** Identity forward; its backward pass writes {@code gradient} into its one parameter. */
    static final class PoisonedGradient extends Layer {
        private final float gradient;
        private org.cnn4j.layers.Param w;

        PoisonedGradient(float gradient) {
            this.gradient = gradient;
        }

        @Override
        public String type() {
            return "PoisonedGradient";
        }

        @Override
        protected org.cnn4j.layers.LayerSpec spec(int[] in) {
            return org.cnn4j.layers.LayerSpec.output(in).param("w", 3);
        }

        @Override
        protected void onBuild() {
            w = param("w");
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dy) {
            w.grad().data()[1] = gradient;
            return dy;
        }
    }

    /** A finite loss with a NaN or infinite gradient: the optimizer step must not happen. */
    @Test
    void nonFiniteGradientStopsTrainingBeforeTheStep() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Sequential m = new Sequential(4).seed(3).add(new PoisonedGradient(bad))
                    .add(new org.cnn4j.layers.Dense(3, org.cnn4j.layers.Activation.SOFTMAX));
            m.compile(new org.cnn4j.optim.RMSprop(1e-3), new org.cnn4j.loss.CategoricalCrossentropy());
            Tensor x = Tensor.zeros(2, 4);
            Tensor y = TensorDataset.oneHot(new int[] {1, 2}, 3);
            List<Tensor> before = m.getWeights();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.trainOnBatch(x, y, null))
                    .isInstanceOf(TrainingDivergedException.class).hasMessageContaining("gradient of poisoned_gradient/w");
            assertThat(m.optimizer().iterations()).isZero();
            for (int i = 0; i < before.size(); i++) {
                assertThat(m.getWeights().get(i).data()).isEqualTo(before.get(i).data());
            }
        }
        Sequential ok = new Sequential(4).seed(3).add(new PoisonedGradient(1e30f))
                .add(new org.cnn4j.layers.Dense(3, org.cnn4j.layers.Activation.SOFTMAX));
        ok.compile(new org.cnn4j.optim.RMSprop(1e-3), new org.cnn4j.loss.CategoricalCrossentropy());
        ok.trainOnBatch(Tensor.zeros(2, 4), TensorDataset.oneHot(new int[] {1, 2}, 3), null);
        assertThat(ok.optimizer().iterations()).isEqualTo(1);
    }
}
