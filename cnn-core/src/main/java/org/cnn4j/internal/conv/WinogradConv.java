package org.cnn4j.internal.conv;

import java.util.Arrays;
import org.cnn4j.internal.kernels.Blas;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.internal.kernels.Scratch;
import org.cnn4j.internal.kernels.Tiling;
import org.cnn4j.internal.kernels.Winograd;

/**
 * A stride-1 convolution computed with Winograd's F(m x m, r x r): forward and both backward
 * passes happen in the transform domain, where the convolution is {@code alpha²} independent
 * matrix products with {@code alpha² / (m² r²)} of direct convolution's multiplications
 * (F(4x4, 5x5): 64 instead of 400 for 16 outputs; F(2x2, 3x3): 16 instead of 36 for 4).
 *
 * <p>The image is cut into overlapping tiles ({@link Tiling}); tiles are processed in chunks of
 * whole tile rows, of one image or several, small enough that a chunk's transformed tiles stay in
 * L2. With {@code p} one of the {@code alpha²} positions of a transformed tile:
 * <pre>
 * U  [alpha², F, C]  U_p = (G g Gᵀ)_p, the transformed kernel, for each filter f and channel c
 * V  [alpha², C, T]  V_p = (BT d B)_p for the T input tiles d of a chunk
 * M  [alpha², F, T]  M_p = U_p · V_p, then y = AT M A per tile, + bias, ReLU
 * backward, from dy (ReLU already applied):
 * dM [alpha², F, T]  dM = A dy AT per tile: the adjoint of the output transform
 * dU_p += dM_p · V_pᵀ     then dkernel = Gᵀ dU G
 * dV_p  = U_pᵀ · dM_p     then dx += B dV BT per tile (neighbouring input tiles overlap and add up)
 * </pre>
 * The backward pass is the exact adjoint of this forward pass, so the finite-difference gradient
 * check holds it like any layer. Determinism: the forward pass computes each output the same way
 * whatever the chunking; the backward pass sums the weight gradient in fixed blocks of
 * {@link ConvEngine#GRAD_BLOCK} images (more for small images, {@link #gradBlock}, fixed by the
 * geometry), like the im2col path, so the bits never depend on the thread count.
 *
 * <p>Two layouts of the transformed tiles, one subclass each: {@link PackedWinograd} (vectors across
 * channels, the default with 8 or more channels and filters) and {@link PlanarWinograd} (vectors
 * across the tiles of a row, for few channels).
 */
public abstract sealed class WinogradConv implements ConvEngine permits PlanarWinograd, PackedWinograd {
    /**
     * Tiles per chunk, about: for conv2 (32 channels, F(4x4, 5x5)) V and M take 1 MiB each. Chunks
     * of 72 or 48 tiles, inside L2, were no faster (measured, docs/performance.md).
     */
    private static final int CHUNK_TILES = 128;
    /**
     * Tiles per weight-gradient block, at least: a block's partial is {@code alpha²·F·C} floats
     * whatever its tiles, so with few tiles per image (v2's conv2d_5 phases: 4) blocks of
     * {@link ConvEngine#GRAD_BLOCK} images wrote and summed more partials than they computed
     * products. The seed's layers (49 tiles an image) keep blocks of 4 images, and their bits.
     */
    private static final int MIN_BLOCK_TILES = 64;
    /**
     * Floats after the transformed tiles, so that whole-vector loads and masked stores of the last
     * tile row stay inside the array (up to 2048-bit vectors): near an array's end the Vector API
     * takes a slow path that allocates.
     */
    static final int SLACK = 64;

    final Kernels kernels;
    final int filters;
    final int channels;
    final int r2;
    final int a2;
    final int inSize;
    final int outSize;
    final Tiling in;
    final Tiling out;
    final Winograd w;
    final float[] filterTransform;
    final int chunkRows;
    final int chunkTiles;
    /** Images per weight-gradient block: {@link ConvEngine#GRAD_BLOCK}, or more for small images. */
    final int gradBlock;
    final GradientBlocks blocks = new GradientBlocks();
    final Scratch vScratch = new Scratch();
    final Scratch mScratch = new Scratch();
    float[] u = new float[0];
    /** The kernel {@link #u} was computed from (empty: none yet). */
    private float[] transformedFrom = new float[0];
    private float[] du = new float[0];

    /** Whether {@code g} is a convolution this class computes: stride 1, a square kernel of 2 to 7. */
    static boolean supports(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.kh() == g.kw() && g.kh() >= 2 && g.kh() + 1 <= 8;
    }

    /** Which layout of the transformed tiles to use. */
    public enum Layout {
        /** Packed where it pays (8 or more channels and filters), else planar. */
        AUTO,
        /** Vectors across the tiles of a row ({@link PlanarWinograd}). */
        PLANAR,
        /** Vectors across channels ({@link PackedWinograd}). */
        PACKED
    }

