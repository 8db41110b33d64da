package org.cnn4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.cnn4j.init.Initializers;
import org.cnn4j.init.Rng;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.internal.kernels.Scratch;
import org.cnn4j.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as in every framework) with an optional fused ReLU.
 *
 * <p>{@code x [N, C, H, W] -> y [N, F, OH, OW]}; {@code kernel [F, C, KH, KW]} (glorot_uniform),
 * {@code bias [F]} (zeros). Each image is unrolled with im2col into {@code col [C*KH*KW, OH*OW]},
 * so the forward pass is one gemm per image: {@code y_n = kernel · col_n + bias}.
 */
public final class Conv2D extends Layer {
    /** Images per partial weight gradient. Fixed, so the sum order never depends on the thread count. */
    static final int GRAD_BLOCK = 4;

    private final int filters;
    private final int kh;
    private final int kw;
    private int strideH = 1;
    private int strideW = 1;
    private Padding padding = Padding.VALID;
    private Activation activation = Activation.LINEAR;

    private final Kernels k = Kernels.get();
    private final Scratch scratch = new Scratch();
    private ConvGeometry g;
    private Param kernel;
    private Param bias;
    private Tensor x;
    private Tensor y;
    private Tensor dx;
    private float[] partials = new float[0];
    private float[][] biasPartials = new float[0][];
    private float[] flipped = new float[0];
    private ConvGeometry gT;
    /** Set when the geometry suits Winograd and it was not turned off; null means im2col + gemm. */
    private WinogradConv winograd;
    private final GradientBlocks sums = new GradientBlocks();
    /** Whether the forward pass goes through {@link #winograd} too (else im2col, backward still Winograd). */
    private boolean winogradForward;
    private Algorithm algorithm = DEFAULT_ALGORITHM;
    /** Winograd's outputs per tile side, or 0 for the default of the kernel size. */
    private int winogradTile;
    private WinogradConv.Layout layout = DEFAULT_LAYOUT;

    /** How the convolution is computed. Both give the same results up to rounding. */
    enum Algorithm {
        /** Winograd F(2x2, r x r) where it applies (stride 1, square kernel 2..7, 4+ input channels), else im2col. */
        AUTO,
        /** im2col + gemm always. */
        IM2COL,
        /** Winograd wherever it applies, even for few channels. */
        WINOGRAD
    }

    /** {@code -Dcnn4j.conv=im2col} turns Winograd off, e.g. to compare. */
    private static final Algorithm DEFAULT_ALGORITHM = algorithmProperty();

    private static Algorithm algorithmProperty() {
        String v = System.getProperty("cnn4j.conv", "auto");
        try {
            return Algorithm.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // a mistyped tuning flag must not stop training with a stack trace
            System.getLogger("org.cnn4j").log(System.Logger.Level.WARNING,
                    "ignoring -Dcnn4j.conv=" + v + " (expected auto, im2col or winograd); using auto");
            return Algorithm.AUTO;
        }
    }

    /**
     * With fewer input channels the tile transforms cost more than the products they save (the
     * seed CNN's first layer has one channel).
     */
    private static final int WINOGRAD_MIN_CHANNELS = 4;
    /**
     * Outputs per tile side for a kernel size: F(4x4, 5x5) for 5x5 kernels (2.25x fewer products
     * than F(2x2, 5x5), at an fp32 error still far below training noise), F(2x2, 3x3) for 3x3 ones
     * (F(4x4, 3x3) wastes a third of its tiles on a 14x14 image), F(2x2, r x r) otherwise.
     * {@code -Dcnn4j.winograd.m5=2} picks F(2x2, 5x5) instead, {@code -Dcnn4j.winograd.m3=4}
     * F(4x4, 3x3), to compare.
     */
    private static int winogradTile(int r) {
        if (r == 3) {
            int m = Integer.getInteger("cnn4j.winograd.m3", 2);
            return m >= 1 && m <= 6 ? m : 2; // F(m, 3) needs m + 2 <= 8
        }
        if (r != 5) {
            return 2;
        }
        int m = Integer.getInteger("cnn4j.winograd.m5", 4);
        return m >= 1 && m <= 4 ? m : 4; // F(m, 5) needs m + 4 <= 8
    }

