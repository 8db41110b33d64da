package org.cnn4j.layers;

import java.util.Arrays;
import org.cnn4j.tensor.Tensor;

/**
 * Keras's {@code GlobalMaxPooling2D} (keepdims false): {@code x [N, C, H, W] -> y [N, C]}, each
 * channel's maximum. Keras computes it with {@code ops.max}, TensorFlow's {@code reduce_max}, whose
 * gradient splits dy evenly among the cells that tie for the maximum (unlike {@link MaxPooling2D},
 * whose TensorFlow gradient goes to the first); this layer does the same. A channel holding NaN has
 * the maximum NaN, and its dy goes to the first NaN cell, as in {@link MaxPooling2D} (TensorFlow has
 * no one rule here: reduce_max's gradient is NaN in every cell eagerly, 0 under XLA).
 */
public final class GlobalMaxPooling2D extends Layer {
    private int plane;
    private Tensor x;
    private Tensor y;
    private Tensor dx;

    /** A global max pooling layer (it has no settings). */
    public GlobalMaxPooling2D() {
    }

    @Override
    public String type() {
        return "GlobalMaxPooling2D";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        if (in.length != 3) {
            throw badInput(in, "[channels, height, width]");
        }
        return LayerSpec.output(in[0]);
    }

    @Override
    protected void onBuild() {
        plane = inputShape()[1] * inputShape()[2];
    }

    // forward: x [N, C, H, W] -> y [N, C]; y = max_hw x
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        this.x = x;
        int rows = x.dim(0) * x.dim(1);
        y = reuse(y, x.dim(0), x.dim(1));
        float[] xs = x.data(), ys = y.data();
        for (int r = 0; r < rows; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int i = r * plane; i < (r + 1) * plane; i++) {
                m = Math.max(m, xs[i]);
            }
            ys[r] = m;
        }
        return y;
    }

    // backward: dy [N, C] -> dx [N, C, H, W]; dx = dy / (ties) where x == y, else 0 (a NaN maximum: dy at the first NaN)
    @Override
    public Tensor backward(Tensor dy) {
        if (!needsInputGradient) {
            return null;
        }
        int[] in = inputShape();
        dx = reuse(dx, dy.dim(0), in[0], in[1], in[2]);
        float[] xs = x.data(), ys = y.data(), dxs = dx.data(), dys = dy.data();
        for (int r = 0; r < dys.length; r++) {
            if (Float.isNaN(ys[r])) { // NaN equals nothing, itself included: no tie would get dy
                Arrays.fill(dxs, r * plane, (r + 1) * plane, 0f);
                int i = r * plane;
                while (!Float.isNaN(xs[i])) {
                    i++;
                }
                dxs[i] = dys[r];
                continue;
            }
            int ties = 0;
            for (int i = r * plane; i < (r + 1) * plane; i++) {
                ties += xs[i] == ys[r] ? 1 : 0;
            }
            float share = dys[r] / ties;
            for (int i = r * plane; i < (r + 1) * plane; i++) {
                dxs[i] = xs[i] == ys[r] ? share : 0f;
            }
        }
        return dx;
    }
}
