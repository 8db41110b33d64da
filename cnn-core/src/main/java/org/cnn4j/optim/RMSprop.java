package org.cnn4j.optim;

import java.util.Map;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.layers.Param;

/**
 * RMSprop as in Keras 2: {@code a = rho*a + (1-rho)*g²}, {@code w -= lr*g / (sqrt(a) + eps)}, the
 * accumulator starting at 0. Keras 3 and TensorFlow's kernel put epsilon inside the square root
 * ({@code w -= lr*g / sqrt(a + eps)}); choose that with {@code epsilonInsideSqrt}.
 */
public final class RMSprop extends Optimizer {
    private final double rho;
    private final double epsilon;
    private final boolean epsilonInsideSqrt;
    private final Kernels kernels = Kernels.get();

    /** Keras defaults of the seed kernel: lr 0.001, rho 0.9, epsilon 1e-8 outside the root. */
    public RMSprop() {
        this(1e-3);
    }

    /**
     * rho 0.9, epsilon 1e-8 outside the root.
     *
     * @param learningRate the learning rate
     */
    public RMSprop(double learningRate) {
        this(learningRate, 0.9, 1e-8, false);
    }

    /**
     * Full control.
     *
     * @param learningRate the learning rate
     * @param rho decay of the mean square
     * @param epsilon the small constant
     * @param epsilonInsideSqrt true for {@code sqrt(a + eps)} (Keras 1), false for {@code sqrt(a) + eps} (Keras 2+)
     */
    public RMSprop(double learningRate, double rho, double epsilon, boolean epsilonInsideSqrt) {
        super(learningRate);
        if (!(rho >= 0 && rho < 1) || !(epsilon >= 0)) {
            throw new IllegalArgumentException("RMSprop needs 0 <= rho < 1 and epsilon >= 0");
        }
        this.rho = rho;
        this.epsilon = epsilon;
        this.epsilonInsideSqrt = epsilonInsideSqrt;
    }

    @Override
    public String name() {
        return "RMSprop";
    }

    @Override
    protected int slotsPerParam() {
        return 1;
    }

    @Override
    protected void update(Param p, float[][] slots, long step, int from, int to) {
        kernels.rmsprop(p.value().data(), p.grad().data(), slots[0], from, to - from, (float) learningRate(), (float) rho,
                (float) epsilon, epsilonInsideSqrt);
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("rho", Double.toString(rho));
        c.put("epsilon", Double.toString(epsilon));
        c.put("epsilon_inside_sqrt", Boolean.toString(epsilonInsideSqrt));
        return c;
    }
}
