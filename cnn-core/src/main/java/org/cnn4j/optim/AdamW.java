package org.cnn4j.optim;

import java.util.Arrays;
import java.util.Map;
import org.cnn4j.layers.Param;

/**
 * AdamW as Keras 3 applies it (Loshchilov and Hutter's decoupled weight decay): before the Adam
 * update, every parameter not excluded is shrunk by the current learning rate times the decay,
 * {@code w -= w · weight_decay · lr}, then {@code m = b1·m + (1-b1)·g}, {@code v = b2·v + (1-b2)·g²},
 * {@code w -= lr·sqrt(1-b2^t)/(1-b1^t) · m / (sqrt(v) + eps)}. The decay is scaled by the learning
 * rate (so a schedule shrinks it too), as Keras's {@code _apply_weight_decay} does, rather than
 * being the paper's separate schedule multiplier. Keras decays every trainable variable unless
 * told otherwise ({@link #excludeFromWeightDecay}).
 */
public final class AdamW extends Optimizer {
    private final double weightDecay;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private String[] excluded = new String[0];

    /** Keras 3 defaults: lr 0.001, weight_decay 0.004, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public AdamW() {
        this(1e-3, 0.004, 0.9, 0.999, 1e-7);
    }

    /**
     * Full control.
     *
     * @param learningRate the learning rate, positive
     * @param weightDecay the decoupled decay factor, at least 0
     * @param beta1 the first moment's decay, in [0, 1)
     * @param beta2 the second moment's decay, in [0, 1)
     * @param epsilon added to the root of the second moment, at least 0
     * @throws IllegalArgumentException for a value out of range
     */
    public AdamW(double learningRate, double weightDecay, double beta1, double beta2, double epsilon) {
        super(learningRate);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon >= 0)) {
            throw new IllegalArgumentException("AdamW needs betas in [0, 1) and epsilon >= 0");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("AdamW needs a finite weight_decay >= 0, got " + weightDecay);
        }
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /**
     * Exempts parameters from the decay, as Keras's {@code exclude_from_weight_decay(var_names=...)}:
     * a parameter is exempt when its name contains one of the strings (e.g. {@code "bias"}, or
     * {@code "gamma"} and {@code "beta"} for BatchNormalization).
     *
     * @param names substrings of parameter names
     * @return this optimizer
     */
    public AdamW excludeFromWeightDecay(String... names) {
        this.excluded = names.clone();
        return this;
    }

    @Override
    public String name() {
        return "AdamW";
    }

    @Override
    protected int slotsPerParam() {
        return 2;
    }

    @Override
    protected void update(Param p, float[][] slots, long step, int from, int to) {
        if (weightDecay > 0 && !isExcluded(p.name())) { // w - w·wd·lr, in float as Keras computes it
            float[] w = p.value().data();
            float lr = (float) learningRate(), wd = (float) weightDecay;
            for (int i = from; i < to; i++) {
                w[i] = w[i] - w[i] * wd * lr;
            }
        }
        Adam.adamStep(p, slots, step, from, to, learningRate(), beta1, beta2, epsilon);
    }

    private boolean isExcluded(String paramName) {
        for (String e : excluded) {
            if (paramName.contains(e)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("weight_decay", Double.toString(weightDecay));
        c.put("beta_1", Double.toString(beta1));
        c.put("beta_2", Double.toString(beta2));
        c.put("epsilon", Double.toString(epsilon));
        if (excluded.length > 0) {
            c.put("exclude_from_weight_decay", String.join(",", excluded));
        }
        return c;
    }

    static String[] names(String joined) {
        return joined.isEmpty() ? new String[0] : Arrays.stream(joined.split(",")).toArray(String[]::new);
    }
}
