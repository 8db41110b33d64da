package org.cnn4j.optim;

import java.util.Map;
import org.cnn4j.layers.Param;

/**
 * Adam as Keras writes it: {@code m = b1*m + (1-b1)*g}, {@code v = b2*v + (1-b2)*g²},
 * {@code w -= lr*sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)}.
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    /** Keras defaults: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public Adam() {
        this(1e-3, 0.9, 0.999, 1e-7);
    }

    /**
     * Full control.
     *
     * @param learningRate the learning rate
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param epsilon added to the root of the second moment
     */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon >= 0)) {
            throw new IllegalArgumentException("Adam needs betas in [0, 1) and epsilon >= 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public String name() {
        return "Adam";
    }

    @Override
    protected int slotsPerParam() {
        return 2;
    }

    @Override
    protected void update(Param p, float[][] slots, long step, int from, int to) {
        adamStep(p, slots, step, from, to, learningRate(), beta1, beta2, epsilon);
    }

    /**
     * Adam's update of elements {@code [from, to)} (AdamW's too, after its decay): the moments in
     * {@code slots[0]} and {@code slots[1]}, the bias correction folded into the step size.
     */
    static void adamStep(Param p, float[][] slots, long step, int from, int to, double learningRate,
                         double beta1, double beta2, double epsilon) {
        float[] w = p.value().data(), g = p.grad().data(), m = slots[0], v = slots[1];
        float alpha = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step)));
        float b1 = (float) beta1, b2 = (float) beta2, eps = (float) epsilon;
        for (int i = from; i < to; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            w[i] -= alpha * m[i] / ((float) Math.sqrt(v[i]) + eps);
        }
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("beta_1", Double.toString(beta1));
        c.put("beta_2", Double.toString(beta2));
        c.put("epsilon", Double.toString(epsilon));
        return c;
    }
}
