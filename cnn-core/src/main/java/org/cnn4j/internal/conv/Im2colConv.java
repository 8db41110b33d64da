package org.cnn4j.internal.conv;

import java.util.Arrays;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Packing;
import org.cnn4j.internal.kernels.Parallel;
import org.cnn4j.internal.kernels.Scratch;

/**
 * Convolution by im2col + gemm, for any stride, padding and kernel: each image is unrolled into
 * {@code col [C*KH*KW, OH*OW]}, so the forward pass is one gemm per image,
 * {@code y_n = kernel · col_n + bias}.
 */
final class Im2colConv implements ConvEngine, CellConv {
    private final Kernels kernels;
    private final ConvGeometry g;
    private final int filters;
    private final Scratch scratch = new Scratch();
    private final GradientBlocks blocks = new GradientBlocks();
    private float[][] biasSlices = new float[0][];
    /** The flipped kernel {@code [C, F, KH, KW]} of the stride-1 input gradient, and its geometry. */
    private float[] flipped = new float[0];
    /**
     * {@code kernelᵀ [C*KH*KW, F]} for the product into cells ({@link #forwardRowsToCells}): read as
     * a row-major operand it keeps the product's output tiles whole, where a transposed kernel
     * would send every tile of t through scattered stores (twice as slow, JFR).
     */
    private float[] kernelT = new float[0];
    private ConvGeometry gT;
    private final Call call = new Call();
    /** {@link #forwardPooled}: each part's pooling geometry (its filters' planes), and per-worker argmax scratch. */
    private ConvGeometry[] poolGeometry = new ConvGeometry[0];
    private int[][] argmax = new int[0][];

    Im2colConv(Kernels kernels, ConvGeometry g, int filters) {
        this.kernels = kernels;
        this.g = g;
        this.filters = filters;
    }

    @Override
    public String name() {
        return "im2col";
    }

    /**
     * One pass's arguments, one record reused from call to call with its tasks made once (as
     * {@code Blas.Call}): a lambda capturing the arguments would be allocated on every call.
     */
    private final class Call {
        float[] x;
        float[] kernel;
        float[] bias;
        boolean relu;
        /** Forward: whether {@code y} takes the output's 2x2 max pooling instead ({@link PoolingConv}). */
        boolean pooled;
        /** Forward: the cells {@code y} is written in ({@link CellConv}), or null for planes. */
        CellLayout cells;
        /** Forward: where image 0 starts in {@code x} and in {@code y} ({@link CellConv}; else 0). */
        int xOff;
        int yOff;
        float[] y;
        float[] dy;
        float[] dx;
        int n;
        /**
         * Forward: tasks per image when the batch is smaller than the pool, split by filters, or by
         * output rows when the output goes to cells of exactly the filters ({@link #forwardRowsToCells}).
         */
        int parts;
        /** Backward: whether dx comes from the flipped kernel (stride 1) rather than col2im. */
        boolean transposed;
        final Parallel.Body forward = (task, worker) -> forwardImage(this, task, worker);
        final Parallel.Body backward = (blk, worker) -> backwardBlock(this, blk, worker);

        void clear() {
            x = kernel = bias = y = dy = dx = null;
            pooled = false;
            cells = null;
            xOff = yOff = 0;
        }
    }

    // forward: x [N, C, H, W] -> y [N, F, OH, OW]
    @Override
    public void forward(float[] x, float[] kernel, float[] bias, boolean relu, float[] y, int n) {
        forward(x, kernel, bias, relu, y, n, false);
    }

    /** Any stride and padding: each image's output is pooled whole, so only even sides are needed. */
    @Override
    public boolean pools2x2() {
        return g.outH() % 2 == 0 && g.outW() % 2 == 0;
    }

    // forward, pooled: x [N, C, H, W] -> y [N, F, OH/2, OW/2]; an image's output exists only in scratch, while hot
    @Override
    public void forwardPooled(float[] x, float[] kernel, float[] bias, boolean relu, float[] y, int n) {
        if (!pools2x2()) {
            throw new IllegalStateException("im2col cannot pool a " + g.outH() + "x" + g.outW() + " output");
        }
        forward(x, kernel, bias, relu, y, n, true);
    }

