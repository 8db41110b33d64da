package org.cnn4j.layers;

import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * {@code x [N, C, H, W] -> y [N, C*H*W]}, a view with no copy. The order is NCHW (channel-major);
 * Keras flattens NHWC, which only matters when importing Keras weights into the next Dense layer.
 */
public final class Flatten extends Layer {
    private int[] in;

    @Override
    public String type() {
        return "Flatten";
    }

    @Override
    public int[] outputShapeFor(int[] in) {
        return new int[] {Shapes.size(in)};
    }

    @Override
    protected int[] onBuild(int[] in, Rng rng) {
        this.in = in;
        return outputShapeFor(in);
    }

    // forward: a reshape
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        return x.reshape(x.dim(0), Shapes.size(in));
    }

    // backward: the inverse reshape
    @Override
    public Tensor backward(Tensor dy) {
        return dy.reshape(Shapes.batched(dy.dim(0), in));
    }
}
