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
    private final PoolWindow window;
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
        this(PoolWindow.of("AveragePooling2D", ph, pw, sh, sw, padding));
    }

    private AveragePooling2D(PoolWindow window) {
        this.window = window;
    }

    @Override
    public String type() {
        return "AveragePooling2D";
    }

    @Override
    protected LayerSpec spec(int[] in) {
        ConvGeometry geo = window.over(this, in);
        return LayerSpec.output(in[0], geo.outH(), geo.outW());
    }

    @Override
    protected void onBuild() {
        g = window.over(this, inputShape());
        inverseCount = new float[g.outPixels()];
        for (int i = 0; i < g.outH(); i++) {
            int rows = rowEnd(i) - rowStart(i);
            for (int j = 0; j < g.outW(); j++) {
                int cols = colEnd(j) - colStart(j);
                inverseCount[i * g.outW() + j] = 1f / (rows * cols);
            }
        }
    }

    // output (i, j)'s window, clipped to the image: rows [rowStart(i), rowEnd(i)), columns [colStart(j), colEnd(j))
    private int rowStart(int i) {
        return Math.max(0, i * g.strideH() - g.padTop());
    }

    private int rowEnd(int i) {
        return Math.min(g.height(), i * g.strideH() - g.padTop() + g.kh());
    }

    private int colStart(int j) {
        return Math.max(0, j * g.strideW() - g.padLeft());
    }

    private int colEnd(int j) {
        return Math.min(g.width(), j * g.strideW() - g.padLeft() + g.kw());
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
                int r0 = rowStart(i), r1 = rowEnd(i);
                for (int j = 0; j < ow; j++) {
                    int c0 = colStart(j), c1 = colEnd(j);
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
                int r0 = rowStart(i), r1 = rowEnd(i);
                for (int j = 0; j < ow; j++) {
                    int c0 = colStart(j), c1 = colEnd(j);
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
        window.writeTo(c);
        return c;
    }

    static AveragePooling2D fromConfig(Map<String, String> c) {
        return new AveragePooling2D(PoolWindow.readFrom("AveragePooling2D", c));
    }
}
