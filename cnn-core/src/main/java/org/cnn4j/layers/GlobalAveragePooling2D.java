package org.cnn4j.layers;

import org.cnn4j.tensor.Tensor;

/**
 * Keras's {@code GlobalAveragePooling2D} (keepdims false): {@code x [N, C, H, W] -> y [N, C]}, each
 * channel's mean over the image. Any image size: it is what lets a convolutional net end without a
 * Dense layer sized to the image.
 */
public final class GlobalAveragePooling2D extends Layer {
    private int plane;
    private Tensor y;
    private Tensor dx;

    /** A global average pooling layer (it has no settings). */
    public GlobalAveragePooling2D() {
    }

    @Override
    public String type() {
        return "GlobalAveragePooling2D";
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

    // forward: x [N, C, H, W] -> y [N, C]; y = Σ_hw x / (H W), summed in double
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int rows = x.dim(0) * x.dim(1);
        y = reuse(y, x.dim(0), x.dim(1));
        float[] xs = x.data(), ys = y.data();
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = r * plane; i < (r + 1) * plane; i++) {
                s += xs[i];
            }
            ys[r] = (float) (s / plane);
        }
        return y;
    }

    // backward: dy [N, C] -> dx [N, C, H, W]; every cell of a channel gets dy / (H W)
    @Override
    public Tensor backward(Tensor dy) {
        if (!needsInputGradient) {
            return null;
        }
        int[] in = inputShape();
        dx = reuse(dx, dy.dim(0), in[0], in[1], in[2]);
        float[] dxs = dx.data(), dys = dy.data();
        float inv = 1f / plane;
        for (int r = 0; r < dys.length; r++) {
            java.util.Arrays.fill(dxs, r * plane, (r + 1) * plane, dys[r] * inv);
        }
        return dx;
    }
}
