package org.cnn4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.TensorDataset;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every public entry point refuses a wrong shape with one line naming the call, the expected and
 * the actual shape: the cases of issue 12 first ([N,28,28], [N,784], 783 floats per image, a
 * larger image that used to throw ArrayIndexOutOfBoundsException).
 */
class ShapeChecksTest {
    private static final Sequential MODEL = ModelZoo.digitRecognizer(1);

    private static Tensor y(int n, int k) {
        return TensorDataset.oneHot(new int[n], k);
    }

    @Test
    void predictOnImagesWithoutTheChannelAxis() {
        assertThatThrownBy(() -> MODEL.predict(Tensor.zeros(32, 28, 28)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("predict: expected [N, 1, 28, 28], got [32, 28, 28]")
                .hasMessageContaining("reshape it to [32, 1, 28, 28]");
    }

    @Test
    void predictOnFlatRows() {
        assertThatThrownBy(() -> MODEL.predict(Tensor.zeros(5, 784)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("predict: expected [N, 1, 28, 28], got [5, 784]");
    }

    @Test
    void predictOn783FloatsPerImage() {
        assertThatThrownBy(() -> MODEL.predict(Tensor.zeros(4, 783)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("predict: expected [N, 1, 28, 28], got [4, 783]");
        assertThatThrownBy(() -> MODEL.predict(Tensor.zeros(4, 1, 28, 27)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("predict: expected [N, 1, 28, 28], got [4, 1, 28, 27]");
    }

    @Test
    void predictOnLargerImagesNoLongerThrowsArrayIndexOutOfBounds() {
        for (Tensor x : new Tensor[] {Tensor.zeros(3, 785), Tensor.zeros(3, 1, 32, 32), Tensor.zeros(3, 3, 28, 28)}) {
            assertThatThrownBy(() -> MODEL.predict(x)).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("predict: expected [N, 1, 28, 28], got ");
        }
    }

    @Test
    void predictOnOneSampleWithoutBatchAxisSaysSo() {
        assertThatThrownBy(() -> MODEL.predict(Tensor.zeros(1, 28, 28)))
                .hasMessageContaining("one sample without its batch dimension");
        assertThatThrownBy(() -> MODEL.predict(Tensor.zeros(2, 1, 28, 28), 0))
                .hasMessage("predict: expected a batch size >= 1, got 0");
    }

    @Test
    void rightShapesStillPredict() {
        assertThat(MODEL.predict(Tensor.zeros(3, 1, 28, 28)).shape()).containsExactly(3, 10);
        assertThat(MODEL.predict(Tensor.zeros(0, 1, 28, 28)).shape()).containsExactly(0, 10);
    }

    @Test
    void fitOnTensorsChecksInputsAndTargets() {
        Sequential m = ModelZoo.digitRecognizer(2);
        FitOptions o = new FitOptions().epochs(1);
        assertThatThrownBy(() -> m.fit(Tensor.zeros(8, 784), y(8, 10), o))
                .hasMessage("fit: expected [N, 1, 28, 28], got [8, 784] (the values per sample are right: reshape it to [8, 1, 28, 28])");
        assertThatThrownBy(() -> m.fit(Tensor.zeros(8, 1, 28, 28), y(8, 9), o))
                .hasMessage("fit: expected targets [8, 10] (one-hot, one row per input) or [8] (one label per input), got [8, 9]");
        assertThatThrownBy(() -> m.fit(Tensor.zeros(8, 1, 28, 28), y(7, 10), o))
                .hasMessage("fit: expected targets [8, 10] (one-hot, one row per input) or [8] (one label per input), got [7, 10]");
        assertThat(m.optimizer().iterations()).isZero();
    }

    @Test
    void aBatchSizeNearIntegerMaxValueIsOneBatchOfEverySample() {
        // ceil(n / batch) computed as (n + batch - 1) / batch overflowed to 0 or less: no training at
        // all (or an ArithmeticException with steps_per_epoch); Keras trains one batch of every sample
        Dataset d = new TensorDataset(Tensor.zeros(6, 1, 28, 28), y(6, 10));
        for (int steps : new int[] {0, 2}) {
            Sequential huge = ModelZoo.digitRecognizer(2), exact = ModelZoo.digitRecognizer(2);
            History h = huge.fit(d, new FitOptions().epochs(1).verbose(0).stepsPerEpoch(steps).batchSize(Integer.MAX_VALUE));
            exact.fit(d, new FitOptions().epochs(1).verbose(0).stepsPerEpoch(steps).batchSize(6));
            assertThat(huge.optimizer().iterations()).isEqualTo(exact.optimizer().iterations()).isPositive();
            assertThat(h.get("loss")).hasSize(1);
            for (int i = 0; i < huge.getWeights().size(); i++) {
                assertThat(huge.getWeights().get(i).data()).isEqualTo(exact.getWeights().get(i).data()); // containsExactly is quadratic
            }
        }
    }

    @Test
    void fitAndEvaluateCheckDatasets() {
        Sequential m = ModelZoo.digitRecognizer(2);
        Dataset flat = new TensorDataset(Tensor.zeros(8, 784), y(8, 10));
        Dataset nineClasses = new TensorDataset(Tensor.zeros(8, 1, 28, 28), y(8, 9));
        Dataset good = new TensorDataset(Tensor.zeros(8, 1, 28, 28), y(8, 10));
        assertThatThrownBy(() -> m.fit(flat, new FitOptions()))
                .hasMessageStartingWith("fit: expected training data samples of shape [1, 28, 28], got [784]");
        assertThatThrownBy(() -> m.fit(nineClasses, new FitOptions()))
                .hasMessage("fit: expected training data with 10 classes (the model's output width), got 9 classes");
        assertThatThrownBy(() -> m.fit(good, new FitOptions().validation(flat)))
                .hasMessageStartingWith("fit: expected validation data samples of shape [1, 28, 28], got [784]");
        assertThatThrownBy(() -> m.evaluate(flat, 4))
                .hasMessageStartingWith("evaluate: expected data samples of shape [1, 28, 28], got [784]");
        assertThatThrownBy(() -> m.evaluate(nineClasses, 4))
                .hasMessage("evaluate: expected data with 10 classes (the model's output width), got 9 classes");
        // no training samples: with steps_per_epoch fit ended in an ArithmeticException, without it
        // it logged epochs of loss 0 and accuracy 0
        Dataset none = new TensorDataset(Tensor.zeros(0, 1, 28, 28), y(0, 10));
        for (FitOptions o : new FitOptions[] {new FitOptions().epochs(2), new FitOptions().epochs(2).stepsPerEpoch(3)}) {
            assertThatThrownBy(() -> m.fit(none, o)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("fit: the training data holds no samples");
        }
        // no validation samples: refused before training, not by evaluate after the first epoch
        assertThatThrownBy(() -> m.fit(good, new FitOptions().epochs(2).validation(none)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fit: the validation data holds no samples");
        assertThat(m.optimizer().iterations()).isZero();
    }

    @Test
    void anInputShapeWithADimensionBelowOneIsRefused() {
        // [0, 4, 4] was taken, and a Flatten model predicted [N, 0]
        for (int[] shape : new int[][] {{0, 4, 4}, {1, 0, 4}, {3, -2}, {0}}) {
            assertThatThrownBy(() -> new Sequential(shape)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Sequential: expected an input shape of dimensions >= 1, got " + java.util.Arrays.toString(shape));
        }
    }

    @Test
    void evaluateRefusesDataWithNoSamples() {
        // it reported loss 0 and accuracy 0 for nothing (Math.max(1, n) as the divisor); Keras refuses
        // evaluating empty data ("Expected input data to be non-empty")
        Dataset none = new TensorDataset(Tensor.zeros(0, 1, 28, 28), y(0, 10));
        assertThatThrownBy(() -> MODEL.evaluate(none, 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("evaluate: the data holds no samples");
        Sequential uncompiled = new Sequential(3).add(new org.cnn4j.layers.Dense(2, org.cnn4j.layers.Activation.SOFTMAX));
        assertThatThrownBy(() -> uncompiled.evaluate(new TensorDataset(Tensor.zeros(0, 3), y(0, 2)), 1))
                .hasMessage("evaluate: the data holds no samples");
        // predicting on no samples is no mean: it stays an empty result, in both entry points
        assertThat(MODEL.predict(Tensor.zeros(0, 1, 28, 28), 7).shape()).containsExactly(0, 10);
        assertThat(MODEL.predictor().predict(Tensor.zeros(0, 1, 28, 28)).shape()).containsExactly(0, 10);
    }

    @Test
    void trainOnBatchChecksInputsAndTargets() {
        Sequential m = ModelZoo.digitRecognizer(2);
        assertThatThrownBy(() -> m.trainOnBatch(Tensor.zeros(2, 28, 28), y(2, 10), null))
                .hasMessageStartingWith("trainOnBatch: expected [N, 1, 28, 28], got [2, 28, 28]");
        assertThatThrownBy(() -> m.trainOnBatch(Tensor.zeros(2, 1, 28, 28), y(3, 10), null))
                .hasMessage("trainOnBatch: expected targets [2, 10] (one-hot, one row per input) or [2] (one label per input), got [3, 10]");
        // no samples: a shape error, not "the training loss became NaN ... try a lower learning rate"
        assertThatThrownBy(() -> m.trainOnBatch(Tensor.zeros(0, 1, 28, 28), y(0, 10), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trainOnBatch: expected at least one sample, got [0, 1, 28, 28]");
        assertThat(m.optimizer().iterations()).isZero();
    }

    @Test
    void tensorDatasetChecksItsTensors() {
        assertThatThrownBy(() -> new TensorDataset(Tensor.zeros(8), y(8, 10)))
                .hasMessage("TensorDataset: expected inputs [N, ...] with at least one dimension per sample, got [8]");
        assertThatThrownBy(() -> new TensorDataset(Tensor.zeros(8, 784), y(7, 10)))
                .hasMessage("TensorDataset: expected targets [8, ...] (one per input), got [7, 10]");
        assertThatThrownBy(() -> new TensorDataset(Tensor.zeros(8, 784), Tensor.zeros(7)))
                .hasMessage("TensorDataset: expected targets [8, ...] (one per input), got [7]");
    }

    @Test
    void setWeightsRefusesATensorFlowLayoutKernelOfTheRightLength() {
        Sequential m = ModelZoo.digitRecognizer(3);
        List<Tensor> w = m.getWeights();
        assertThat(w.get(0).shape()).containsExactly(32, 1, 5, 5);
        List<Tensor> before = m.getWeights();
        w.set(0, Tensor.zeros(5, 5, 1, 32)); // Keras's HWIO kernel: the same 800 floats
        assertThatThrownBy(() -> m.setWeights(w))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("setWeights: conv2d/kernel expects [32, 1, 5, 5], got [5, 5, 1, 32]")
                .hasMessageContaining("transpose");
        assertThat(m.getWeights().get(0).data()).isEqualTo(before.get(0).data());
    }

    @Test
    void setWeightsChecksEveryShapeBeforeWritingAny() {
        Sequential m = ModelZoo.digitRecognizer(3);
        List<Tensor> w = m.getWeights();
        float[] first = w.get(0).data().clone();
        w.get(0).data()[0] = 42f;
        w.set(w.size() - 1, Tensor.zeros(9));
        assertThatThrownBy(() -> m.setWeights(w)).hasMessage("setWeights: dense_1/bias expects [10], got [9]");
        assertThat(m.getWeights().get(0).data()).isEqualTo(first);
        assertThatThrownBy(() -> m.setWeights(w.subList(0, 3)))
                .hasMessageStartingWith("setWeights: expected 12 tensors [conv2d/kernel, conv2d/bias, conv2d_1/kernel");
    }

    @Test
    void weightsByNameWithTheirShapes() {
        Sequential m = ModelZoo.digitRecognizer(3);
        Map<String, Tensor> named = m.namedWeights();
        assertThat(named.keySet()).containsExactly("conv2d/kernel", "conv2d/bias", "conv2d_1/kernel", "conv2d_1/bias",
                "conv2d_2/kernel", "conv2d_2/bias", "conv2d_3/kernel", "conv2d_3/bias", "dense/kernel", "dense/bias",
                "dense_1/kernel", "dense_1/bias");
        assertThat(named.get("conv2d_1/kernel").shape()).containsExactly(32, 32, 5, 5);
        assertThat(named.get("dense/kernel").shape()).containsExactly(3136, 256);

        Tensor k = m.getWeight("conv2d_1/kernel");
        k.data()[7] = 0.5f;
        assertThat(m.getWeight("conv2d_1/kernel").data()[7]).as("a copy").isNotEqualTo(0.5f);
        m.setWeights(Map.of("conv2d_1/kernel", k));
        assertThat(m.getWeight("conv2d_1/kernel").data()[7]).isEqualTo(0.5f);

        assertThatThrownBy(() -> m.setWeights(Map.of("conv2d_1/kernel", Tensor.zeros(32, 32, 25))))
                .hasMessage("setWeights: conv2d_1/kernel expects [32, 32, 5, 5], got [32, 32, 25]");
        assertThatThrownBy(() -> m.getWeight("conv2d_9/kernel"))
                .hasMessageStartingWith("no weight named 'conv2d_9/kernel'; the model has [conv2d/kernel,");
        assertThatThrownBy(() -> m.setWeights(Map.of("conv2d_1/kernel", k, "conv2d/bias", Tensor.zeros(31))))
                .hasMessage("setWeights: conv2d/bias expects [32], got [31]");
    }
}
