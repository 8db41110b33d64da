package org.cnn4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.cnn4j.init.Initializers;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.conv.CellConv;
import org.cnn4j.internal.conv.CellLayout;
import org.cnn4j.internal.conv.ConvEngines;
import org.cnn4j.internal.conv.ConvTuning;
import org.cnn4j.internal.conv.PoolingConv;
import org.cnn4j.internal.conv.WinogradConv;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as in every framework) with an optional fused ReLU.
 *
 * <p>{@code x [N, C, H, W] -> y [N, F, OH, OW]}; {@code kernel [F, C, KH, KW]} (glorot_uniform),
 * {@code bias [F]} (zeros). How the convolution is computed (im2col + gemm, or Winograd in one of
 * two layouts, pass by pass) is decided once the input shape is known, by
 * {@code org.cnn4j.internal.conv.ConvEngines}; every algorithm gives the same result up to rounding.
 */
public final class Conv2D extends Layer implements Regularized {
    private final int filters;
    private final int kh;
    private final int kw;
    private int strideH = 1;
    private int strideW = 1;
    private Padding padding = Padding.VALID;
    private Activation activation = Activation.LINEAR;
    /** How to choose the algorithm: the system properties' defaults, or what a test forces. */
    private ConvTuning tuning = ConvTuning.DEFAULT;

    private final Kernels kernels = Kernels.get();
    private ConvGeometry g;
    private Param kernel;
    private Param bias;
    private ConvEngines.Choice engines;
    private Tensor x;
    private Tensor y;
    private Tensor dx;
    private Regularizer kernelRegularizer;
    /** The pre-activation output, kept only for an activation whose derivative needs it (GELU). */
    private Tensor z;

    /**
     * {@code filters} square {@code kernelSize} kernels, stride 1, padding valid, no activation (Keras defaults).
     *
     * @param filters the number of output channels
     * @param kernelSize the kernel's height and width
     */
    public Conv2D(int filters, int kernelSize) {
        this(filters, kernelSize, kernelSize);
    }

    /**
     * {@code filters} kernels of {@code kh x kw}.
     *
     * @param filters the number of output channels
     * @param kh the kernel height
     * @param kw the kernel width
     */
    public Conv2D(int filters, int kh, int kw) {
        if (filters < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("Conv2D needs filters and kernel size >= 1, got " + filters + ", "
                    + kh + "x" + kw);
        }
        this.filters = filters;
        this.kh = kh;
        this.kw = kw;
    }

    /**
     * The Keras seed-model form: {@code Conv2D(32, (5,5), padding='same', activation='relu')}.
     *
     * @param filters the number of output channels
     * @param kernelSize the kernel's height and width
     * @param padding SAME or VALID
     * @param activation LINEAR or RELU
     */
    public Conv2D(int filters, int kernelSize, Padding padding, Activation activation) {
        this(filters, kernelSize);
        padding(padding).activation(activation);
    }

    /**
     * Sets the padding; returns this.
     *
     * @param p the padding
     * @return this
     */
    public Conv2D padding(Padding p) {
        this.padding = p;
        return this;
    }

    /**
     * Sets the activation: any but SOFTMAX (RELU is fused into the convolution, the others run after it).
     *
     * @param a the activation
     * @return this
     * @throws IllegalArgumentException for SOFTMAX
     */
    public Conv2D activation(Activation a) {
        if (a == Activation.SOFTMAX) {
            throw new IllegalArgumentException("Conv2D supports every activation but softmax");
        }
        this.activation = a;
        return this;
    }

    /**
     * Sets both strides; returns this.
     *
     * @param stride the stride along both axes
     * @return this
     */
    public Conv2D strides(int stride) {
        return strides(stride, stride);
    }

    /**
     * Sets the strides; returns this.
     *
     * @param sh the vertical stride
     * @param sw the horizontal stride
     * @return this
     */
    public Conv2D strides(int sh, int sw) {
        if (sh < 1 || sw < 1) {
            throw new IllegalArgumentException("strides must be >= 1");
        }
        this.strideH = sh;
        this.strideW = sw;
        return this;
    }

    @Override
    public String type() {
        return "Conv2D";
    }

