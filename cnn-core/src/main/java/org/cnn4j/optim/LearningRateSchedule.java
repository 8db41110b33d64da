package org.cnn4j.optim;

import java.util.Map;
import org.cnn4j.internal.config.Booleans;

/**
 * A learning rate that is a function of the optimizer's step count, as Keras's
 * {@code keras.optimizers.schedules.LearningRateSchedule}: the optimizer evaluates it at
 * {@link Optimizer#iterations()} (the steps taken before the current one, from 0) at every step, so
 * it changes per step, not per epoch. For a per-epoch change count steps per epoch: a decay every
 * epoch is {@code decaySteps = ceil(samples / batchSize)} with a staircase.
 *
 * <p>A schedule holds no state of its own: the step count lives in the optimizer and is saved with
 * it, and the schedule's configuration is saved in the optimizer's, so a checkpoint restores both.
 */
public interface LearningRateSchedule {
    /**
     * The Keras class name.
     *
     * @return for example {@code "CosineDecay"}
     */
    String name();

    /**
     * The learning rate at a step.
     *
     * @param step the steps taken before this one, from 0
     * @return the rate, finite and at least 0
     */
    double at(long step);

    /**
     * The hyper-parameters that rebuild this schedule with {@link #fromConfig}, Keras's names.
     *
     * @return a new mutable map
     */
    Map<String, String> config();

    /**
     * Rebuilds a schedule from its name and {@link #config()}.
     *
     * @param name the Keras class name
     * @param c the configuration
     * @return the schedule
     * @throws IllegalArgumentException for an unknown name or a missing or malformed key
     */
    static LearningRateSchedule fromConfig(String name, Map<String, String> c) {
        try {
            return switch (name) {
                case "ExponentialDecay" -> new ExponentialDecay(num(c, "initial_learning_rate"),
                        Long.parseLong(str(c, "decay_steps")), num(c, "decay_rate"),
                        Booleans.parse("learning-rate schedule configuration", "staircase", str(c, "staircase")));
                case "PiecewiseConstantDecay" -> PiecewiseConstantDecay.parse(str(c, "boundaries"), str(c, "values"));
                case "CosineDecay" -> {
                    String target = c.getOrDefault("warmup_target", "None");
                    yield new CosineDecay(num(c, "initial_learning_rate"), Long.parseLong(str(c, "decay_steps")),
                            num(c, "alpha"), target.equals("None") ? Double.NaN : Double.parseDouble(target),
                            Long.parseLong(str(c, "warmup_steps")));
                }
                default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + name + "'");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("learning-rate schedule " + name + ": malformed number (" + e.getMessage() + ")");
        }
    }

    private static String str(Map<String, String> c, String key) {
        String v = c.get(key);
        if (v == null) {
            throw new IllegalArgumentException("learning-rate schedule configuration lacks '" + key + "'");
        }
        return v;
    }

    private static double num(Map<String, String> c, String key) {
        return Double.parseDouble(str(c, key));
    }
}
