package org.cnn4j.mnist.cli;

import java.util.Locale;
import java.util.Map;
import org.cnn4j.callbacks.ReduceLROnPlateau;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.augment.CenterConvention;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.RMSprop;
import picocli.CommandLine.Option;

/**
 * The {@code train} options that switch one Keras-version detail at a time, for the accuracy
 * ablations of {@code docs/accuracy.md}. Each default is today's behaviour, so a run without them is
 * the run it always was. A checkpoint records them with the other run options ({@link RunOptions});
 * one written before they existed resumes with the defaults.
 */
final class AblationOptions {
    @Option(names = "--center", defaultValue = "correct", paramLabel = "C",
            description = "Centre of the augmentation's rotation and zoom: correct (size/2 - 0.5, Keras >= 2.9) "
                    + "or keras2017 (size/2 + 0.5, Keras 2.0.x, the kernel's) (default: ${DEFAULT-VALUE}).")
    String center;

    @Option(names = "--epsilon-inside-sqrt",
            description = "RMSprop as Keras 3: lr*g/sqrt(a + eps) instead of the kernel's lr*g/(sqrt(a) + eps).")
    boolean epsilonInsideSqrt;

    @Option(names = "--steps-per-epoch", defaultValue = "0", paramLabel = "N",
            description = "Keras fit_generator's steps_per_epoch: N batches per epoch from a running iterator "
                    + "(the kernel: 37800 // 86 = 439); 0 means one whole pass per epoch (default: ${DEFAULT-VALUE}).")
    int stepsPerEpoch;

    @Option(names = "--legacy-patience",
            description = "ReduceLROnPlateau counts patience as Keras 2.0.x did (the kernel's): the first halving "
                    + "comes on the 4th flat epoch instead of the 3rd.")
    boolean legacyPatience;

    void validate() {
        centerConvention();
        if (stepsPerEpoch < 0) {
            throw new InputException("--steps-per-epoch must be >= 0, got " + stepsPerEpoch);
        }
    }

    CenterConvention centerConvention() {
        return switch (center.toLowerCase(Locale.ROOT)) {
            case "correct" -> CenterConvention.CORRECT;
            case "keras2017" -> CenterConvention.KERAS_2017;
            default -> throw new InputException("--center must be correct or keras2017, got " + center);
        };
    }

    /** Switches the model's RMSprop to epsilon inside the root when asked (same lr, rho, epsilon). */
    void applyTo(Sequential model) {
        if (epsilonInsideSqrt) {
            if (!(model.optimizer() instanceof RMSprop)) {
                throw new InputException("--epsilon-inside-sqrt applies to RMSprop, the model uses "
                        + model.optimizer().name());
            }
            Map<String, String> c = model.optimizer().config();
            model.compile(new RMSprop(model.optimizer().learningRate(), Double.parseDouble(c.get("rho")),
                    Double.parseDouble(c.get("epsilon")), true), model.loss());
        }
    }

    /** Switches the scheduler to Keras 2.0.x's patience counting when asked. */
    void applyTo(ReduceLROnPlateau plateau) {
        plateau.legacyPatience(legacyPatience);
    }

    /** Adds the steps per epoch to {@code fit}'s options. */
    FitOptions applyTo(FitOptions options) {
        return options.stepsPerEpoch(stepsPerEpoch);
    }
}