    private ConvGeometry geometryFor(int[] in) {
        if (in.length != 3) {
            throw badInput(in, "[channels, height, width]");
        }
        try {
            return ConvGeometry.of(in[0], in[1], in[2], kh, kw, strideH, strideW, padding == Padding.SAME);
        } catch (IllegalArgumentException e) {
            throw badInput(in, "[channels, height, width] that a " + kh + "x" + kw + " kernel fits (" + e.getMessage() + ")");
        }
    }

    @Override
    protected LayerSpec spec(int[] in) {
        ConvGeometry geo = geometryFor(in);
        return LayerSpec.output(filters, geo.outH(), geo.outW())
                .param("kernel", filters, in[0], kh, kw).param("bias", filters);
    }

    @Override
    protected void initialize(Rng rng) {
        int c = inputShape()[0];
        Initializers.glorotUniform(param("kernel").value().data(), kh * kw * c, kh * kw * filters, rng);
    }

    @Override
    protected void onBuild() {
        g = geometryFor(inputShape());
        kernel = param("kernel");
        bias = param("bias");
        engines = ConvEngines.choose(kernels, g, filters, tuning);
    }

    // the tuning is not part of the configuration; a copy must compute the same bits
    @Override
    protected Layer newUnbuilt() {
        Conv2D c = fromConfig(config());
        c.tuning = tuning;
        return c;
    }

    /** Sets how the algorithm is chosen (tests compare them); returns this. */
    Conv2D algorithm(ConvTuning.Algorithm a) {
        return tune(tuning.with(a));
    }

    /** Forces Winograd F(m x m, r x r) (tests check each tile size); returns this. */
    Conv2D winograd(int m) {
        return tune(tuning.withWinogradTile(m));
    }

    /** Sets the layout of Winograd's transformed tiles (tests check each); returns this. */
    Conv2D winogradLayout(WinogradConv.Layout l) {
        return tune(tuning.with(l));
    }

    private Conv2D tune(ConvTuning t) {
        tuning = t;
        if (g != null) {
            engines = ConvEngines.choose(kernels, g, filters, tuning);
        }
        return this;
    }

    /**
     * How this layer computes its convolution: {@code "im2col"}, {@code "winograd F(4x4, 5x5)"},
     * {@code "im2col forward, winograd F(2x2, 3x3) backward"}, {@code "dense"} (the kernel covers
     * the whole input) or {@code "phases 2x2, winograd F(2x2, 3x3)"} (a strided convolution over
     * its input's phases).
      *
      * @return the name, for reports
     */
    public String algorithmName() {
        return engines == null ? "not built" : engines.name();
    }

    /** The geometry of one image's convolution (internal: tests read its padding). */
    ConvGeometry geometry() {
        return g;
    }