    /** Reads planes only: an im2col convolution starts a chain of convolutions in cells, it does not continue one. */
    @Override
    public CellLayout inputCells() {
        return null;
    }

    @Override
    public boolean writes(CellLayout cells, boolean pooled) {
        return cells.cp() >= filters && (pooled ? pools2x2() && cells.holds(g.outH() / 2, g.outW() / 2)
                : cells.holds(g.outH(), g.outW()));
    }

    // inference forward: planes -> y = (maxpool2x2?)(relu?(conv(x) + bias)), planes or cells; each image's
    // output in scratch, while hot, then copied into its cells (the copy the next layer's packing did)
    @Override
    public void forwardCells(float[] x, int xOff, boolean xCells, float[] kernel, float[] bias, boolean relu,
                             boolean pooled, float[] y, int yOff, CellLayout yCells, int n) {
        if (xCells || (yCells != null ? !writes(yCells, pooled) : pooled && !pools2x2())) {
            throw new IllegalArgumentException("im2col cannot read cells, nor write " + (pooled ? "pooled " : "")
                    + "output " + g.outH() + "x" + g.outW() + " to " + (yCells == null ? "planes" : yCells));
        }
        forward(x, xOff, kernel, bias, relu, y, yOff, n, pooled, yCells);
    }

    private void forward(float[] x, float[] kernel, float[] bias, boolean relu, float[] y, int n, boolean pooled) {
        forward(x, 0, kernel, bias, relu, y, 0, n, pooled, null);
    }

    private void forward(float[] x, int xOff, float[] kernel, float[] bias, boolean relu, float[] y, int yOff, int n,
                         boolean pooled, CellLayout cells) {
        Call a = call;
        a.pooled = pooled;
        a.cells = cells;
        a.xOff = xOff;
        a.yOff = yOff;
        a.x = x;
        a.kernel = kernel;
        a.bias = bias;
        a.relu = relu;
        a.y = y;
        a.n = n;
        // a batch smaller than the pool (one image, for latency) splits each image's filters too
        a.parts = n < Parallel.threads() ? Parallel.threads() : 1;
        if (a.parts > 1) {
            sliceBias(bias, a.parts);
        }
        if (writesRows(cells, pooled)) {
            transposeKernel(kernel);
        }
        if (pooled && poolGeometry.length != a.parts) {
            poolGeometry = new ConvGeometry[a.parts];
            for (int part = 0; part < a.parts; part++) {
                int f0 = filters * part / a.parts, f1 = filters * (part + 1) / a.parts;
                poolGeometry[part] = ConvGeometry.of(Math.max(1, f1 - f0), g.outH(), g.outW(), 2, 2, 2, 2, false);
            }
        }
        if (pooled) {
            // per worker, sized before the tasks run: room for the argmax that max pooling writes
            // and inference never reads (at most all filters' pooled planes of one image)
            int workers = Parallel.threads(), size = filters * (g.outH() / 2) * (g.outW() / 2);
            if (argmax.length < workers || argmax[0].length < size) {
                argmax = new int[workers][size];
            }
        }
        try {
            Parallel.forEach(n * a.parts, a.forward);
        } finally {
            a.clear();
        }
    }

    /** Whether a forward pass goes through {@link #forwardRowsToCells}: unpooled, into cells of exactly the filters. */
    private boolean writesRows(CellLayout cells, boolean pooled) {
        return cells != null && !pooled && cells.cp() == filters;
    }

    /** {@link #kernelT} from {@code kernel [F, C*KH*KW]}. */
    private void transposeKernel(float[] kernel) {
        int ckk = g.patchSize();
        if (kernelT.length != kernel.length) {
            kernelT = new float[kernel.length];
        }
        for (int f = 0; f < filters; f++) {
            for (int i = 0; i < ckk; i++) {
                kernelT[i * filters + f] = kernel[f * ckk + i];
            }
        }
    }

