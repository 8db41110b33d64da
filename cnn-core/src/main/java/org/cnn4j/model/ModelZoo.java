package org.cnn4j.model;

import org.cnn4j.layers.Activation;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Dropout;
import org.cnn4j.layers.Flatten;
import org.cnn4j.layers.MaxPooling2D;
import org.cnn4j.layers.Padding;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.RMSprop;

/** Ready-made models. */
public final class ModelZoo {
    private ModelZoo() {
    }

    /**
     * The Kaggle "Digit Recognizer" CNN (Yassine Ghouzam's kernel): Conv32 5x5 x2, max-pool, dropout
     * 0.25, Conv64 3x3 x2, max-pool, dropout 0.25, Dense 256, dropout 0.5, Dense 10 softmax;
     * compiled with RMSprop(0.001, rho 0.9, eps 1e-8) and categorical cross-entropy. 887,530
     * parameters for 28x28 grey images.
     */
    public static Sequential digitRecognizer(long seed) {
        return digitRecognizer(1, 28, 28, 10, seed);
    }

    /**
     * The same architecture for other image sizes and class counts, with the seed kernel's
     * RMSprop(0.001, rho 0.9, eps 1e-8).
     *
     * @param channels image channels
     * @param height image height
     * @param width image width
     * @param classes output classes
     * @param seed the seed of the weights and every random stream
     * @return the compiled model
     */
    public static Sequential digitRecognizer(int channels, int height, int width, int classes, long seed) {
        return digitRecognizer(channels, height, width, classes, seed, new RMSprop(1e-3, 0.9, 1e-8, false));
    }

    /**
     * The same architecture compiled with any optimizer (its learning rate included) and
     * categorical cross-entropy.
     *
     * @param channels image channels
     * @param height image height
     * @param width image width
     * @param classes output classes
     * @param seed the seed of the weights and every random stream
     * @param optimizer the optimizer, such as {@code new RMSprop(5e-4)}
     * @return the compiled model
     */
    public static Sequential digitRecognizer(int channels, int height, int width, int classes, long seed,
            Optimizer optimizer) {
        Sequential m = new Sequential(channels, height, width).seed(seed)
                .add(new Conv2D(32, 5, Padding.SAME, Activation.RELU))
                .add(new Conv2D(32, 5, Padding.SAME, Activation.RELU))
                .add(new MaxPooling2D(2))
                .add(new Dropout(0.25))
                .add(new Conv2D(64, 3, Padding.SAME, Activation.RELU))
                .add(new Conv2D(64, 3, Padding.SAME, Activation.RELU))
                .add(new MaxPooling2D(2))
                .add(new Dropout(0.25))
                .add(new Flatten())
                .add(new Dense(256, Activation.RELU))
                .add(new Dropout(0.5))
                .add(new Dense(classes, Activation.SOFTMAX));
        m.compile(optimizer, new CategoricalCrossentropy());
        return m;
    }
}