    /**
     * {@code -Dcnn4j.winograd.layout=planar} keeps the transformed tiles plane by plane even with
     * many channels, to compare ({@link WinogradConv.Layout}).
     */
    private static final WinogradConv.Layout DEFAULT_LAYOUT = layoutProperty();

    private static WinogradConv.Layout layoutProperty() {
        String v = System.getProperty("cnn4j.winograd.layout", "auto");
        try {
            return WinogradConv.Layout.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.getLogger("org.cnn4j").log(System.Logger.Level.WARNING,
                    "ignoring -Dcnn4j.winograd.layout=" + v + " (expected auto, planar or packed); using auto");
            return WinogradConv.Layout.AUTO;
        }
    }

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
     * Sets the activation (LINEAR or RELU); returns this.
     *
     * @param a the activation
     * @return this
     */
    public Conv2D activation(Activation a) {
        if (a == Activation.SOFTMAX) {
            throw new IllegalArgumentException("Conv2D supports linear and relu activations");
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
        chooseAlgorithm();
    }

    // the tuning settings are not part of the configuration; a copy must compute the same bits
    @Override
    protected Layer newUnbuilt() {
        Conv2D c = fromConfig(config());
        c.algorithm = algorithm;
        c.winogradTile = winogradTile;
        c.layout = layout;
        return c;
    }

    /** Chooses how to compute the convolution, once the geometry is known. */
    private void chooseAlgorithm() {
        boolean fits = g != null && WinogradConv.supports(g);
        boolean use = switch (algorithm) {
            case AUTO -> fits && g.channels() >= WINOGRAD_MIN_CHANNELS;
            case WINOGRAD -> fits;
            case IM2COL -> false;
        };
        winograd = use ? WinogradConv.create(k, g, filters, winogradTile > 0 ? winogradTile : winogradTile(g.kh()),
                layout) : null;
        // like cuDNN, each pass takes the algorithm that is fastest for it; forced Winograd does both
        winogradForward = winograd != null && (algorithm == Algorithm.WINOGRAD || winograd.winsForward());
    }

    /** Sets the algorithm (tests compare them); returns this. */
    Conv2D algorithm(Algorithm a) {
        this.algorithm = a;
        chooseAlgorithm();
        return this;
    }

    /** Forces Winograd F(m x m, r x r) (tests check each tile size); returns this. */
    Conv2D winograd(int m) {
        this.winogradTile = m;
        return algorithm(Algorithm.WINOGRAD);
    }

    /** Sets the layout of Winograd's transformed tiles (tests check each); returns this. */
    Conv2D winogradLayout(WinogradConv.Layout l) {
        this.layout = l;
        chooseAlgorithm();
        return this;
    }

    /**
     * How this layer computes its convolution: {@code "im2col"}, {@code "winograd F(4x4, 5x5)"}, or
     * {@code "im2col forward, winograd F(2x2, 3x3) backward"}.
      *
      * @return the name, for reports
     */
    public String algorithmName() {
        if (winograd == null) {
            return "im2col";
        }
        return winogradForward ? winograd.name() : "im2col forward, " + winograd.name() + " backward";
    }

    /**
     * The geometry of one image's convolution.
     *
     * @return the geometry (an internal type: for cnn4j's own tools)
     */
    public ConvGeometry geometry() {
        return g;
    }

    // forward: x [N, C, H, W] -> y [N, F, OH, OW]
    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        this.x = x;
        int n = x.dim(0), f = filters, p = g.outPixels(), ckk = g.patchSize(), in = g.inSize();
        y = reuse(y, n, f, g.outH(), g.outW());
        if (winogradForward) {
            winograd.forward(x.data(), kernel.value().data(), bias.value().data(), activation == Activation.RELU,
                    y.data(), n);
            return y;
        }
        // a batch smaller than the pool (one image, for latency) splits each image's filters too
        forwardParts = n < Parallel.threads() ? Parallel.threads() : 1;
        if (forwardParts > 1) {
            sliceBias();
        }
        Parallel.forEach(n * forwardParts, forwardTask);
        return y;
    }

