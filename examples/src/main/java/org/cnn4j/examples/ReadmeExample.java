package org.cnn4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.callbacks.*;
import org.cnn4j.data.*;
import org.cnn4j.init.Rng;
import org.cnn4j.layers.*;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.model.*;
import org.cnn4j.optim.RMSprop;
import org.cnn4j.tensor.Tensor;

/**
 * The README's "library in a few lines", word for word between the markers (ReadmeExampleTest
 * compares them), on a few hundred synthetic 28x28 digits so that it runs in seconds.
 */
public final class ReadmeExample {
    private ReadmeExample() {
    }

    /** What a run gives back to the test. */
    public record Result(Sequential model, History history, Tensor probabilities, Tensor images) {
    }

    /**
     * Trains the README's model on synthetic data and saves it.
     *
     * @param args one argument: the directory to write {@code model.cnn4j} into (default: a temporary one)
     * @throws IOException if the model cannot be saved
     */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("cnn4j-example");
        Result r = run(synthetic(320, 1), synthetic(80, 2), synthetic(8, 3).images(), dir);
        System.out.println("val_accuracy " + r.history().get("val_accuracy"));
    }

    /** Inputs and their one-hot targets. */
    record Data(Tensor images, TensorDataset dataset) {
    }

    /**
     * {@code n} synthetic 28x28 grey images of 10 classes: each class a bar pattern, with noise.
     *
     * @param n the number of images
     * @param seed the noise's seed
     * @return the images and their dataset
     */
    static Data synthetic(int n, long seed) {
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
        return new Data(x, new TensorDataset(x, TensorDataset.oneHot(labels, 10)));
    }

    /**
     * The README's code.
     *
     * @param train the training data
     * @param validation the validation data
     * @param images images to predict
     * @param dir where to write {@code model.cnn4j}
     * @return the model, its history and the predictions
     * @throws IOException if the model cannot be saved
     */
    public static Result run(Data train, Data validation, Tensor images, Path dir) throws IOException {
        Dataset trainData = train.dataset();
        Dataset valData = validation.dataset();
        // README-BEGIN
        Sequential model = new Sequential(1, 28, 28).seed(2)              // NCHW input, one seed for everything
            .add(new Conv2D(32, 5, Padding.SAME, Activation.RELU))
            .add(new MaxPooling2D(2))
            .add(new Dropout(0.25))
            .add(new Flatten())
            .add(new Dense(10, Activation.SOFTMAX));
        model.compile(new RMSprop(1e-3), new CategoricalCrossentropy());
        System.out.print(model.summary());

        History h = model.fit(trainData, new FitOptions().batchSize(86).epochs(10).validation(valData)
            .callbacks(new ReduceLROnPlateau("val_accuracy", 0.5, 3).minLr(1e-5),
                       new EarlyStopping("val_loss", 5).restoreBestWeights(true)));
        Tensor probabilities = model.predict(images);                    // images [N, 1, 28, 28] -> [N, 10]
        org.cnn4j.io.ModelFile.save(model, dir.resolve("model.cnn4j"));
        // README-END
        return new Result(model, h, probabilities, images);
    }
}
