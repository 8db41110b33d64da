package org.cnn4j.layers;

import org.cnn4j.tensor.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * {@code x [N, C, H, W] -> y [N, C*H*W]}, a view with no copy. The order is NCHW (channel-major);
 * Keras flattens NHWC, which only matters when importing Keras weights into the next Dense layer.
 */
public final class Flatten extends Layer {
    private int[] in;
    // The last views made: the layers around reuse their buffers, so the same array comes back
    // step after step, and its view can too (no tensor per call).
    private Tensor out;
    private Tensor back;

    /** A flatten layer (Keras's {@code Flatten()}). */
    public Flatten() {
    }

    @Override
    public String type() {
        return "Flatten";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        return LayerSpec.output(Shapes.size(in));
    }

    @Override
    protected void onBuild() {
        this.in = inputShape();
    }

    // forward: a reshape
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        if (out == null || out.data() != x.data() || out.dim(0) != x.dim(0)) {
            out = x.reshape(x.dim(0), Shapes.size(in));
        }
        return out;
    }

    // backward: the inverse reshape
    @Override
    public Tensor backward(Tensor dy) {
        if (back == null || back.data() != dy.data() || back.dim(0) != dy.dim(0)) {
            back = dy.reshape(Shapes.batched(dy.dim(0), in));
        }
        return back;
    }
}