    /** Each part's share of the bias, for {@link Kernels#addRowBias}, which starts at row 0. */
    private void sliceBias() {
        if (biasSlices.length != forwardParts) {
            biasSlices = new float[forwardParts][];
        }
        float[] b = bias.value().data();
        for (int part = 0; part < forwardParts; part++) {
            int f0 = filters * part / forwardParts, f1 = filters * (part + 1) / forwardParts;
            if (biasSlices[part] == null || biasSlices[part].length != f1 - f0) {
                biasSlices[part] = new float[f1 - f0];
            }
            System.arraycopy(b, f0, biasSlices[part], 0, f1 - f0);
        }
    }

    // The im2col passes read the call's tensors from the fields (x, y, dy, dx), and their tasks
    // are made once: a lambda capturing locals would be allocated on every call.
    private final Parallel.Body forwardTask = this::forwardImage;
    private final Parallel.Body backwardTask = this::backwardBlock;
    private Tensor dyCall;
    private int batch;
    private boolean transposedCall;

    private int forwardParts = 1;
    private float[][] biasSlices = new float[0][];

    // filters f0..f1 of image s; every output is the same fma chain whatever the split (VectorGemm)
    private void forwardImage(int task, int worker) {
        int parts = forwardParts, s = task / parts, part = task % parts;
        int f0 = filters * part / parts, f1 = filters * (part + 1) / parts, p = g.outPixels(), ckk = g.patchSize();
        if (f0 == f1) {
            return;
        }
        float[] col = scratch.get(worker, ckk * p), ys = y.data();
        k.im2col(x.data(), s * g.inSize(), g, col, 0);
        int yo = (s * filters + f0) * p;
        k.gemm(false, false, f1 - f0, p, ckk, kernel.value().data(), f0 * ckk, ckk, col, 0, p, 0f, ys, yo, p);
        k.addRowBias(ys, yo, f1 - f0, p, parts == 1 ? bias.value().data() : biasSlices[part],
                activation == Activation.RELU);
    }

    private void backwardBlock(int blk, int worker) {
        int n = batch, f = filters, p = g.outPixels(), ckk = g.patchSize(), in = g.inSize();
        int fkk = f * kh * kw, hw = g.height() * g.width(), wSize = f * ckk;
        boolean transposed = transposedCall, relu = activation == Activation.RELU;
        float[] xs = x.data(), ys = y.data(), dys = dyCall.data(), w = kernel.value().data(), part = partials;
        float[] dxs = dx == null ? null : dx.data();
        float[] col = scratch.get(worker, Math.max(ckk * p, transposed ? fkk * hw : 0));
        int off = blk * wSize;
        float[] db = biasPartials[blk];
        Arrays.fill(part, off, off + wSize, 0f);
        Arrays.fill(db, 0f);
        for (int s = blk * GRAD_BLOCK; s < Math.min(n, (blk + 1) * GRAD_BLOCK); s++) {
            int o = s * f * p;
            if (relu) {
                k.reluBackward(dys, o, ys, o, f * p);
            }
            k.im2col(xs, s * in, g, col, 0);
            k.gemm(false, true, f, ckk, p, dys, o, p, col, 0, p, 1f, part, off, ckk);
            k.sumRows(dys, o, f, p, db);
            if (transposed) {
                k.im2col(dys, o, gT, col, 0);
                k.gemm(false, false, g.channels(), hw, fkk, flipped, 0, fkk, col, 0, hw, 0f, dxs, s * in, hw);
            } else if (dxs != null) {
                k.gemm(true, false, ckk, p, f, w, 0, ckk, dys, o, p, 0f, col, 0, p);
                Arrays.fill(dxs, s * in, (s + 1) * in, 0f);
                k.col2im(col, 0, g, dxs, s * in);
            }
        }
    }

