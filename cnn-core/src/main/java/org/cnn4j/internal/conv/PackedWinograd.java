package org.cnn4j.internal.conv;

import java.util.Arrays;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.Packing;
import org.cnn4j.internal.kernels.Scratch;

/**
 * {@link WinogradConv} with the transformed tiles laid out channel-minor: {@code V [alpha², T, cp]},
 * {@code M [alpha², T, fp]}, channels and filters rounded up to {@value #ALIGN}. Each image is first
 * copied into the channel-minor layout ({@link Packing}), so the tile transforms
 * ({@link Kernels#tilesInPacked}, {@link Kernels#tilesOutPacked}) fill every vector lane whatever
 * the image size, and the transform-domain products read their operands in place:
 * <pre>
 * M_p  [T, F] = V_p [T, C] · U_pᵀ [C, F]     forward
 * dU_p [F, C] += dM_pᵀ [F, T] · V_p [T, C]   weight gradient
 * dV_p [T, C] = dM_p [T, F] · U_p [F, C]     input gradient
 * </pre>
 */
final class PackedWinograd extends WinogradConv implements CellConv {
    /**
     * Channels and filters from which this layout is the default. Fewer pad most of each vector
     * with zeros, where {@link PlanarWinograd} fills 7 lanes of 16 on a 28x28 plane anyway.
     */
    static final int MIN_CHANNELS = 8;
    /** Channel stride of the packed layouts: a multiple of the vector length up to 512 bits. */
    private static final int ALIGN = 16;

    private final int cp;
    private final int fp;
    /** Rows and columns of the input tiles' extent: {@code (tiles-1)*m + alpha}. */
    private final int inRows;
    private final int inCols;
    /** Columns of the output tiles' extent: {@code tilesW * m}. */
    private final int outCols;
    private final Scratch packScratch = new Scratch();
    private final Scratch dxScratch = new Scratch();
    /** The pooled cells of a chunk's output rows, before they are unpacked ({@link #forwardPooled}). */
    private final Scratch poolScratch = new Scratch();
    /** The bias and zeros up to {@link #fp}, as {@link Kernels#pool2x2Packed} reads it. */
    private final float[] paddedBias;
    /** {@code Uᵀ [alpha², C, F]}, the forward product's right operand. */
    private float[] ut = new float[0];
    /**
     * The strided convolution whose phases this one convolves ({@link PhasedConv}), read and
     * written in its own layout: x and dx are that convolution's input, packed into and unpacked
     * from this one's cells without the phase planes. Null: x is this convolution's input.
     */
    private final ConvGeometry phasesOf;

    PackedWinograd(Kernels kernels, ConvGeometry g, int filters, int m) {
        this(kernels, g, filters, m, null);
    }

    /**
     * A packed Winograd convolution of {@code g}; with {@code phasesOf}, {@code g} is
     * {@code PhasedConv.phases(phasesOf)} and x, dx are {@code phasesOf}'s input and its gradient.
     */
    PackedWinograd(Kernels kernels, ConvGeometry g, int filters, int m, ConvGeometry phasesOf) {
        super(kernels, g, filters, m);
        if (phasesOf != null && !PhasedConv.phases(phasesOf).equals(g)) {
            throw new IllegalArgumentException(g + " is not the phase convolution of " + phasesOf);
        }
        this.phasesOf = phasesOf;
        this.cp = (channels + ALIGN - 1) / ALIGN * ALIGN;
        this.fp = (filters + ALIGN - 1) / ALIGN * ALIGN;
        this.inRows = (in.tilesH() - 1) * m + w.alpha();
        this.inCols = (in.tilesW() - 1) * m + w.alpha();
        this.outCols = in.tilesW() * m;
        this.paddedBias = new float[fp];
    }

    /**
     * This convolution reading and writing the input of {@code strided} directly, when it is
     * {@code strided}'s phase convolution ({@link PhasedConv}): the phase planes are never formed.
     */
    PackedWinograd readingPhasesOf(ConvGeometry strided) {
        return new PackedWinograd(kernels, PhasedConv.phases(strided), filters, w.m(), strided);
    }

    /** Whether x and dx are {@code strided}'s input and its gradient ({@link #readingPhasesOf}). */
    boolean readsPhasesOf(ConvGeometry strided) {
        return strided.equals(phasesOf);
    }