    /** Each part's share of the bias, for {@link Kernels#addRowBias}, which starts at row 0. */
    private void sliceBias(float[] b, int parts) {
        if (biasSlices.length != parts) {
            biasSlices = new float[parts][];
        }
        for (int part = 0; part < parts; part++) {
            int f0 = filters * part / parts, f1 = filters * (part + 1) / parts;
            if (biasSlices[part] == null || biasSlices[part].length != f1 - f0) {
                biasSlices[part] = new float[f1 - f0];
            }
            System.arraycopy(b, f0, biasSlices[part], 0, f1 - f0);
        }
    }

    // filters f0..f1 of image s; every output is the same fma chain whatever the split (VectorGemm)
    private void forwardImage(Call a, int task, int worker) {
        int parts = a.parts, s = task / parts, part = task % parts;
        if (writesRows(a.cells, a.pooled)) {
            forwardRowsToCells(a, s, part, parts, worker);
            return;
        }
        int f0 = filters * part / parts, f1 = filters * (part + 1) / parts, p = g.outPixels(), ckk = g.patchSize();
        if (f0 == f1) {
            return;
        }
        CellLayout cells = a.cells;
        boolean hot = a.pooled || cells != null;
        int pooledAt = ckk * p + (f1 - f0) * p; // in scratch, when pooled into cells
        float[] col = scratch.get(worker, hot ? pooledAt + (cells != null ? (f1 - f0) * (p / 4) : 0) : ckk * p);
        float[] ys = a.y;
        kernels.im2col(a.x, a.xOff + s * g.inSize(), g, col, 0);
        // pooled or into cells: the output goes to scratch after the patches, and only its pooling
        // or its copy to y
        float[] out = hot ? col : ys;
        int yo = hot ? ckk * p : a.yOff + (s * filters + f0) * p;
        kernels.gemm(false, false, f1 - f0, p, ckk, a.kernel, f0 * ckk, ckk, col, 0, p, 0f, out, yo, p);
        kernels.addRowBias(out, yo, f1 - f0, p, parts == 1 ? a.bias : biasSlices[part], a.relu);
        if (a.pooled) {
            float[] to = cells == null ? ys : col;
            kernels.maxPoolForward(col, yo, poolGeometry[part], to,
                    cells == null ? a.yOff + (s * filters + f0) * (p / 4) : pooledAt, argmax[worker], 0);
        }
        if (cells != null) { // this part's filters are channels f0..f1 of the image's cells
            int h = a.pooled ? g.outH() / 2 : g.outH(), w = a.pooled ? g.outW() / 2 : g.outW();
            Packing.toCells(col, a.pooled ? pooledAt : yo, f1 - f0, h, w, ys, a.yOff + s * cells.imageFloats() + f0,
                    cells.cols(), cells.cp(), cells.top(), cells.left());
        }
    }

    // output rows r0..r1 of image s, every filter, straight into its cells: the transposed product
    // t [pixels, F] = colᵀ · kernelᵀ is already channel-minor, so the transposition into cells
    // (Packing.toCells, 5% of a batch's inference) is gone; each output is the same fma chain over
    // the patch as kernel · col's (VectorGemm), with the same bias and ReLU (addColumnBias), so the
    // same bits. Only when the cells hold exactly the filters: no padding channels to zero.
    private void forwardRowsToCells(Call a, int s, int part, int parts, int worker) {
        int oh = g.outH(), ow = g.outW(), p = g.outPixels(), ckk = g.patchSize();
        int r0 = oh * part / parts, r1 = oh * (part + 1) / parts, pixels = (r1 - r0) * ow;
        if (pixels == 0) {
            return;
        }
        CellLayout cells = a.cells;
        int at = ckk * p; // t [pixels, F] after the patches
        float[] col = scratch.get(worker, at + p * filters);
        kernels.im2col(a.x, a.xOff + s * g.inSize(), g, col, 0);
        kernels.gemm(true, false, pixels, filters, ckk, col, r0 * ow, p, kernelT, 0, filters, 0f, col, at, filters);
        kernels.addColumnBias(col, at, pixels, filters, a.bias, a.relu);
        int image = a.yOff + s * cells.imageFloats(), row = ow * filters;
        for (int r = r0; r < r1; r++) {
            System.arraycopy(col, at + (r - r0) * row, a.y, image + ((cells.top() + r) * cells.cols() + cells.left()) * filters,
                    row);
        }
    }

