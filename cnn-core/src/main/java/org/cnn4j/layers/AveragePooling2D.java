package org.cnn4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.tensor.Tensor;

/**
 * Average pooling, as Keras's {@code AveragePooling2D}: {@code x [N, C, H, W] -> y [N, C, OH, OW]},
 * each output the mean of its window. With {@code same} padding a window that hangs over the edge
 * averages only the cells inside the image, as TensorFlow's {@code avg_pool} does (padding is not
 * counted). Keras defaults: a 2x2 window, strides equal to the window, padding valid.
 *
 * <p>Plain scalar loops: no model here spends noticeable time in it (a vector kernel would need its
 * scalar twin and would pay only on large pools).
 */
public final class AveragePooling2D extends Layer {
    private final int ph;
    private final int pw;
    private final int sh;
    private final int sw;
    private final Padding padding;
    private ConvGeometry g;
    /** 1 / (cells of each output's window inside the image), per output pixel. */
    private float[] inverseCount;
    private Tensor y;
    private Tensor dx;

    /** Keras default: a 2x2 window, strides equal to the window, padding valid. */
    public AveragePooling2D() {
        this(2);
    }

    /**
     * A square window with strides equal to it, padding valid.
     *
     * @param pool the window side
     * @throws IllegalArgumentException when pool is below 1
     */
    public AveragePooling2D(int pool) {
        this(pool, pool, pool, pool, Padding.VALID);
    }

    /**
     * Full control.
     *
     * @param ph the window height
     * @param pw the window width
     * @param sh the vertical stride
     * @param sw the horizontal stride
     * @param padding valid or same
     * @throws IllegalArgumentException when a size or stride is below 1
     */
    public AveragePooling2D(int ph, int pw, int sh, int sw, Padding padding) {
        if (ph < 1 || pw < 1 || sh < 1 || sw < 1) {
            throw new IllegalArgumentException("AveragePooling2D needs pool and strides >= 1");
        }
        this.ph = ph;
        this.pw = pw;
        this.sh = sh;
        this.sw = sw;
        this.padding = java.util.Objects.requireNonNull(padding, "padding");
    }

    @Override
    public String type() {
        return "AveragePooling2D";
    }

    private ConvGeometry geometryFor(int[] in) {
        if (in.length != 3) {
            throw badInput(in, "[channels, height, width]");
        }
        try {
            return ConvGeometry.of(in[0], in[1], in[2], ph, pw, sh, sw, padding == Padding.SAME);
        } catch (IllegalArgumentException e) {
            throw badInput(in, "[channels, height, width] that a " + ph + "x" + pw + " window fits (" + e.getMessage() + ")");
        }
    }

    @Override
    protected LayerSpec spec(int[] in) {
        ConvGeometry geo = geometryFor(in);
        return LayerSpec.output(in[0], geo.outH(), geo.outW());
    }

    @Override
    protected void onBuild() {
        g = geometryFor(inputShape());
        inverseCount = new float[g.outPixels()];
        for (int i = 0; i < g.outH(); i++) {
            int rows = Math.min(g.height(), i * sh - g.padTop() + ph) - Math.max(0, i * sh - g.padTop());
            for (int j = 0; j < g.outW(); j++) {
                int cols = Math.min(g.width(), j * sw - g.padLeft() + pw) - Math.max(0, j * sw - g.padLeft());
                inverseCount[i * g.outW() + j] = 1f / (rows * cols);
            }
        }
    }

    // forward: x [N, C, H, W] -> y [N, C, OH, OW]; y = (Σ of the window's cells inside the image) / their count
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int planes = x.dim(0) * g.channels(), h = g.height(), w = g.width(), oh = g.outH(), ow = g.outW();
        y = reuse(y, x.dim(0), g.channels(), oh, ow);
        float[] xs = x.data(), ys = y.data();
        for (int pl = 0; pl < planes; pl++) {
            int xo = pl * h * w, yo = pl * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = Math.max(0, i * sh - g.padTop()), r1 = Math.min(h, i * sh - g.padTop() + ph);
                for (int j = 0; j < ow; j++) {
                    int c0 = Math.max(0, j * sw - g.padLeft()), c1 = Math.min(w, j * sw - g.padLeft() + pw);
                    float s = 0;
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) {
                            s += xs[xo + r * w + c];
                        }
                    }
                    ys[yo + i * ow + j] = s * inverseCount[i * ow + j];
                }
            }
        }
        return y;
    }

    // backward: dy [N, C, OH, OW] -> dx [N, C, H, W]; each cell of a window gets dy / (the window's count)
    @Override
    public Tensor backward(Tensor dy) {
        if (!needsInputGradient) {
            return null;
        }
        int planes = dy.dim(0) * g.channels(), h = g.height(), w = g.width(), oh = g.outH(), ow = g.outW();
        dx = reuse(dx, dy.dim(0), g.channels(), h, w);
        float[] dxs = dx.data(), dys = dy.data();
        Arrays.fill(dxs, 0f);
        for (int pl = 0; pl < planes; pl++) {
            int xo = pl * h * w, yo = pl * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = Math.max(0, i * sh - g.padTop()), r1 = Math.min(h, i * sh - g.padTop() + ph);
                for (int j = 0; j < ow; j++) {
                    int c0 = Math.max(0, j * sw - g.padLeft()), c1 = Math.min(w, j * sw - g.padLeft() + pw);
                    float d = dys[yo + i * ow + j] * inverseCount[i * ow + j];
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) {
                            dxs[xo + r * w + c] += d;
                        }
                    }
                }
            }
        }
        return dx;
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("pool_size", ph + "x" + pw);
        c.put("strides", sh + "x" + sw);
        c.put("padding", padding.name().toLowerCase(java.util.Locale.ROOT));
        return c;
    }

    static AveragePooling2D fromConfig(Map<String, String> c) {
        int[] p = LayerConfig.pair(c, "pool_size");
        int[] s = LayerConfig.pair(c, "strides");
        return new AveragePooling2D(p[0], p[1], s[0], s[1], Padding.parse(LayerConfig.string(c, "padding")));
    }
}