    /** An even m puts every pooling window inside one output tile, so chunks of tile rows pool alone. */
    @Override
    public boolean pools2x2() {
        return w.m() % 2 == 0 && out.height() % 2 == 0 && out.width() % 2 == 0;
    }

    // forward, pooled: x [N, C, H, W] -> y [N, F, OH/2, OW/2]; the full output exists only a chunk at a time, packed
    @Override
    public void forwardPooled(float[] xs, float[] kernel, float[] bias, boolean relu, float[] ys, int n) {
        if (!pools2x2()) {
            throw new IllegalStateException(name() + " cannot pool a " + out.height() + "x" + out.width() + " output");
        }
        System.arraycopy(bias, 0, paddedBias, 0, filters);
        forward(xs, kernel, paddedBias, relu, ys, n, true);
    }

    @Override
    public CellLayout inputCells() {
        return new CellLayout(inRows, inCols, cp, in.padTop(), in.padLeft());
    }

    @Override
    public boolean writes(CellLayout cells, boolean pooled) {
        int h = out.height(), wd = out.width();
        return cells.cp() == fp && (pooled ? pools2x2() && cells.holds(h / 2, wd / 2) : cells.holds(h, wd));
    }

    // inference forward: planes or cells -> conv, bias, ReLU, pooled or not -> planes or cells
    @Override
    public void forwardCells(float[] xs, int xOff, boolean xCells, float[] kernel, float[] bias, boolean relu,
                             boolean pooled, float[] ys, int yOff, CellLayout yCells, int n) {
        if (yCells != null ? !writes(yCells, pooled) : pooled && !pools2x2()) {
            throw new IllegalArgumentException(name() + " cannot write " + (pooled ? "pooled " : "") + "output "
                    + out.height() + "x" + out.width() + " to " + (yCells == null ? "planes" : yCells));
        }
        System.arraycopy(bias, 0, paddedBias, 0, filters);
        forward(xs, xOff, kernel, paddedBias, relu, ys, yOff, n, pooled, xCells, yCells);
    }

    /**
     * Products saved per output cell, {@code C·F·(r² - alpha²/m²)}, against {@code (C + F)} for the
     * transforms: Winograd forward when the ratio reaches {@value #FORWARD_SAVINGS}. The line moves
     * with the CPU. On an AMD Zen 4 (LayerProfile, 2 threads, batch 86, 2026-12-06 19:48) F(2x2, 3x3)
     * forward on the seed's conv2d_2 (32 -> 64 channels, ratio 107) took 4.9 ms against im2col's
     * 3.7-4.0, and on conv2d_3 (64 -> 64, ratio 160) 6.1 against 7.0-8.3. On the Intel Xeon of
     * family 6 model 167 that every later sitting ran on (2026-12-07, quiet, inference, medians of
     * 2 runs) conv2d_2's Winograd forward took 3.45 ms against im2col's 5.3 at batch 86 and 2
     * threads, 6.5 against 9.4 on one thread, and 0.08 against 0.17 ms for one image (v2's
     * conv2d_1 and conv2d_3, ratios 108 and 107, likewise in training). The threshold follows the
     * CPU the project now measures on. F(4x4, 5x5) on conv2d_1 (ratio 336) wins by far on both.
     */
    @Override
    boolean winsForward() {
        double saved = (double) channels * filters * (r2 - (double) a2 / (w.m() * w.m()));
        return saved / (channels + filters) >= FORWARD_SAVINGS;
    }

    /** See {@link #winsForward}: below the seed's conv2d_2 (107) and v2's conv2d_1 (108) and conv2d_3 (107). */
    private static final int FORWARD_SAVINGS = 100;

    // Uᵀ per position, from U [alpha², F, C]
    @Override
    void kernelTransformed() {
        int fc = filters * channels;
        if (ut.length != a2 * fc) {
            ut = new float[a2 * fc];
        }
        for (int p = 0; p < a2; p++) {
            for (int f = 0; f < filters; f++) {
                for (int c = 0; c < channels; c++) {
                    ut[p * fc + c * filters + f] = u[p * fc + f * channels + c];
                }
            }
        }
    }

    /** Floats of the per-worker packing buffer: a chunk's input rows, or its output rows. */
    private int packFloats() {
        int m = w.m();
        return Math.max(((chunkRows - 1) * m + w.alpha()) * inCols * cp, chunkRows * m * outCols * fp);
    }

