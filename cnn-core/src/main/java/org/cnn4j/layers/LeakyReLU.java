package org.cnn4j.layers;

import java.util.Map;
import org.cnn4j.tensor.Tensor;

/**
 * Keras's {@code LeakyReLU} layer: {@code y = x} for {@code x > 0}, else {@code negative_slope · x};
 * any input shape. Keras 3's layer defaults to {@code negative_slope=0.3} (the {@code leaky_relu}
 * activation function, {@link Activation#LEAKY_RELU}, to 0.2).
 */
public final class LeakyReLU extends Layer {
    private final double negativeSlope;
    private Tensor y;

    /** Keras 3's default {@code negative_slope} of 0.3. */
    public LeakyReLU() {
        this(0.3);
    }

    /**
     * A leaky ReLU with the given slope for negative inputs.
     *
     * @param negativeSlope the slope below 0, at least 0 (Keras rejects a negative one too)
     * @throws IllegalArgumentException when the slope is negative or not a number
     */
    public LeakyReLU(double negativeSlope) {
        if (!(negativeSlope >= 0) || Double.isInfinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU needs a finite negative_slope >= 0, got " + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
    }

    @Override
    public String type() {
        return "LeakyReLU";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        return LayerSpec.output(in);
    }

    // forward: x [N, ...] -> y [N, ...]; y = x > 0 ? x : slope·x
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        y = reuse(y, x);
        System.arraycopy(x.data(), 0, y.data(), 0, x.size());
        Activations.forward(Activation.LEAKY_RELU, negativeSlope, 1.0, y.data(), 0, y.size());
        return y;
    }

    // backward: dx = dy where y > 0, else slope·dy
    @Override
    public Tensor backward(Tensor dy) {
        Activations.backward(Activation.LEAKY_RELU, negativeSlope, 1.0, dy.data(), y.data(), null, 0, dy.size());
        return dy;
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("negative_slope", Double.toString(negativeSlope));
        return c;
    }

    static LeakyReLU fromConfig(Map<String, String> c) {
        return new LeakyReLU(LayerConfig.real(c, "negative_slope"));
    }
}