    /** Winograd F(m x m, r x r) for {@code g}, in the layout asked for. */
    static WinogradConv create(Kernels kernels, ConvGeometry g, int filters, int m, Layout layout) {
        boolean packed = switch (layout) {
            case AUTO -> g.channels() >= PackedWinograd.MIN_CHANNELS && filters >= PackedWinograd.MIN_CHANNELS;
            case PACKED -> true;
            case PLANAR -> false;
        };
        return packed ? new PackedWinograd(kernels, g, filters, m) : new PlanarWinograd(kernels, g, filters, m);
    }

    WinogradConv(Kernels kernels, ConvGeometry g, int filters, int m) {
        if (!supports(g)) {
            throw new IllegalArgumentException("Winograd needs stride 1 and a square kernel of 2..7, got " + g);
        }
        this.kernels = kernels;
        this.filters = filters;
        this.channels = g.channels();
        this.w = Winograd.of(m, g.kh());
        int alpha = w.alpha();
        this.r2 = g.kh() * g.kw();
        this.a2 = alpha * alpha;
        this.inSize = g.inSize();
        this.outSize = g.outPixels();
        int tilesH = (g.outH() + m - 1) / m, tilesW = (g.outW() + m - 1) / m;
        this.in = new Tiling(g.height(), g.width(), g.padTop(), g.padLeft(), m, alpha, tilesH, tilesW, alpha,
                w.inputTransform());
        this.out = new Tiling(g.outH(), g.outW(), 0, 0, m, m, tilesH, tilesW, alpha, w.outputTransform());
        this.filterTransform = w.filterTransform();
        this.chunkRows = Math.max(1, Math.round((float) CHUNK_TILES / tilesW));
        this.chunkTiles = chunkRows * tilesW;
        this.gradBlock = Math.max(GRAD_BLOCK, (MIN_BLOCK_TILES + tilesH * tilesW - 1) / (tilesH * tilesW));
    }

    /** The algorithm, for reports: {@code "winograd F(2x2, 5x5)"}. */
    @Override
    public String name() {
        return "winograd " + w;
    }

    /**
     * Whether the forward pass is worth doing this way: the products it saves must pay for the tile
     * transforms, whose cost grows with channels + filters while the products grow with their
     * product. Planar layout, measured on the seed CNN (one thread, batch 86): F(4x4, 5x5) and
     * F(2x2, 5x5) on 28x28 forward in 35-42 ms against im2col's 54; F(2x2, 3x3) on 14x14 in 16 and
     * 21 ms against 10 and 19 (transforms using 7 of 16 lanes). The backward pass, with two
     * products per transform, won in every case. See {@link PackedWinograd#winsForward} for the
     * packed layout.
     */
    boolean winsForward() {
        return (double) r2 * w.m() * w.m() / a2 >= 2.5;
    }

    // U [alpha², F·C] = (G ⊗ G) [alpha², r²] · kernelᵀ, kernel [F·C, r²]; both passes call it (a
    // backward pass may follow an im2col forward). Skipped when the kernel is bit for bit the one U
    // was made from: inference repeats forward passes with the same weights, and the comparison
    // costs a few microseconds where the transform costs tens (conv2: 3.3 MFLOP).
    final void transformKernel(float[] kernel) {
        if (Arrays.equals(kernel, transformedFrom)) {
            return;
        }
        int fc = filters * channels;
        if (u.length != a2 * fc) {
            u = new float[a2 * fc];
        }
        Blas.gemm(kernels, false, true, a2, fc, r2, filterTransform, 0, r2, kernel, 0, r2, 0f, u, 0, fc);
        kernelTransformed();
        if (transformedFrom.length != kernel.length) {
            transformedFrom = new float[kernel.length];
        }
        System.arraycopy(kernel, 0, transformedFrom, 0, kernel.length);
    }

    /** Called when {@link #u} has been recomputed, for layouts that keep it in another form too. */
    void kernelTransformed() {
    }

    /** Splits {@code rows} tile rows into chunks of at most {@link #chunkRows}, as even as possible. */
    int chunkSize(int rows) {
        int chunks = (rows + chunkRows - 1) / chunkRows;
        return (rows + chunks - 1) / chunks;
    }

    /**
     * One pass's arguments, one record reused from call to call with its tasks made once (as
     * {@code Blas.Call}): the layouts' chunk and block methods take it as a parameter.
     */
    final class Call {
        float[] xs;
        float[] ys;
        float[] dys;
        float[] dxs;
        float[] bias;
        boolean relu;
        /** Forward: whether {@code ys} takes the output's 2x2 max pooling instead ({@link PoolingConv}). */
        boolean pooled;
        /** Forward: whether {@code xs} holds cells of the packed layout's input ({@link CellConv}), not planes. */
        boolean cellsIn;
        /** Forward: the cells {@code ys} is written in, or null for planes. */
        CellLayout cellsOut;
        /** Forward: where image 0 starts in {@code xs} and in {@code ys} ({@link CellConv}; else 0). */
        int xOff;
        int yOff;
        int n;
        /** Forward: tile rows of the whole batch, and tile rows per chunk. */
        int rows;
        int chunk;
        final Parallel.Body forward = (ch, worker) -> forwardChunk(this, ch, worker);
        final Parallel.Body backward = (blk, worker) -> backwardBlock(this, blk, worker);