    /**
     * V for the global tile rows {@code g0..g1} (image {@code gr / tilesH}): each image's rows packed,
     * then transformed; with {@code cells}, transformed where they lie ({@link #inputCells()}).
     */
    private void inputTiles(float[] xs, int xOff, boolean cells, int g0, int g1, float[] pk, float[] v) {
        int tilesH = in.tilesH(), tw = in.tilesW(), m = w.m();
        for (int gr = g0; gr < g1; ) {
            int img = gr / tilesH, ty0 = gr % tilesH, ty1 = Math.min(tilesH, ty0 + g1 - gr);
            if (cells) {
                kernels.tilesInPacked(in, cp, xs, xOff + (img * inRows + ty0 * m) * inCols * cp, ty0, ty1, v,
                        (gr - g0) * tw * cp, chunkTiles * cp);
            } else if (phasesOf != null) { // the phase cells straight from the strided input
                kernels.packPhases(xs, xOff + img * phasesOf.inSize(), phasesOf, in.height(), in.width(), ty0 * m,
                        (ty1 - ty0 - 1) * m + w.alpha(), 0, inCols, pk, 0, cp);
                kernels.tilesInPacked(in, cp, pk, 0, ty0, ty1, v, (gr - g0) * tw * cp, chunkTiles * cp);
            } else {
                kernels.pack(xs, xOff + img * inSize, channels, in.height(), in.width(), ty0 * m - in.padTop(),
                        (ty1 - ty0 - 1) * m + w.alpha(), -in.padLeft(), inCols, pk, 0, cp);
                kernels.tilesInPacked(in, cp, pk, 0, ty0, ty1, v, (gr - g0) * tw * cp, chunkTiles * cp);
            }
            gr += ty1 - ty0;
        }
    }

    // chunk ch: x [C, H, W] of its images -> pack -> V -> M = V · Uᵀ -> tiles out -> y [F, OH, OW]
    @Override
    void forwardChunk(Call a, int ch, int worker) {
        int tilesH = in.tilesH(), tw = in.tilesW(), m = w.m();
        float[] v = vScratch.get(worker, a2 * chunkTiles * cp + SLACK);
        float[] mm = mScratch.get(worker, a2 * chunkTiles * fp + SLACK);
        float[] pk = packScratch.get(worker, packFloats());
        int g0 = ch * a.chunk, g1 = Math.min(a.rows, g0 + a.chunk), tiles = (g1 - g0) * tw;
        inputTiles(a.xs, a.xOff, a.cellsIn, g0, g1, pk, v);
        for (int p = 0; p < a2; p++) {
            kernels.gemm(false, false, tiles, filters, channels, v, p * chunkTiles * cp, cp,
                    ut, p * channels * filters, filters, 0f, mm, p * chunkTiles * fp, fp);
        }
        for (int gr = g0; gr < g1; ) {
            int img = gr / tilesH, ty0 = gr % tilesH, ty1 = Math.min(tilesH, ty0 + g1 - gr);
            kernels.tilesOutPacked(out, fp, mm, (gr - g0) * tw * fp, chunkTiles * fp, ty0, ty1, pk, 0, false);
            int rows = (ty1 - ty0) * m;
            CellLayout c = a.cellsOut;
            if (a.pooled) { // pooled while the rows are hot, then a quarter of them unpacked (or copied)
                float[] pooled = poolScratch.get(worker, chunkRows * m * outCols * fp / 4);
                kernels.pool2x2Packed(pk, 0, fp, rows, outCols, a.bias, a.relu, pooled, 0);
                if (c != null) { // the plane's rows and columns, into the next layer's cells
                    int r0 = ty0 * m / 2, half = out.width() / 2, to = a.yOff + img * c.imageFloats();
                    for (int r = r0; r < Math.min(r0 + rows / 2, out.height() / 2); r++) {
                        System.arraycopy(pooled, (r - r0) * (outCols / 2) * fp, a.ys,
                                to + ((c.top() + r) * c.cols() + c.left()) * fp, half * fp);
                    }
                } else {
                    kernels.unpack(pooled, 0, fp, ty0 * m / 2, rows / 2, 0, outCols / 2, a.ys,
                            a.yOff + img * filters * outSize / 4, filters, out.height() / 2, out.width() / 2,
                            null, false);
                }
            } else if (c != null) { // bias and ReLU on the way into the next layer's cells, no transposition
                int r0 = ty0 * m, to = a.yOff + img * c.imageFloats() + ((c.top() + r0) * c.cols() + c.left()) * fp;
                kernels.biasReluPacked(pk, 0, outCols, fp, Math.min(rows, out.height() - r0), out.width(), a.bias,
                        a.relu, a.ys, to, c.cols());
            } else {
                kernels.unpack(pk, 0, fp, ty0 * m, (ty1 - ty0) * m, 0, outCols, a.ys, a.yOff + img * filters * outSize,
                        filters, out.height(), out.width(), a.bias, a.relu);
            }
            gr += ty1 - ty0;
        }
    }

