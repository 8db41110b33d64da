package org.cnn4j.loss;

import org.cnn4j.tensor.Tensor;

/**
 * Categorical cross-entropy on probabilities: {@code L = -(1/N) Σ_n Σ_k y_nk log(clip(p_nk))},
 * clipped to {@code [1e-7, 1 - 1e-7]} as Keras does. After a softmax, its gradient with respect to
 * the logits is exactly {@code (p - y) / N}; the model uses that fused form.
 */
public final class CategoricalCrossentropy implements Loss {
    /** Keras's {@code K.epsilon()}. */
    public static final float EPSILON = 1e-7f;

    /** The loss, as Keras's {@code CategoricalCrossentropy()} (on probabilities, not logits). */
    public CategoricalCrossentropy() {
    }

    @Override
    public String name() {
        return "categorical_crossentropy";
    }

    @Override
    public double value(Tensor pred, Tensor target) {
        check(pred, target);
        float[] p = pred.data(), y = target.data();
        int n = pred.dim(0);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (y[i] != 0f) {
                sum -= y[i] * Math.log(clip(p[i]));
            }
        }
        return sum / n;
    }

    // dL/dp = -y / (N · clip(p)), zero where the clip is active (its derivative is 0 there)
    @Override
    public void gradient(Tensor pred, Tensor target, Tensor grad) {
        check(pred, target);
        float[] p = pred.data(), y = target.data(), g = grad.data();
        float invN = 1f / pred.dim(0);
        for (int i = 0; i < p.length; i++) {
            boolean clipped = p[i] < EPSILON || p[i] > 1f - EPSILON;
            g[i] = clipped ? 0f : -y[i] * invN / p[i];
        }
    }

    // dL/dz = (p - y) / N
    @Override
    public boolean gradientFromLogits(Tensor probs, Tensor target, Tensor grad) {
        check(probs, target);
        float[] p = probs.data(), y = target.data(), g = grad.data();
        float invN = 1f / probs.dim(0);
        for (int i = 0; i < p.length; i++) {
            g[i] = (p[i] - y[i]) * invN;
        }
        return true;
    }

    private static double clip(float p) {
        return Math.min(Math.max(p, EPSILON), 1f - EPSILON);
    }

    private static void check(Tensor pred, Tensor target) {
        if (!pred.sameShape(target) || pred.rank() != 2) {
            throw new IllegalArgumentException("predictions " + pred + " and targets " + target
                    + " must both be [batch, classes]");
        }
    }
}
