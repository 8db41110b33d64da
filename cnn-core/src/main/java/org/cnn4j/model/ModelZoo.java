package org.cnn4j.model;

import org.cnn4j.layers.Activation;
import org.cnn4j.layers.BatchNormalization;
import org.cnn4j.layers.Conv2D;
import org.cnn4j.layers.Dense;
import org.cnn4j.layers.Dropout;
import org.cnn4j.layers.Flatten;
import org.cnn4j.layers.MaxPooling2D;
import org.cnn4j.layers.Padding;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.CosineDecay;
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
      *
      * @param seed the seed of every random stream
      * @return the compiled model, input {@code [1, 28, 28]}, 10 classes
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

    /**
     * The {@code train --model v2} network: a BatchNorm CNN after Chris Deotte's Kaggle MNIST design
     * ("How to choose CNN Architecture MNIST", 2018), whose single networks reach 99.6-99.7% test
     * accuracy with augmentation: three convolution blocks whose last convolution (5x5, stride 2)
     * replaces max pooling with a learned downsampling, each convolution followed by BatchNormalization,
     * dropout 0.4 after each block, a 4x4 convolution to 128 features, and a softmax:
     *
     * <pre>
     * Conv32 3x3 valid, BN; Conv32 3x3 valid, BN; Conv32 5x5 stride 2 same, BN; Dropout 0.4   28 -> 26 -> 24 -> 12
     * Conv64 3x3 valid, BN; Conv64 3x3 valid, BN; Conv64 5x5 stride 2 same, BN; Dropout 0.4   12 -> 10 -> 8 -> 4
     * Conv128 4x4 valid, BN; Flatten; Dropout 0.4; Dense 10 softmax                            4 -> 1
     * </pre>
     *
     * (ReLU in each convolution, before its BatchNormalization, as in that design; the ReLU is fused
     * into the convolution here.) It has about a third of the seed network's multiply-adds (15 M
     * against 32 M per 28x28 image) and 0.33 M weights against 0.89 M. Compiled with Adam (Keras
     * defaults) on a {@link CosineDecay} schedule: a linear warm-up from 1e-4 to 2e-3 over the first
     * epoch, then a cosine decay to 1% of it over the remaining epochs, per step, and categorical
     * cross-entropy.
     *
     * <p>BatchNormalization's moving statistics start at mean 0, variance 1 and keep a weight of
     * {@code 0.99^steps} on those starting values (Keras's momentum), while this network's first
     * activations have variances near 0.005: a run of a few hundred steps ({@code --limit}) validates
     * far below its training accuracy until about two epochs of the full data have passed. That is
     * the moving averages catching up, not the weights: on a 6,000-image, 189-step run, validation
     * gave 8%, and the same weights gave 93% once 500 more forward passes had updated the statistics.
     *
     * @param channels input channels
     * @param height input height
     * @param width input width (at least 28x28 for the valid convolutions)
     * @param classes output classes
     * @param seed seed of every random stream
     * @param stepsPerEpoch batches per epoch, which sizes the schedule
     * @param epochs the epochs the schedule spans (at least 2: one of warm-up, the rest of decay)
     * @return the compiled model
     * @throws IllegalArgumentException when stepsPerEpoch is below 1 or epochs below 2
     */
    public static Sequential digitRecognizerV2(int channels, int height, int width, int classes, long seed,
            int stepsPerEpoch, int epochs) {
        if (stepsPerEpoch < 1 || epochs < 2) {
            throw new IllegalArgumentException("the v2 schedule needs stepsPerEpoch >= 1 and epochs >= 2, got "
                    + stepsPerEpoch + " and " + epochs);
        }
        Sequential m = new Sequential(channels, height, width).seed(seed);
        int[] widths = {32, 64};
        for (int f : widths) {
            m.add(new Conv2D(f, 3, Padding.VALID, Activation.RELU)).add(new BatchNormalization())
                    .add(new Conv2D(f, 3, Padding.VALID, Activation.RELU)).add(new BatchNormalization())
                    .add(new Conv2D(f, 5, Padding.SAME, Activation.RELU).strides(2)).add(new BatchNormalization())
                    .add(new Dropout(0.4));
        }
        m.add(new Conv2D(128, 4, Padding.VALID, Activation.RELU)).add(new BatchNormalization())
                .add(new Flatten())
                .add(new Dropout(0.4))
                .add(new Dense(classes, Activation.SOFTMAX));
        long warmup = stepsPerEpoch, decay = (long) stepsPerEpoch * (epochs - 1);
        Adam adam = new Adam();
        adam.learningRateSchedule(new CosineDecay(1e-4, decay, 0.01, 2e-3, warmup));
        m.compile(adam, new CategoricalCrossentropy());
        return m;
    }
}
