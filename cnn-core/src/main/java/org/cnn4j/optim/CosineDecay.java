package org.cnn4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code CosineDecay} with its optional linear warm-up (Keras 2.13 and later): for
 * {@code step < warmupSteps} the rate goes linearly from {@code initial} to {@code warmupTarget},
 * {@code initial + (target - initial) · step / warmupSteps}; then over {@code decaySteps} it follows
 * {@code from · ((1 - alpha) · (1 + cos(π · s / decaySteps)) / 2 + alpha)} with
 * {@code s = min(step - warmupSteps, decaySteps)} and {@code from} the warm-up target (or the
 * initial rate without warm-up), ending at {@code alpha · from} and staying there.
 */
public final class CosineDecay implements LearningRateSchedule {
    private final double initial;
    private final long decaySteps;
    private final double alpha;
    private final double warmupTarget;
    private final long warmupSteps;

    /**
     * Cosine decay without warm-up.
     *
     * @param initialLearningRate the rate at step 0
     * @param decaySteps the steps of the decay, at least 1
     * @throws IllegalArgumentException for a value out of range
     */
    public CosineDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0, Double.NaN, 0);
    }

    /**
     * The schedule with Keras's arguments.
     *
     * @param initialLearningRate the rate at step 0 (0 is allowed, to warm up from nothing)
     * @param decaySteps the steps of the decay, at least 1
     * @param alpha the final rate as a fraction of the decay's starting rate, in [0, 1]
     * @param warmupTarget the rate the warm-up reaches, or NaN for no warm-up (Keras's {@code None})
     * @param warmupSteps the steps of the warm-up, at least 0
     * @throws IllegalArgumentException for a value out of range
     */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha, double warmupTarget, long warmupSteps) {
        if (!(initialLearningRate >= 0) || Double.isInfinite(initialLearningRate) || decaySteps < 1
                || !(alpha >= 0 && alpha <= 1) || warmupSteps < 0
                || !Double.isNaN(warmupTarget) && (!(warmupTarget >= 0) || Double.isInfinite(warmupTarget))) {
            throw new IllegalArgumentException("CosineDecay needs initial_learning_rate >= 0, decay_steps >= 1, alpha in "
                    + "[0, 1], warmup_steps >= 0 and a finite warmup_target >= 0, got " + initialLearningRate + ", "
                    + decaySteps + ", " + alpha + ", " + warmupSteps + ", " + warmupTarget);
        }
        this.initial = initialLearningRate;
        this.decaySteps = decaySteps;
        this.alpha = alpha;
        this.warmupTarget = warmupTarget;
        this.warmupSteps = Double.isNaN(warmupTarget) ? 0 : warmupSteps;
    }

    @Override
    public String name() {
        return "CosineDecay";
    }

    @Override
    public double at(long step) {
        if (Double.isNaN(warmupTarget)) {
            return decay(Math.min(step, decaySteps), initial);
        }
        long s = Math.min(step, decaySteps + warmupSteps);
        if (s < warmupSteps) {
            return (warmupTarget - initial) * ((double) s / warmupSteps) + initial;
        }
        return decay(s - warmupSteps, warmupTarget);
    }

    private double decay(long s, double from) {
        double cosine = 0.5 * (1 + Math.cos(Math.PI * ((double) s / decaySteps)));
        return from * ((1 - alpha) * cosine + alpha);
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", Double.toString(initial));
        c.put("decay_steps", Long.toString(decaySteps));
        c.put("alpha", Double.toString(alpha));
        c.put("warmup_target", Double.isNaN(warmupTarget) ? "None" : Double.toString(warmupTarget));
        c.put("warmup_steps", Long.toString(warmupSteps));
        return c;
    }
}
