package org.cnn4j.layers;

import java.util.Map;
import org.cnn4j.tensor.Tensor;

/**
 * Keras's {@code ELU} layer: {@code y = x} for {@code x > 0}, else {@code alpha (exp(x) - 1)}; any
 * input shape. Keras's default alpha is 1.0.
 */
public final class ELU extends Layer {
    private final double alpha;
    private Tensor y;

    /** Keras's default alpha of 1.0. */
    public ELU() {
        this(1.0);
    }

    /**
     * An ELU with the given alpha.
     *
     * @param alpha the scale of the negative part, greater than 0 (the backward pass reads the
     *     derivative {@code y + alpha} from the output, which needs the output's sign to be the input's)
     * @throws IllegalArgumentException when alpha is not a positive finite number
     */
    public ELU(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("ELU needs a finite alpha > 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    public String type() {
        return "ELU";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        return LayerSpec.output(in);
    }

    // forward: x [N, ...] -> y [N, ...]; y = x > 0 ? x : alpha (e^x - 1)
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        y = reuse(y, x);
        System.arraycopy(x.data(), 0, y.data(), 0, x.size());
        Activations.forward(Activation.ELU, 0, alpha, y.data(), 0, y.size());
        return y;
    }

    // backward: dx = dy where y > 0, else dy (y + alpha), which is dy alpha e^x
    @Override
    public Tensor backward(Tensor dy) {
        Activations.backward(Activation.ELU, 0, alpha, dy.data(), y.data(), null, 0, dy.size());
        return dy;
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("alpha", Double.toString(alpha));
        return c;
    }

    static ELU fromConfig(Map<String, String> c) {
        return new ELU(LayerConfig.real(c, "alpha"));
    }
}