        void clear() {
            xs = ys = dys = dxs = bias = null;
            pooled = cellsIn = false;
            cellsOut = null;
            xOff = yOff = 0;
        }
    }

    private final Call call = new Call();

    // forward: x [N, C, H, W] -> y [N, F, OH, OW] = relu?(conv(x, kernel) + bias)
    @Override
    public void forward(float[] xs, float[] kernel, float[] bias, boolean relu, float[] ys, int n) {
        forward(xs, kernel, bias, relu, ys, n, false);
    }

    /** {@link #forward}, or with {@code pooled} its 2x2 max pooling for {@link PoolingConv}. */
    final void forward(float[] xs, float[] kernel, float[] bias, boolean relu, float[] ys, int n, boolean pooled) {
        forward(xs, 0, kernel, bias, relu, ys, 0, n, pooled, false, null);
    }

    /** {@link #forward}, pooled or not, from and to cells of the packed layout where asked ({@link CellConv}). */
    final void forward(float[] xs, int xOff, float[] kernel, float[] bias, boolean relu, float[] ys, int yOff, int n,
                       boolean pooled, boolean cellsIn, CellLayout cellsOut) {
        transformKernel(kernel);
        Call a = call;
        a.xs = xs;
        a.ys = ys;
        a.bias = bias;
        a.relu = relu;
        a.pooled = pooled;
        a.cellsIn = cellsIn;
        a.cellsOut = cellsOut;
        a.xOff = xOff;
        a.yOff = yOff;
        a.rows = n * in.tilesH();
        // A single image still gets two chunks, so that both threads work on it.
        a.chunk = Math.min(chunkSize(a.rows), Math.max(1, (a.rows + Parallel.threads() - 1) / Parallel.threads()));
        try {
            Parallel.forEach((a.rows + a.chunk - 1) / a.chunk, a.forward);
        } finally {
            a.clear();
        }
    }

    /**
     * What every layout's backward block starts with: zeroes block {@code blk}'s partial weight and
     * bias gradients, takes the ReLU's derivative into dy (in place) and sums the bias gradient of
     * images {@code first .. last-1}; returns where the block's weight partial starts.
     */
    final int beginBlock(Call a, int blk, int first, int last) {
        int uSize = a2 * filters * channels, off = blk * uSize;
        float[] db = blocks.bias(blk);
        Arrays.fill(blocks.weights(), off, off + uSize, 0f);
        Arrays.fill(db, 0f);
        for (int s = first; s < last; s++) {
            int o = s * filters * outSize;
            if (a.relu) {
                kernels.reluBackward(a.dys, o, a.ys, o, filters * outSize);
            }
            kernels.sumRows(a.dys, o, filters, outSize, db);
        }
        return off;
    }

    /** The forward pass of chunk {@code ch}: global tile rows {@code ch*chunk ..} (image {@code row / tilesH}). */
    abstract void forwardChunk(Call a, int ch, int worker);

    /** The weight-gradient partial of images {@code blk*gradBlock ..}, and their input gradient. */
    abstract void backwardBlock(Call a, int blk, int worker);

    // backward: dy [N, F, OH, OW] -> dx [N, C, H, W] (when dxs != null), dkernel, dbias
    @Override
    public void backward(float[] xs, float[] kernel, float[] ys, boolean relu, float[] dys, float[] dxs, float[] gw,
                         float[] gb, int n) {
        transformKernel(kernel); // nothing to do after a Winograd forward pass with this kernel
        int uSize = a2 * filters * channels;
        int count = blocks.prepare(n, gradBlock, uSize, filters);
        Call a = call;
        a.xs = xs;
        a.dys = dys;
        a.ys = ys;
        a.relu = relu;
        a.dxs = dxs;
        a.n = n;
        try {
            Parallel.forEach(count, a.backward);
        } finally {
            a.clear();
        }
        if (du.length != uSize) {
            du = new float[uSize];
        }
        blocks.reduce(count, uSize, du, gb);
        // dkernel [F·C, r²] = dUᵀ [F·C, alpha²] · (G ⊗ G) [alpha², r²]
        int fc = filters * channels;
        Blas.gemm(kernels, true, false, fc, r2, a2, du, 0, fc, filterTransform, 0, r2, 0f, gw, 0, r2);
    }
}