    // forward: x [N, C, H, W] -> y [N, F, OH, OW] = act(conv(x, kernel) + bias)
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        this.x = x;
        int n = x.dim(0);
        y = reuse(y, n, filters, g.outH(), g.outW());
        if (n == 0) { // nothing to convolve; the engines split work by samples and assume some
            return y;
        }
        engines.forward().forward(x.data(), kernel.value().data(), bias.value().data(), activation == Activation.RELU,
                y.data(), n);
        return activate(y);
    }

    /**
     * Whether this layer's inference forward pass can give its output's 2x2 max pooling directly
     * ({@link ConvMaxPool}): an engine that pools, and no activation after the engine's own ReLU.
     */
    boolean pools2x2() {
        return (activation == Activation.RELU || activation == Activation.LINEAR)
                && engines.forward() instanceof PoolingConv p && p.pools2x2();
    }

    // inference forward, pooled: x [N, C, H, W] -> y [N, F, OH/2, OW/2] = maxpool2x2(act(conv(x, kernel) + bias))
    /** Keeps nothing for a backward pass; only when {@link #pools2x2()}. */
    void forwardPooled(Tensor x, Tensor y) {
        checkInput(x);
        if (x.dim(0) == 0) {
            return;
        }
        ((PoolingConv) engines.forward()).forwardPooled(x.data(), kernel.value().data(), bias.value().data(),
                activation == Activation.RELU, y.data(), x.dim(0));
    }

    /**
     * The engine of this layer's inference forward pass when it can work on channel-minor cells
     * ({@link ConvChain}) and no activation follows its own ReLU; else null.
     */
    CellConv cellEngine() {
        return (activation == Activation.RELU || activation == Activation.LINEAR)
                && engines.forward() instanceof CellConv c ? c : null;
    }

    // inference forward: planes or cells -> y = (maxpool2x2?)(act(conv(x) + bias)), planes or cells
    /** Keeps nothing for a backward pass; only when {@link #cellEngine()} is not null. */
    void forwardCells(float[] x, int xOff, boolean xCells, boolean pooled, float[] y, int yOff, CellLayout yCells,
                      int n) {
        cellEngine().forwardCells(x, xOff, xCells, kernel.value().data(), bias.value().data(),
                activation == Activation.RELU, pooled, y, yOff, yCells, n);
    }

    /**
     * Applies an activation other than ReLU (which the convolution fuses) to the output, in place,
     * keeping the pre-activation output when the derivative needs it.
     */
    private Tensor activate(Tensor out) {
        if (Activations.elementwise(activation)) {
            if (Activations.needsInput(activation)) {
                z = reuse(z, out);
                System.arraycopy(out.data(), 0, z.data(), 0, out.size());
            }
            Activations.forward(activation, Activation.LEAKY_RELU_SLOPE, 1.0, out.data(), 0, out.size());
        }
        return out;
    }

    // backward: dy [N, F, OH, OW] -> dx [N, C, H, W]; dkernel, dbias (ReLU's derivative applied to dy in place)
    @Override
    public Tensor backward(Tensor dy) {
        int n = dy.dim(0);
        if (Activations.elementwise(activation)) { // dy becomes dL/d(pre-activation), then the linear backward
            Activations.backward(activation, Activation.LEAKY_RELU_SLOPE, 1.0, dy.data(), y.data(),
                    z == null ? null : z.data(), 0, dy.size());
        }
        dx = needsInputGradient ? reuse(dx, n, g.channels(), g.height(), g.width()) : null;
        if (n == 0) { // the gradients of a sum over no sample
            Arrays.fill(kernel.grad().data(), 0f);
            Arrays.fill(bias.grad().data(), 0f);
            return dx;
        }
        engines.backward().backward(x.data(), kernel.value().data(), y.data(), activation == Activation.RELU, dy.data(),
                dx == null ? null : dx.data(), kernel.grad().data(), bias.grad().data(), n);
        return dx;
    }

    /**
     * Sets a penalty on the kernel, as Keras's {@code kernel_regularizer}, e.g.
     * {@code kernelRegularizer(Regularizer.l2(1e-4))}; null for none (the default).
     *
     * @param r the regularizer, or null
     * @return this layer
     */
    public Conv2D kernelRegularizer(Regularizer r) {
        this.kernelRegularizer = r;
        return this;
    }

    @Override
    public Map<Param, Regularizer> regularizers() {
        return kernelRegularizer == null ? Map.of() : Map.of(param("kernel"), kernelRegularizer);
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("filters", Integer.toString(filters));
        c.put("kernel_size", kh + "x" + kw);
        c.put("strides", strideH + "x" + strideW);
        c.put("padding", padding.name().toLowerCase(java.util.Locale.ROOT));
        c.put("activation", activation.keras());
        if (kernelRegularizer != null) {
            c.put("kernel_regularizer", kernelRegularizer.spec());
        }
        return c;
    }

    /** Rebuilds a layer from {@link #config()}. */
    static Conv2D fromConfig(Map<String, String> c) {
        int[] ks = LayerConfig.pair(c, "kernel_size");
        int[] st = LayerConfig.pair(c, "strides");
        return new Conv2D(LayerConfig.integer(c, "filters"), ks[0], ks[1]).strides(st[0], st[1])
                .padding(Padding.parse(LayerConfig.string(c, "padding")))
                .activation(Activation.parse(LayerConfig.string(c, "activation")))
                .kernelRegularizer(c.containsKey("kernel_regularizer") ? Regularizer.parse(c.get("kernel_regularizer")) : null);
    }
}
