package org.cnn4j.layers;

import org.cnn4j.tensor.Tensor;

/** Row-wise softmax over a flat input: {@code x [N, K] -> y [N, K]}, each row summing to 1. */
public final class Softmax extends Layer implements SoftmaxOutput {
    private Tensor y;

    /** A softmax layer (Keras's {@code Softmax()}). */
    public Softmax() {
    }

    @Override
    public String type() {
        return "Softmax";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        if (in.length != 1) {
            throw badInput(in, "[classes] (add a Flatten layer before it)");
        }
        return LayerSpec.output(in);
    }

    // forward: y_i = exp(x_i - max) / Σ_j exp(x_j - max)
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        y = reuse(y, x.dim(0), x.dim(1));
        System.arraycopy(x.data(), 0, y.data(), 0, x.size());
        Softmaxes.forward(y.data(), x.dim(0), x.dim(1));
        return y;
    }

    // backward: dx_i = y_i (dy_i - Σ_j dy_j y_j)
    @Override
    public Tensor backward(Tensor dy) {
        Softmaxes.backward(dy.data(), y.data(), dy.dim(0), dy.dim(1));
        return dy;
    }

    @Override
    public boolean outputsSoftmax() {
        return true;
    }

    @Override
    public Tensor backwardFromLogits(Tensor dLogits) {
        return dLogits;
    }
}
