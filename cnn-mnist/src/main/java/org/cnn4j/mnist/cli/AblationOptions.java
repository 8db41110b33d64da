package org.cnn4j.mnist.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.cnn4j.callbacks.ReduceLROnPlateau;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.augment.CenterConvention;
import org.cnn4j.model.FitOptions;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.RMSprop;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The {@code train} options that switch one Keras-version detail at a time, for the accuracy
 * ablations of {@code docs/accuracy.md}. Each default is today's behaviour, so a run without them is
 * the run it always was; checkpoints written before these options existed resume with the defaults.
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

    /** The options that decide a run's result, as the checkpoint stores them. */
    Map<String, String> runOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("--center", center.toLowerCase(Locale.ROOT));
        o.put("--epsilon-inside-sqrt", Boolean.toString(epsilonInsideSqrt));
        o.put("--steps-per-epoch", Integer.toString(stepsPerEpoch));
        o.put("--legacy-patience", Boolean.toString(legacyPatience));
        return o;
    }

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
    void applyTo(ReduceLROnPlateau lr) {
        lr.legacyPatience(legacyPatience);
    }

    /** Adds the steps per epoch to {@code fit}'s options. */
    FitOptions applyTo(FitOptions options) {
        return options.stepsPerEpoch(stepsPerEpoch);
    }

    /**
     * Takes the options from a checkpoint's; an option given on the command line must agree. A
     * checkpoint older than these options recorded none of them: its run used the defaults.
     */
    void adopt(Map<String, String> was, ParseResult given, String checkpoint) {
        Map<String, String> now = runOptions();
        Map<String, String> defaults = Map.of("--center", "correct", "--epsilon-inside-sqrt", "false",
                "--steps-per-epoch", "0", "--legacy-patience", "false");
        for (String name : now.keySet()) {
            String then = was.getOrDefault(name, defaults.get(name));
            if (given.hasMatchedOption(name) && !Objects.equals(now.get(name), then)) {
                throw new InputException(name + " conflicts with the checkpoint in " + checkpoint
                        + ", whose run was started with " + name + " " + then
                        + " (a resumed run keeps its options; leave " + name + " out)");
            }
        }
        center = was.getOrDefault("--center", defaults.get("--center"));
        epsilonInsideSqrt = Boolean.parseBoolean(was.getOrDefault("--epsilon-inside-sqrt", "false"));
        legacyPatience = Boolean.parseBoolean(was.getOrDefault("--legacy-patience", "false"));
        try {
            stepsPerEpoch = Integer.parseInt(was.getOrDefault("--steps-per-epoch", "0"));
        } catch (NumberFormatException e) {
            throw new InputException(checkpoint + ": malformed --steps-per-epoch in the checkpoint", e);
        }
    }
}
