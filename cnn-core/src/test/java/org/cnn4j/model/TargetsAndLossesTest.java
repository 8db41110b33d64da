package org.cnn4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.init.Rng;
import org.cnn4j.io.ModelFile;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Dense;
import org.cnn4j.loss.BinaryCrossentropy;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.loss.MeanSquaredError;
import org.cnn4j.loss.SparseCategoricalCrossentropy;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Training on targets that are not one-hot: integer labels, binary targets, regression values; the
 * accuracy chosen from the shapes as Keras's {@code "accuracy"} is; losses kept by the model file.
 */
class TargetsAndLossesTest {

    /** Four Gaussian-ish blobs in 2-D, labelled 0..3 by quadrant. */
    private static Tensor points(int n, long seed, int[] labels) {
        Rng r = new Rng(seed);
        Tensor x = Tensor.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            float a = (float) r.uniform(-1, 1), b = (float) r.uniform(-1, 1);
            x.data()[2 * i] = a;
            x.data()[2 * i + 1] = b;
            labels[i] = (a > 0 ? 1 : 0) + (b > 0 ? 2 : 0);
        }
        return x;
    }

    @Test
    void accuracyIsChosenFromTheShapesAsKerasChoosesIt() {
        Tensor p = Tensor.wrap(new float[] {0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f}, 2, 3);
        // categorical: argmax 1 vs 1 right, argmax 0 vs 2 wrong
        assertThat(Accuracy.correct(p, Tensor.wrap(new float[] {0, 1, 0, 0, 0, 1}, 2, 3))).isEqualTo(1.0);
        // sparse, [N] and [N, 1]: labels 1 and 0, both right
        assertThat(Accuracy.correct(p, Tensor.wrap(new float[] {1, 0}, 2))).isEqualTo(2.0);
        assertThat(Accuracy.correct(p, Tensor.wrap(new float[] {1, 2}, 2, 1))).isEqualTo(1.0);
        // binary: threshold 0.5 (0.5 itself is class 0, as p > 0.5 is Keras's test)
        Tensor q = Tensor.wrap(new float[] {0.9f, 0.5f, 0.2f, 0.51f}, 4, 1);
        assertThat(Accuracy.correct(q, Tensor.wrap(new float[] {1, 0, 1, 1}, 4, 1))).isEqualTo(3.0);
        // binary with two outputs per sample: each sample counts by the fraction of its outputs right
        Tensor q2 = Tensor.wrap(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2, 1);
        assertThat(Accuracy.correct(q2, Tensor.wrap(new float[] {1, 1, 0, 1}, 2, 2, 1))).isEqualTo(1.5);
    }

    @Test
    void integerLabelsTrainAsOneHotRowsDo() {
        int n = 200;
        int[] labels = new int[n];
        Tensor x = points(n, 3, labels);
        Tensor sparse = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            sparse.data()[i] = labels[i];
        }
        Sequential a = new Sequential(2).seed(5).add(new Dense(16, Activation.TANH)).add(new Dense(4, Activation.SOFTMAX));
        Sequential b = new Sequential(2).seed(5).add(new Dense(16, Activation.TANH)).add(new Dense(4, Activation.SOFTMAX));
        a.compile(new Adam(1e-2, 0.9, 0.999, 1e-7), new SparseCategoricalCrossentropy());
        b.compile(new Adam(1e-2, 0.9, 0.999, 1e-7), new CategoricalCrossentropy());
        History ha = a.fit(new TensorDataset(x, sparse), new FitOptions().batchSize(20).epochs(5));
        History hb = b.fit(new TensorDataset(x, TensorDataset.oneHot(labels, 4)), new FitOptions().batchSize(20).epochs(5));
        // the same fused gradient (p - y)/N: the same weights, bit for bit, and the same history
        List<org.cnn4j.tensor.Tensor> wa = a.getWeights(), wb = b.getWeights();
        for (int i = 0; i < wa.size(); i++) {
            assertThat(wa.get(i).shape()).isEqualTo(wb.get(i).shape());
            assertThat(wa.get(i).data()).as("weight %d", i).isEqualTo(wb.get(i).data());
        }
        assertThat(ha.get("loss")).isEqualTo(hb.get("loss"));
        assertThat(ha.get("accuracy")).isEqualTo(hb.get("accuracy"));
        assertThat(ha.get("loss").get(4)).isLessThan(ha.get("loss").get(0) * 0.7);
        Evaluation e = a.evaluate(new TensorDataset(x, sparse), 64);
        long right = 0;
        for (int i = 0; i < n; i++) {
            right += e.predicted()[i] == labels[i] ? 1 : 0;
        }
        assertThat(e.accuracy()).isEqualTo(right / (double) n);
    }

    @Test
    void aSigmoidOutputTrainsOnBinaryTargets() {
        int n = 200;
        int[] labels = new int[n];
        Tensor x = points(n, 4, labels);
        Tensor y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            y.data()[i] = labels[i] % 2; // right half: a > 0
        }
        Sequential m = new Sequential(2).seed(6).add(new Dense(8, Activation.ELU)).add(new Dense(1, Activation.SIGMOID));
        m.compile(new Adam(2e-2, 0.9, 0.999, 1e-7), new BinaryCrossentropy());
        TensorDataset data = new TensorDataset(x, y);
        History h = m.fit(data, new FitOptions().batchSize(20).epochs(8));
        assertThat(h.get("loss").get(7)).isLessThan(h.get("loss").get(0) * 0.5);
        Evaluation e = m.evaluate(data, 50);
        Tensor p = m.predict(x);
        long right = 0;
        for (int i = 0; i < n; i++) {
            int cls = p.data()[i] > 0.5f ? 1 : 0;
            assertThat(e.predicted()[i]).isEqualTo(cls);
            right += cls == labels[i] % 2 ? 1 : 0;
        }
        assertThat(e.accuracy()).isEqualTo(right / (double) n).isGreaterThan(0.9);
        assertThat(data.numClasses()).isEqualTo(2);
    }

    @Test
    void meanSquaredErrorFitsARegression() {
        int n = 100;
        Rng r = new Rng(8);
        Tensor x = Tensor.zeros(n, 3), y = Tensor.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            float a = (float) r.uniform(-1, 1), b = (float) r.uniform(-1, 1), c = (float) r.uniform(-1, 1);
            x.data()[3 * i] = a;
            x.data()[3 * i + 1] = b;
            x.data()[3 * i + 2] = c;
            y.data()[2 * i] = 2 * a - b;
            y.data()[2 * i + 1] = 0.5f * c + 1;
        }
        Sequential m = new Sequential(3).seed(7).add(new Dense(2));
        m.compile(new Adam(5e-2, 0.9, 0.999, 1e-7), new MeanSquaredError());
        History h = m.fit(new TensorDataset(x, y), new FitOptions().batchSize(10).epochs(20));
        assertThat(h.get("loss").get(19)).isLessThan(1e-3).isLessThan(h.get("loss").get(0) / 100);
        assertThat(m.evaluate(new TensorDataset(x, y), 32).loss()).isCloseTo(h.get("loss").get(19), within(1e-2));
    }

    @Test
    void theModelFileKeepsTheLossAndItsSettings() throws Exception {
        Sequential m = new Sequential(2).seed(1).add(new Dense(1));
        m.compile(new Adam(), new BinaryCrossentropy(true));
        Sequential back = ModelFile.fromBytes(ModelFile.toBytes(m, true, java.util.Map.of()), "mem").model();
        assertThat(back.loss()).isInstanceOf(BinaryCrossentropy.class);
        assertThat(back.loss().config()).containsEntry("from_logits", "true");
        m.compile(new Adam(), new SparseCategoricalCrossentropy());
        back = ModelFile.fromBytes(ModelFile.toBytes(m, true, java.util.Map.of()), "mem").model();
        assertThat(back.loss()).isInstanceOf(SparseCategoricalCrossentropy.class);
        assertThat(back.loss().config()).isEmpty();
    }
}
