package org.cnn4j.loss;

import java.util.Map;
import org.cnn4j.tensor.Tensor;

/**
 * Binary cross-entropy, as Keras's {@code BinaryCrossentropy}: targets in [0, 1] of the
 * predictions' shape, the loss averaged over every element (Keras takes the mean over the last axis,
 * then over the batch: the same thing for equal rows). On probabilities, as Keras's backend writes
 * it: {@code p = clip(p, 1e-7, 1 - 1e-7)}, {@code L = -mean(y log p + (1 - y) log(1 - p))}. With
 * {@code fromLogits} the predictions are logits z and, in the overflow-safe form TensorFlow's
 * {@code sigmoid_cross_entropy_with_logits} uses, {@code L = mean(max(z, 0) - z y + log(1 + exp(-|z|)))}.
 *
 * <p>TensorFlow's backend, when the probabilities come straight from a sigmoid op, recovers the
 * logits and skips the clip; that differs from this only where p is within 1e-7 of 0 or 1.
 */
public final class BinaryCrossentropy implements Loss {
    private final boolean fromLogits;

    /** On probabilities (Keras default {@code from_logits=False}). */
    public BinaryCrossentropy() {
        this(false);
    }

    /**
     * Chooses what the predictions are.
     *
     * @param fromLogits true when the predictions are logits rather than probabilities
     */
    public BinaryCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    @Override
    public String name() {
        return "binary_crossentropy";
    }

    @Override
    public double value(Tensor pred, Tensor target) {
        check(pred, target);
        float[] p = pred.data(), y = target.data();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (fromLogits) {
                double z = p[i];
                sum += Math.max(z, 0) - z * y[i] + Math.log1p(Math.exp(-Math.abs(z)));
            } else {
                double q = clip(p[i]);
                sum -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
            }
        }
        return sum / p.length;
    }

    // probabilities: dL/dp = (p - y) / (p (1 - p) M), 0 where the clip is active; logits: dL/dz = (sigmoid(z) - y) / M
    // (M = every element of the batch)
    @Override
    public void gradient(Tensor pred, Tensor target, Tensor grad) {
        check(pred, target);
        float[] p = pred.data(), y = target.data(), g = grad.data();
        double invM = 1.0 / p.length;
        for (int i = 0; i < p.length; i++) {
            if (fromLogits) {
                g[i] = (float) ((1 / (1 + Math.exp(-p[i])) - y[i]) * invM);
            } else {
                boolean clipped = p[i] < CategoricalCrossentropy.EPSILON || p[i] > 1f - CategoricalCrossentropy.EPSILON;
                g[i] = clipped ? 0f : (float) ((-y[i] / (double) p[i] + (1 - y[i]) / (1 - (double) p[i])) * invM);
            }
        }
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = Loss.super.config();
        if (fromLogits) {
            c.put("from_logits", "true");
        }
        return c;
    }

    private static double clip(float p) {
        return Math.min(Math.max(p, CategoricalCrossentropy.EPSILON), 1f - CategoricalCrossentropy.EPSILON);
    }

    private static void check(Tensor pred, Tensor target) {
        if (!pred.sameShape(target)) {
            throw new IllegalArgumentException("binary_crossentropy needs targets of the predictions' shape, got predictions "
                    + pred + " and targets " + target);
        }
    }
}
