package org.cnn4j.mnist.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cnn4j.callbacks.ReduceLROnPlateau;
import org.cnn4j.mnist.InputException;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.RMSprop;
import org.cnn4j.optim.SGD;
import picocli.CommandLine.Option;

/**
 * The options that decide a training run's result: the recipe. Every option here is stored in the
 * run's checkpoint and restored by {@code train --resume} without further code ({@link RunOptions}
 * walks this class's options), so adding one is a field here and, if its values are bounded, a line
 * in {@link #validate()}. Options that do not change the result ({@code --out}, {@code --threads},
 * {@code --json}) belong to the command instead.
 */
final class RecipeOptions {
    @Option(names = "--epochs", defaultValue = "30", description = "Passes over the training data (default: ${DEFAULT-VALUE}, the seed recipe).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "86", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--val-split", defaultValue = "0.1", description = "Fraction held out for validation (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--seed", defaultValue = "2", description = "Seed of every random stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model", defaultValue = "seed", description = "The network: seed (the Kaggle kernel's CNN, with this "
            + "recipe's optimizer and ReduceLROnPlateau) or v2 (a BatchNorm CNN, Adam on a warm-up + cosine schedule; the "
            + "optimizer and plateau options do not apply; see ModelZoo) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--no-augment", description = "Train on the images as they are.")
    boolean noAugment;

    @Option(names = "--interpolation", defaultValue = "bilinear", description = "Augmentation resampling: bilinear or nearest (default: ${DEFAULT-VALUE}).")
    String interpolation;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N labelled images (quick runs).")
    Integer limit;

    @Option(names = "--optimizer", defaultValue = "rmsprop", paramLabel = "NAME",
            description = "rmsprop (the seed recipe), adam or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", description = "Initial learning rate (default: 0.001 for rmsprop and adam, 0.01 for sgd: Keras's).")
    Double lr;

    @Option(names = "--rho", defaultValue = "0.9", description = "rmsprop: decay of the squared-gradient average (default: ${DEFAULT-VALUE}).")
    double rho;

    @Option(names = "--beta1", defaultValue = "0.9", description = "adam: decay of the gradient average (default: ${DEFAULT-VALUE}).")
    double beta1;

    @Option(names = "--beta2", defaultValue = "0.999", description = "adam: decay of the squared-gradient average (default: ${DEFAULT-VALUE}).")
    double beta2;

    @Option(names = "--epsilon", paramLabel = "EPS", description = "rmsprop and adam: the denominator's epsilon (default: 1e-8 for "
            + "rmsprop, the seed kernel's Keras 2; 1e-7 for adam, Keras's).")
    Double epsilon;

    @Option(names = "--momentum", defaultValue = "0.0", description = "sgd: momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--nesterov", description = "sgd: Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--patience", defaultValue = "3", description = "ReduceLROnPlateau on val_accuracy: epochs without improvement "
            + "before the rate is cut (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--lr-factor", defaultValue = "0.5", description = "ReduceLROnPlateau: the cut's factor (default: ${DEFAULT-VALUE}).")
    double lrFactor;

    @Option(names = "--min-lr", defaultValue = "1e-5", description = "ReduceLROnPlateau: the lowest rate (default: ${DEFAULT-VALUE}).")
    double minLr;

    /** The learning rate this recipe starts from. */
    double initialLearningRate() {
        return lr != null ? lr : optimizer.equalsIgnoreCase("sgd") ? 0.01 : 1e-3;
    }

    /** A fresh optimizer of this recipe. */
    Optimizer newOptimizer() {
        double rate = initialLearningRate();
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "rmsprop" -> new RMSprop(rate, rho, epsilon != null ? epsilon : 1e-8, false);
            case "adam" -> new Adam(rate, beta1, beta2, epsilon != null ? epsilon : 1e-7);
            case "sgd" -> new SGD(rate, momentum, nesterov);
            default -> throw new InputException("--optimizer must be rmsprop, adam or sgd, got " + optimizer);
        };
    }

    /** The plateau schedule of this recipe, on {@code monitor} ({@code val_accuracy} in the seed kernel). */
    ReduceLROnPlateau newPlateau(String monitor, boolean verbose) {
        return new ReduceLROnPlateau(monitor, lrFactor, patience).minLr(minLr).verbose(verbose);
    }

    /** The hyperparameters that apply to this recipe, by option name, for reports. */
    Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("epochs", Integer.toString(epochs));
        m.put("batch size", Integer.toString(batchSize));
        m.put("validation split", Double.toString(valSplit));
        m.put("seed", Long.toString(seed));
        m.put("augmentation", noAugment ? "off" : "rotation 10, zoom 0.1, shifts 0.1, " + interpolation);
        m.put("limit", limit == null ? "all images" : limit.toString());
        String opt = optimizer.toLowerCase(Locale.ROOT);
        if (isV2()) {
            m.put("optimizer", "Adam with a linear warm-up over the first epoch, then a cosine decay (ModelZoo.digitRecognizerV2)");
            return m;
        }
        m.put("optimizer", switch (opt) {
            case "rmsprop" -> "RMSprop(lr " + initialLearningRate() + ", rho " + rho + ", epsilon " + (epsilon != null ? epsilon : 1e-8) + ")";
            case "adam" -> "Adam(lr " + initialLearningRate() + ", beta1 " + beta1 + ", beta2 " + beta2 + ", epsilon "
                    + (epsilon != null ? epsilon : 1e-7) + ")";
            default -> "SGD(lr " + initialLearningRate() + ", momentum " + momentum + (nesterov ? ", nesterov" : "") + ")";
        });
        m.put("schedule", "ReduceLROnPlateau(val_accuracy, factor " + lrFactor + ", patience " + patience + ", min_lr " + minLr + ")");
        return m;
    }

    /** Whether the run trains the v2 network, whose optimizer and schedule are its own. */
    boolean isV2() {
        return model.equals("v2");
    }

    /** Rejects values outside their range, naming the option. */
    void validate() {
        check(epochs >= 0, "--epochs must be >= 0, got " + epochs);
        check(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
        check(valSplit >= 0 && valSplit < 1, "--val-split must be in [0, 1), got " + valSplit);
        check(limit == null || limit >= 1, "--limit must be >= 1, got " + limit);
        check(interpolation.equalsIgnoreCase("bilinear") || interpolation.equalsIgnoreCase("nearest"),
                "--interpolation must be bilinear or nearest, got " + interpolation);
        check(model.equals("seed") || model.equals("v2"), "--model must be seed or v2, got " + model);
        check(optimizer.matches("(?i)rmsprop|adam|sgd"), "--optimizer must be rmsprop, adam or sgd, got " + optimizer);
        check(lr == null || (lr > 0 && Double.isFinite(lr)), "--lr must be > 0, got " + lr);
        check(rho >= 0 && rho < 1, "--rho must be in [0, 1), got " + rho);
        check(beta1 >= 0 && beta1 < 1, "--beta1 must be in [0, 1), got " + beta1);
        check(beta2 >= 0 && beta2 < 1, "--beta2 must be in [0, 1), got " + beta2);
        check(epsilon == null || epsilon >= 0, "--epsilon must be >= 0, got " + epsilon);
        check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum); // SGD's own range
        check(patience >= 0, "--patience must be >= 0, got " + patience);
        check(lrFactor > 0 && lrFactor < 1, "--lr-factor must be in (0, 1), got " + lrFactor);
        check(minLr >= 0 && minLr <= initialLearningRate(), "--min-lr must be in [0, --lr], got " + minLr);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new InputException(message);
        }
    }
}
