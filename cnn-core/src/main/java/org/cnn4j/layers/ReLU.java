package org.cnn4j.layers;

import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.tensor.Tensor;

/** {@code y = max(0, x)} element-wise; the derivative at 0 is taken as 0, as TensorFlow does. */
public final class ReLU extends Layer {
    private final Kernels kernels = Kernels.get();
    private Tensor y;

    /** A ReLU layer (Keras's {@code ReLU()}). */
    public ReLU() {
    }

    @Override
    public String type() {
        return "ReLU";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        return LayerSpec.output(in);
    }

    // forward: y = max(0, x)
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        y = reuse(y, x);
        float[] xs = x.data(), ys = y.data();
        for (int i = 0; i < xs.length; i++) {
            ys[i] = xs[i] > 0f ? xs[i] : 0f;
        }
        return y;
    }

    // backward: dx = dy where y > 0, else 0
    @Override
    public Tensor backward(Tensor dy) {
        kernels.reluBackward(dy.data(), 0, y.data(), 0, dy.size());
        return dy;
    }
}
