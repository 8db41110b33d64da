package org.cnn4j.layers;

import java.util.Map;
import org.cnn4j.tensor.Tensor;

/**
 * Keras's {@code Activation} layer (named {@code ActivationLayer} in Java, beside the
 * {@link Activation} enum; its type in summaries and model files is {@code "Activation"}): applies
 * one activation element-wise, any input shape to the same shape. Softmax is taken row-wise over a
 * flat input {@code [N, K]}, as the {@link Softmax} layer does.
 */
public final class ActivationLayer extends Layer implements SoftmaxOutput {
    private final Activation activation;
    private Tensor x;
    private Tensor y;

    /**
     * A layer applying {@code activation}.
     *
     * @param activation the activation, such as {@link Activation#SIGMOID}
     */
    public ActivationLayer(Activation activation) {
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
    }

    /**
     * The activation this layer applies.
     *
     * @return the activation
     */
    public Activation activation() {
        return activation;
    }

    @Override
    public String type() {
        return "Activation";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        if (activation == Activation.SOFTMAX && in.length != 1) {
            throw badInput(in, "[classes] for a softmax (add a Flatten layer before it)");
        }
        return LayerSpec.output(in);
    }

    // forward: x [N, ...] -> y [N, ...] = f(x)
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        this.x = x;
        y = reuse(y, x);
        float[] xs = x.data(), ys = y.data();
        switch (activation) {
            case LINEAR -> System.arraycopy(xs, 0, ys, 0, xs.length);
            case RELU -> {
                for (int i = 0; i < xs.length; i++) {
                    ys[i] = xs[i] > 0f ? xs[i] : 0f;
                }
            }
            case SOFTMAX -> {
                System.arraycopy(xs, 0, ys, 0, xs.length);
                Softmaxes.forward(ys, x.dim(0), x.dim(1));
            }
            default -> {
                System.arraycopy(xs, 0, ys, 0, xs.length);
                Activations.forward(activation, Activation.LEAKY_RELU_SLOPE, 1.0, ys, 0, ys.length);
            }
        }
        return y;
    }

    // backward: dx = dy · f'(x) (softmax: its Jacobian applied to dy)
    @Override
    public Tensor backward(Tensor dy) {
        float[] d = dy.data(), ys = y.data();
        switch (activation) {
            case LINEAR -> {
            }
            case RELU -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = ys[i] > 0f ? d[i] : 0f;
                }
            }
            case SOFTMAX -> Softmaxes.backward(d, ys, dy.dim(0), dy.dim(1));
            default -> Activations.backward(activation, Activation.LEAKY_RELU_SLOPE, 1.0, d, ys, x.data(), 0, d.length);
        }
        return dy;
    }

    @Override
    public boolean outputsSoftmax() {
        return activation == Activation.SOFTMAX;
    }

    @Override
    public Tensor backwardFromLogits(Tensor dLogits) {
        return dLogits;
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("activation", activation.keras());
        return c;
    }

    static ActivationLayer fromConfig(Map<String, String> c) {
        return new ActivationLayer(Activation.parse(LayerConfig.string(c, "activation")));
    }
}
