package org.cnn4j.loss;

import org.cnn4j.tensor.Tensor;

/**
 * Mean squared error, as Keras's {@code MeanSquaredError}: {@code L = mean((p - y)²)} over every
 * element (Keras's mean over the last axis, then over the batch). Targets have the predictions'
 * shape.
 */
public final class MeanSquaredError implements Loss {
    /** The loss (it has no settings). */
    public MeanSquaredError() {
    }

    @Override
    public String name() {
        return "mean_squared_error";
    }

    @Override
    public double value(Tensor pred, Tensor target) {
        check(pred, target);
        float[] p = pred.data(), y = target.data();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double d = (double) p[i] - y[i];
            sum += d * d;
        }
        return sum / p.length;
    }

    // dL/dp = 2 (p - y) / M, M the number of elements
    @Override
    public void gradient(Tensor pred, Tensor target, Tensor grad) {
        check(pred, target);
        float[] p = pred.data(), y = target.data(), g = grad.data();
        float scale = 2f / p.length;
        for (int i = 0; i < p.length; i++) {
            g[i] = (p[i] - y[i]) * scale;
        }
    }

    private static void check(Tensor pred, Tensor target) {
        if (!pred.sameShape(target)) {
            throw new IllegalArgumentException("mean_squared_error needs targets of the predictions' shape, got predictions "
                    + pred + " and targets " + target);
        }
    }
}
