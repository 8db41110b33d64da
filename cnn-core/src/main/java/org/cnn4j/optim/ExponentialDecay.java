package org.cnn4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code ExponentialDecay}: {@code lr(step) = initial · rate^(step / decaySteps)}, with the
 * exponent floored when {@code staircase} is set. With a staircase this is step decay: the rate
 * is multiplied by {@code decayRate} every {@code decaySteps} steps (every epoch when decaySteps is
 * the number of batches per epoch).
 */
public final class ExponentialDecay implements LearningRateSchedule {
    private final double initial;
    private final long decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /**
     * The schedule.
     *
     * @param initialLearningRate the rate at step 0, greater than 0
     * @param decaySteps the steps over which the rate is multiplied by {@code decayRate}, at least 1
     * @param decayRate the factor, greater than 0
     * @param staircase whether the exponent is floored (a step decay)
     * @throws IllegalArgumentException for a value out of range
     */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
        if (!(initialLearningRate > 0) || Double.isInfinite(initialLearningRate) || decaySteps < 1 || !(decayRate > 0)
                || Double.isInfinite(decayRate)) {
            throw new IllegalArgumentException("ExponentialDecay needs initial_learning_rate > 0, decay_steps >= 1 and "
                    + "decay_rate > 0, got " + initialLearningRate + ", " + decaySteps + ", " + decayRate);
        }
        this.initial = initialLearningRate;
        this.decaySteps = decaySteps;
        this.decayRate = decayRate;
        this.staircase = staircase;
    }

    @Override
    public String name() {
        return "ExponentialDecay";
    }

    @Override
    public double at(long step) {
        double p = (double) step / decaySteps;
        return initial * Math.pow(decayRate, staircase ? Math.floor(p) : p);
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", Double.toString(initial));
        c.put("decay_steps", Long.toString(decaySteps));
        c.put("decay_rate", Double.toString(decayRate));
        c.put("staircase", Boolean.toString(staircase));
        return c;
    }
}
