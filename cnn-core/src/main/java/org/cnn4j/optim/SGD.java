package org.cnn4j.optim;

import java.util.Map;
import org.cnn4j.layers.Param;

/**
 * Stochastic gradient descent, with optional (Nesterov) momentum, as Keras writes it:
 * {@code v = momentum*v - lr*g}; {@code w += v}, or {@code w += momentum*v - lr*g} with Nesterov.
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final boolean nesterov;

    /**
     * Plain SGD.
     *
     * @param learningRate the learning rate
     */
    public SGD(double learningRate) {
        this(learningRate, 0, false);
    }

    /**
     * SGD with momentum in [0, 1).
     *
     * @param learningRate the learning rate
     * @param momentum the momentum, in {@code [0, 1)}
     * @param nesterov true for Nesterov momentum
     */
    public SGD(double learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public String name() {
        return "SGD";
    }

    @Override
    protected int slotsPerParam() {
        return momentum > 0 ? 1 : 0;
    }

    @Override
    protected void update(Param p, float[][] slots, long step, int from, int to) {
        float[] w = p.value().data(), g = p.grad().data();
        float lr = (float) learningRate(), mu = (float) momentum;
        if (momentum == 0) {
            for (int i = from; i < to; i++) {
                w[i] -= lr * g[i];
            }
            return;
        }
        float[] v = slots[0];
        for (int i = from; i < to; i++) {
            v[i] = mu * v[i] - lr * g[i];
            w[i] += nesterov ? mu * v[i] - lr * g[i] : v[i];
        }
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("momentum", Double.toString(momentum));
        c.put("nesterov", Boolean.toString(nesterov));
        return c;
    }
}