    // backward: dy [N, F, OH, OW] -> dx [N, C, H, W]; dkernel = Σ_n dy_n · col_nᵀ, dbias = Σ dy,
    // dx_n = col2im(kernelᵀ · dy_n), or at stride 1 the same thing as a forward convolution of dy_n
    // with the flipped kernel: flipped [C, F, KH, KW] · im2col(dy_n), a deep gemm with no scatter
    @Override
    public void backward(float[] x, float[] kernel, float[] y, boolean relu, float[] dy, float[] dx, float[] dKernel,
                         float[] dBias, int n) {
        boolean transposed = dx != null && g.strideH() == 1 && g.strideW() == 1;
        if (transposed) {
            flipKernel(kernel);
        }
        int wSize = filters * g.patchSize();
        int count = blocks.prepare(n, wSize, filters);
        Call a = call;
        a.x = x;
        a.kernel = kernel;
        a.y = y;
        a.relu = relu;
        a.dy = dy;
        a.dx = dx;
        a.n = n;
        a.transposed = transposed;
        try {
            Parallel.forEach(count, a.backward);
        } finally {
            a.clear();
        }
        blocks.reduce(count, wSize, dKernel, dBias);
    }

    private void backwardBlock(Call a, int blk, int worker) {
        int n = a.n, f = filters, p = g.outPixels(), ckk = g.patchSize(), in = g.inSize();
        int kh = g.kh(), kw = g.kw();
        int fkk = f * kh * kw, hw = g.height() * g.width(), wSize = f * ckk;
        boolean transposed = a.transposed, relu = a.relu;
        float[] xs = a.x, ys = a.y, dys = a.dy, w = a.kernel, part = blocks.weights();
        float[] dxs = a.dx;
        float[] col = scratch.get(worker, Math.max(ckk * p, transposed ? fkk * hw : 0));
        int off = blk * wSize;
        float[] db = blocks.bias(blk);
        Arrays.fill(part, off, off + wSize, 0f);
        Arrays.fill(db, 0f);
        for (int s = blk * GRAD_BLOCK; s < Math.min(n, (blk + 1) * GRAD_BLOCK); s++) {
            int o = s * f * p;
            if (relu) {
                kernels.reluBackward(dys, o, ys, o, f * p);
            }
            kernels.im2col(xs, s * in, g, col, 0);
            kernels.gemm(false, true, f, ckk, p, dys, o, p, col, 0, p, 1f, part, off, ckk);
            kernels.sumRows(dys, o, f, p, db);
            if (transposed) {
                kernels.im2col(dys, o, gT, col, 0);
                kernels.gemm(false, false, g.channels(), hw, fkk, flipped, 0, fkk, col, 0, hw, 0f, dxs, s * in, hw);
            } else if (dxs != null) {
                kernels.gemm(true, false, ckk, p, f, w, 0, ckk, dys, o, p, 0f, col, 0, p);
                Arrays.fill(dxs, s * in, (s + 1) * in, 0f);
                kernels.col2im(col, 0, g, dxs, s * in);
            }
        }
    }

    /**
     * {@code flipped[c][f][ky][kx] = kernel[f][c][KH-1-ky][KW-1-kx]}: the kernel of the stride-1
     * convolution that maps dy back to dx ({@link #gT} is its geometry, padding {@code K-1-pad}).
     */
    private void flipKernel(float[] w) {
        int c = g.channels(), kh = g.kh(), kw = g.kw();
        if (flipped.length != w.length) {
            flipped = new float[w.length];
            gT = new ConvGeometry(filters, g.outH(), g.outW(), kh, kw, 1, 1, kh - 1 - g.padTop(), kw - 1 - g.padLeft(),
                    g.height(), g.width());
        }
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
}
