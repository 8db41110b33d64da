package org.cnn4j.loss;

import java.util.Map;
import org.cnn4j.tensor.Tensor;

/**
 * Cross-entropy against integer labels, as Keras's {@code SparseCategoricalCrossentropy}: the
 * targets are class indices {@code [N]} or {@code [N, 1]} (stored as floats), the predictions
 * {@code [N, K]}. On probabilities {@code L = -(1/N) Σ_n log(clip(p[n, y_n]))}, clipped to
 * {@code [1e-7, 1 - 1e-7]} like {@link CategoricalCrossentropy} (Keras's TensorFlow backend also
 * divides p by its row sum first, which changes nothing after a softmax). With {@code fromLogits}
 * the predictions are logits z and {@code L = (1/N) Σ_n (logsumexp(z_n) - z[n, y_n])}.
 *
 * <p>After a softmax its gradient with respect to the logits is {@code (p - onehot(y)) / N}, the
 * same fused form as the categorical loss.
 */
public final class SparseCategoricalCrossentropy implements Loss {
    private final boolean fromLogits;

    /** On probabilities (Keras default {@code from_logits=False}). */
    public SparseCategoricalCrossentropy() {
        this(false);
    }

    /**
     * Chooses what the predictions are.
     *
     * @param fromLogits true when the predictions are logits rather than probabilities
     */
    public SparseCategoricalCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    @Override
    public String name() {
        return "sparse_categorical_crossentropy";
    }

    @Override
    public double value(Tensor pred, Tensor target) {
        int n = pred.dim(0), k = check(pred, target);
        float[] p = pred.data();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int label = label(target, i, k);
            if (fromLogits) {
                sum += logSumExp(p, i * k, k) - p[i * k + label];
            } else {
                sum -= Math.log(Math.min(Math.max(p[i * k + label], CategoricalCrossentropy.EPSILON),
                        1f - CategoricalCrossentropy.EPSILON));
            }
        }
        return sum / n;
    }

    // probabilities: dL/dp = -1/(N p) at the label (0 where clipped), 0 elsewhere;
    // logits: dL/dz = (softmax(z) - onehot(y)) / N
    @Override
    public void gradient(Tensor pred, Tensor target, Tensor grad) {
        int n = pred.dim(0), k = check(pred, target);
        float[] p = pred.data(), g = grad.data();
        float invN = 1f / n;
        for (int i = 0; i < n; i++) {
            int label = label(target, i, k), o = i * k;
            if (fromLogits) {
                double lse = logSumExp(p, o, k);
                for (int j = 0; j < k; j++) {
                    g[o + j] = (float) (Math.exp(p[o + j] - lse) - (j == label ? 1 : 0)) * invN;
                }
            } else {
                java.util.Arrays.fill(g, o, o + k, 0f);
                float q = p[o + label];
                boolean clipped = q < CategoricalCrossentropy.EPSILON || q > 1f - CategoricalCrossentropy.EPSILON;
                g[o + label] = clipped ? 0f : -invN / q;
            }
        }
    }

    // dL/dz = (p - onehot(y)) / N
    @Override
    public boolean gradientFromLogits(Tensor probs, Tensor target, Tensor grad) {
        if (fromLogits) {
            return false; // the model's output is not a softmax of what this loss reads
        }
        int n = probs.dim(0), k = check(probs, target);
        float[] p = probs.data(), g = grad.data();
        float invN = 1f / n;
        for (int i = 0; i < n; i++) {
            int label = label(target, i, k), o = i * k;
            for (int j = 0; j < k; j++) {
                g[o + j] = (p[o + j] - (j == label ? 1f : 0f)) * invN;
            }
        }
        return true;
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = Loss.super.config();
        if (fromLogits) {
            c.put("from_logits", "true");
        }
        return c;
    }

    private static double logSumExp(float[] z, int o, int k) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[o + j]);
        }
        double s = 0;
        for (int j = 0; j < k; j++) {
            s += Math.exp(z[o + j] - max);
        }
        return max + Math.log(s);
    }

    /** The label of sample i, checked to be a whole number in [0, k). */
    private static int label(Tensor target, int i, int k) {
        float v = target.data()[i];
        if (!(v >= 0 && v < k) || v != Math.rint(v)) {
            throw new IllegalArgumentException("sparse_categorical_crossentropy: label " + v + " of sample " + i
                    + " is not a class index in [0, " + k + ")");
        }
        return (int) v;
    }

    /** Checks pred [N, K] against labels [N] or [N, 1]; returns K. */
    private static int check(Tensor pred, Tensor target) {
        boolean labels = target.rank() == 1 || (target.rank() == 2 && target.dim(1) == 1);
        if (pred.rank() != 2 || !labels || target.dim(0) != pred.dim(0)) {
            throw new IllegalArgumentException("sparse_categorical_crossentropy needs predictions [batch, classes] and "
                    + "integer labels [batch] or [batch, 1], got " + pred + " and " + target);
        }
        return pred.dim(1);
    }
}