    // images of block blk: dy -> dM; dU += dM_pᵀ · V_p; dV = dM_p · U_p -> tiles out (overlapping) -> dx
    @Override
    void backwardBlock(Call a, int blk, int worker) {
        int tilesH = in.tilesH(), tw = in.tilesW(), m = w.m();
        float[] v = vScratch.get(worker, a2 * chunkTiles * cp + SLACK);
        float[] mm = mScratch.get(worker, a2 * chunkTiles * fp + SLACK);
        float[] pk = packScratch.get(worker, packFloats());
        // an image's tile rows all pass through this worker, in order: its dx builds up here
        float[] dxp = a.dxs == null ? null : dxScratch.get(worker, inRows * inCols * cp);
        float[] part = blocks.weights();
        int first = blk * gradBlock, last = Math.min(a.n, first + gradBlock);
        int off = beginBlock(a, blk, first, last);
        int blockRows = (last - first) * tilesH, size = chunkSize(blockRows);
        for (int r0 = 0; r0 < blockRows; r0 += size) {
            int g0 = first * tilesH + r0, g1 = Math.min(last * tilesH, g0 + size), tiles = (g1 - g0) * tw;
            inputTiles(a.xs, 0, false, g0, g1, pk, v);
            for (int gr = g0; gr < g1; ) {
                int img = gr / tilesH, ty0 = gr % tilesH, ty1 = Math.min(tilesH, ty0 + g1 - gr);
                kernels.pack(a.dys, img * filters * outSize, filters, out.height(), out.width(), ty0 * m,
                        (ty1 - ty0) * m, 0, outCols, pk, 0, fp);
                kernels.tilesInPacked(out, fp, pk, 0, ty0, ty1, mm, (gr - g0) * tw * fp, chunkTiles * fp);
                gr += ty1 - ty0;
            }
            for (int p = 0; p < a2; p++) {
                kernels.gemm(true, false, filters, channels, tiles, mm, p * chunkTiles * fp, fp,
                        v, p * chunkTiles * cp, cp, 1f, part, off + p * filters * channels, channels);
            }
            if (a.dxs == null) {
                continue;
            }
            for (int p = 0; p < a2; p++) { // dV overwrites V, which is no longer needed
                kernels.gemm(false, false, tiles, channels, filters, mm, p * chunkTiles * fp, fp,
                        u, p * filters * channels, channels, 0f, v, p * chunkTiles * cp, cp);
            }
            for (int gr = g0; gr < g1; ) {
                int img = gr / tilesH, ty0 = gr % tilesH, ty1 = Math.min(tilesH, ty0 + g1 - gr);
                if (ty0 == 0) {
                    Arrays.fill(dxp, 0, inRows * inCols * cp, 0f);
                }
                kernels.tilesOutPacked(in, cp, v, (gr - g0) * tw * cp, chunkTiles * cp, ty0, ty1,
                        dxp, ty0 * m * inCols * cp, true);
                if (ty1 == tilesH && phasesOf != null) { // straight into the strided input's gradient
                    int at = img * phasesOf.inSize();
                    Arrays.fill(a.dxs, at, at + phasesOf.inSize(), 0f); // cells no phase covers
                    kernels.unpackPhases(dxp, 0, cp, 0, inRows, 0, inCols, a.dxs, at, phasesOf, in.height(), in.width());
                } else if (ty1 == tilesH) {
                    kernels.unpack(dxp, 0, cp, -in.padTop(), inRows, -in.padLeft(), inCols, a.dxs, img * inSize,
                            channels, in.height(), in.width(), null, false);
                }
                gr += ty1 - ty0;
            }
        }
    }
}