    // backward: dy [N, F, OH, OW] -> dx [N, C, H, W]; dkernel = Σ_n dy_n · col_nᵀ, dbias = Σ dy,
    // dx_n = col2im(kernelᵀ · dy_n), or at stride 1 the same thing as a forward convolution of dy_n
    // with the flipped kernel: flipped [C, F, KH, KW] · im2col(dy_n), a deep gemm with no scatter
    @Override
    public Tensor backward(Tensor dy) {
        int n = dy.dim(0), f = filters, p = g.outPixels(), ckk = g.patchSize(), in = g.inSize();
        if (winograd != null) {
            if (!winogradForward) {
                winograd.transformKernel(kernel.value().data());
            }
            dx = needsInputGradient ? reuse(dx, n, g.channels(), g.height(), g.width()) : null;
            winograd.backward(x.data(), dy.data(), y.data(), activation == Activation.RELU,
                    dx == null ? null : dx.data(), kernel.grad().data(), bias.grad().data(), n);
            return dx;
        }
        boolean transposed = needsInputGradient && strideH == 1 && strideW == 1;
        if (transposed) {
            flipKernel();
        }
        int fkk = f * kh * kw, hw = g.height() * g.width();
        int wSize = f * ckk;
        int blocks = (n + GRAD_BLOCK - 1) / GRAD_BLOCK;
        if (partials.length < blocks * wSize) {
            partials = new float[blocks * wSize];
        }
        if (biasPartials.length < blocks) {
            biasPartials = new float[blocks][f];
        }
        dx = needsInputGradient ? reuse(dx, n, g.channels(), g.height(), g.width()) : null;
        dyCall = dy;
        batch = n;
        transposedCall = transposed;
        Parallel.forEach(blocks, backwardTask);
        dyCall = null;
        float[] part = partials;
        float[][] bpart = biasPartials;
        sums.reduce(part, blocks, wSize, kernel.grad().data());
        GradientBlocks.reduce(bpart, blocks, bias.grad().data());
        return dx;
    }

    /**
     * {@code flipped[c][f][ky][kx] = kernel[f][c][KH-1-ky][KW-1-kx]}: the kernel of the stride-1
     * convolution that maps dy back to dx ({@link #gT} is its geometry, padding {@code K-1-pad}).
     */
    private void flipKernel() {
        int c = g.channels();
        if (flipped.length != kernel.size()) {
            flipped = new float[kernel.size()];
            gT = new ConvGeometry(filters, g.outH(), g.outW(), kh, kw, 1, 1, kh - 1 - g.padTop(), kw - 1 - g.padLeft(),
                    g.height(), g.width());
        }
        float[] w = kernel.value().data();
        for (int fi = 0; fi < filters; fi++) {
            for (int ci = 0; ci < c; ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        flipped[((ci * filters + fi) * kh + kh - 1 - ky) * kw + kw - 1 - kx] =
                                w[((fi * c + ci) * kh + ky) * kw + kx];
                    }
                }
            }
        }
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = super.config();
        c.put("filters", Integer.toString(filters));
        c.put("kernel_size", kh + "x" + kw);
        c.put("strides", strideH + "x" + strideW);
        c.put("padding", padding.name().toLowerCase(java.util.Locale.ROOT));
        c.put("activation", activation.keras());
        return c;
    }

    /** Rebuilds a layer from {@link #config()}. */
    static Conv2D fromConfig(Map<String, String> c) {
        int[] ks = LayerConfig.pair(c, "kernel_size");
        int[] st = LayerConfig.pair(c, "strides");
        return new Conv2D(LayerConfig.integer(c, "filters"), ks[0], ks[1]).strides(st[0], st[1])
                .padding(Padding.parse(LayerConfig.string(c, "padding")))
                .activation(Activation.parse(LayerConfig.string(c, "activation")));
    }
}
