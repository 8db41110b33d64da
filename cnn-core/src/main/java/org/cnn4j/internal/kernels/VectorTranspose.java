package org.cnn4j.internal.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Packing#pack}, {@link Packing#unpack} and, at stride 2 x 2, {@link Packing#packPhases}
 * (their scalar twins) as 16 x 16 transposes in registers: sixteen planes' rows in, sixteen cells
 * out, or the reverse.
 *
 * <p>Why: the scalar copies write (or read) one float per cell, {@code cp} floats apart, so every
 * float is a cache line's round trip to L2 once the cells outgrow L1. Here every load and store is
 * a whole vector: sixteen channels of a plane row, or sixteen channels of a cell. The transpose
 * swaps one bit of the row index with the same bit of the lane index per stage: four stages of
 * sixteen two-vector permutes ({@code rearrange(shuffle, v)}).
 *
 * <p>Blocks that would read past an array's end, or that hold fewer than 16 channels, are left to
 * the scalar copies. Only for 16-lane vectors; other widths use the scalar copies throughout. The
 * copies move floats unchanged, and {@link #unpack}'s bias and ReLU are the scalar twin's
 * operations lane by lane, so the results are bit for bit the scalar twin's.
 *
 * <p>Each block is one method with its sixteen vectors in locals and no calls that take or return
 * a vector: C2 boxes a vector that crosses a call it does not inline.
 */
final class VectorTranspose {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int L = FS.length();
    /** Whether this class may be used: 16 lanes (512-bit vectors). */
    static final boolean AVAILABLE = L == 16;

    // lane i of a.rearrange(LOb, c): (i & b) == 0 ? a[i] : c[i - b]; of HIb: (i & b) == 0 ? a[i + b] : c[i]
    private static final VectorShuffle<Float> LO8 = indices(8, true), HI8 = indices(8, false);
    private static final VectorShuffle<Float> LO4 = indices(4, true), HI4 = indices(4, false);
    private static final VectorShuffle<Float> LO2 = indices(2, true), HI2 = indices(2, false);
    private static final VectorShuffle<Float> LO1 = indices(1, true), HI1 = indices(1, false);

    private VectorTranspose() {
    }

    // indices from L up name the second vector's lanes
    private static VectorShuffle<Float> indices(int b, boolean low) {
        if (!AVAILABLE) {
            return null;
        }
        int[] idx = new int[L];
        for (int i = 0; i < L; i++) {
            boolean fromSecond = (i & b) != 0;
            idx[i] = low ? (fromSecond ? L + i - b : i) : (fromSecond ? L + i : i + b);
        }
        return VectorShuffle.fromArray(FS, idx, 0);
    }

    /** {@link Packing#pack}, for {@code cp} a multiple of 16. */
    static void pack(float[] x, int xOff, int channels, int height, int width, int row0, int rows, int col0,
                     int cols, float[] dst, int dstOff, int cp) {
        int r0 = Math.max(0, -row0), r1 = Math.min(rows, height - row0);
        int q0 = Math.max(0, -col0), q1 = Math.min(cols, width - col0);
        int rowFloats = cols * cp;
        if (r1 <= r0 || q1 <= q0) {
            Arrays.fill(dst, dstOff, dstOff + rows * rowFloats, 0f);
            return;
        }
        // the cells the planes do not cover, and the channels past them, are zeros
        Arrays.fill(dst, dstOff, dstOff + r0 * rowFloats, 0f);
        Arrays.fill(dst, dstOff + r1 * rowFloats, dstOff + rows * rowFloats, 0f);
        for (int r = r0; r < r1; r++) {
            int row = dstOff + r * rowFloats;
            Arrays.fill(dst, row, row + q0 * cp, 0f);
            Arrays.fill(dst, row + q1 * cp, row + rowFloats, 0f);
        }
        int hw = height * width, full = channels / L * L;
        for (int c0 = full; c0 < cp; c0 += L) {
            for (int r = r0; r < r1; r++) {
                int row = dstOff + r * rowFloats;
                for (int q = q0; q < q1; q++) {
                    Arrays.fill(dst, row + q * cp + c0, row + q * cp + c0 + L, 0f);
                }
            }
        }
        for (int c0 = 0; c0 < channels; c0 += L) {
            for (int r = r0; r < r1; r++) {
                int from = xOff + c0 * hw + (row0 + r) * width + col0, to = dstOff + r * rowFloats + c0;
                for (int q = q0; q < q1; q += L) {
                    int n = Math.min(L, q1 - q);
                    if (c0 + L <= channels && from + q + (L - 1) * hw + L <= x.length) {
                        block(x, from + q, hw, dst, to + q * cp, cp, n, L, false, null, 0, false);
                    } else {
                        for (int c = c0; c < Math.min(channels, c0 + L); c++) {
                            for (int j = 0; j < n; j++) {
                                dst[to + (q + j) * cp + c - c0] = x[from + (c - c0) * hw + q + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@link Packing#unpack}, for {@code cp} a multiple of 16. */
    static void unpack(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols,
                       float[] y, int yOff, int channels, int height, int width, float[] bias, boolean relu) {
        int r0 = Math.max(0, -row0), r1 = Math.min(rows, height - row0);
        int q0 = Math.max(0, -col0), q1 = Math.min(cols, width - col0);
        int hw = height * width;
        boolean act = bias != null || relu;
        for (int c0 = 0; c0 < channels; c0 += L) {
            int planes = Math.min(L, channels - c0);
            for (int r = r0; r < r1; r++) {
                int from = srcOff + r * cols * cp + c0, to = yOff + c0 * hw + (row0 + r) * width + col0;
                for (int q = q0; q < q1; q += L) {
                    int n = Math.min(L, q1 - q);
                    if (from + (q + L - 1) * cp + L <= src.length && to + q + (planes - 1) * hw + L <= y.length) {
                        block(src, from + q * cp, cp, y, to + q, hw, planes, n, act, bias, c0, relu);
                    } else {
                        for (int c = c0; c < c0 + planes; c++) {
                            float b = bias == null ? 0f : bias[c];
                            for (int j = 0; j < n; j++) {
                                float v = src[from + (q + j) * cp + c - c0];
                                if (act) {
                                    v += b;
                                    v = relu ? Math.max(v, 0f) : v;
                                }
                                y[to + (c - c0) * hw + q + j] = v;
                            }
                        }
                    }
                }
            }
        }
    }

    // lane i of a.rearrange(EVEN, b): element 2i of the 2L floats a then b; of ODD: element 2i + 1
    private static final VectorShuffle<Float> EVEN = AVAILABLE ? VectorShuffle.fromOp(FS, i -> 2 * i) : null;
    private static final VectorShuffle<Float> ODD = AVAILABLE ? VectorShuffle.fromOp(FS, i -> 2 * i + 1) : null;
    // their inverse: lane i of a.rearrange(ZIP_FIRST, b) is element i of a0 b0 a1 b1 ...; ZIP_SECOND from L on
    private static final VectorShuffle<Float> ZIP_FIRST =
            AVAILABLE ? VectorShuffle.fromOp(FS, i -> i % 2 * L + i / 2) : null;
    private static final VectorShuffle<Float> ZIP_SECOND =
            AVAILABLE ? VectorShuffle.fromOp(FS, i -> i % 2 * L + L / 2 + i / 2) : null;
    /** What rows outside the input (padding) or past the channels read: two vectors of zeros. */
    private static final float[] ZEROS = new float[2 * L];

    private static final class PhaseRows {
        final float[][] srcs = new float[8][];
        final int[] offs = new int[8];
        final int[] starts = new int[8];
        final float[] block = new float[L * L];
    }

    private static final ThreadLocal<PhaseRows> PHASE_ROWS = ThreadLocal.withInitial(PhaseRows::new);

    /** Whether {@link #packPhases} takes these strides: 2 x 2, four phases, four channels a block. */
    static boolean takesPhases(ConvGeometry s) {
        return AVAILABLE && s.strideH() == 2 && s.strideW() == 2;
    }

    /**
     * {@link Packing#packPhases} for stride 2 x 2 and {@code cp} a multiple of 16: sixteen channels
     * of a cell are four input channels at their four phases {@code (a, b)}, row
     * {@code k = (cl*2 + a)*2 + b} of a block. Each of the 8 input rows {@code (cl, a)} is read as two
     * vectors from the block's first input column and split into its even ({@code b = 0}) and odd
     * columns in registers, then the block is transposed into 16 cells.
     */
    static void packPhases(float[] x, int xOff, ConvGeometry s, int phaseH, int phaseW, int row0, int rows, int col0,
                           int cols, float[] dst, int dstOff, int cp) {
        Arrays.fill(dst, dstOff, dstOff + rows * cols * cp, 0f);
        int rn = Math.min(rows, phaseH - row0), qn = Math.min(cols, phaseW - col0);
        int h = s.height(), w = s.width(), hw = h * w, channels = s.channels();
        PhaseRows pr = PHASE_ROWS.get();
        for (int c0 = 0; c0 < channels; c0 += L / 4) {
            for (int r = 0; r < rn; r++) {
                for (int p = 0; p < 8; p++) { // input row (cl, a) = (p / 2, p % 2), or -1 outside
                    int c = c0 + p / 2, iy = 2 * (row0 + r) + p % 2 - s.padTop();
                    pr.starts[p] = c < channels && iy >= 0 && iy < h ? xOff + c * hw + iy * w : -1;
                }
                for (int q = 0; q < qn; q += L) {
                    int n = Math.min(L, qn - q), ix0 = 2 * (col0 + q) - s.padLeft();
                    int to = dstOff + (r * cols + q) * cp + c0 * 4;
                    boolean inRange = true;
                    for (int p = 0; p < 8; p++) {
                        int o = pr.starts[p] + ix0;
                        boolean row = pr.starts[p] >= 0;
                        inRange &= !row || (o >= 0 && o + 2 * L <= x.length);
                        pr.srcs[p] = row ? x : ZEROS;
                        pr.offs[p] = row ? o : 0;
                    }
                    if (inRange) { // through a block in L1: one transpose in this class
                        phaseRows(pr.srcs, pr.offs, ix0, w, n, pr.block);
                        block(pr.block, 0, L, dst, to, cp, n, L, false, null, 0, false);
                        continue;
                    }
                    for (int k = 0; k < L; k++) { // a block at an array's end: the scalar copy
                        int start = pr.starts[k / 2];
                        for (int j = 0; start >= 0 && j < n; j++) {
                            int col = ix0 + 2 * j + k % 2;
                            if (col >= 0 && col < w) {
                                dst[to + j * cp + k] = x[start + col];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link Packing#unpackPhases} for stride 2 x 2 and {@code cp} a multiple of 16: the reverse of
     * {@link #packPhases}. 16 cells are transposed into a block in L1, whose rows {@code 2p} and
     * {@code 2p + 1} (the even and odd columns of input row {@code p}) are interleaved in registers
     * and stored under a mask: only input cells that a phase cell of the region covers are written.
     */
    static void unpackPhases(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols, float[] dx,
                             int dxOff, ConvGeometry s, int phaseH, int phaseW) {
        int rn = Math.min(rows, phaseH - row0), qn = Math.min(cols, phaseW - col0);
        int h = s.height(), w = s.width(), hw = h * w, channels = s.channels();
        PhaseRows pr = PHASE_ROWS.get();
        for (int c0 = 0; c0 < channels; c0 += L / 4) {
            for (int r = 0; r < rn; r++) {
                for (int p = 0; p < 8; p++) { // input row (cl, a) = (p / 2, p % 2), or -1 outside
                    int c = c0 + p / 2, iy = 2 * (row0 + r) + p % 2 - s.padTop();
                    pr.starts[p] = c < channels && iy >= 0 && iy < h ? dxOff + c * hw + iy * w : -1;
                }
                for (int q = 0; q < qn; q += L) {
                    int n = Math.min(L, qn - q), ix0 = 2 * (col0 + q) - s.padLeft();
                    int from = srcOff + (r * cols + q) * cp + c0 * 4;
                    boolean inRange = from + (L - 1) * cp + L <= src.length;
                    for (int p = 0; p < 8; p++) {
                        int o = pr.starts[p] + ix0;
                        boolean row = pr.starts[p] >= 0;
                        inRange &= !row || (o >= 0 && o + 2 * L <= dx.length);
                        pr.offs[p] = row ? o : -1;
                    }
                    if (inRange) {
                        block(src, from, cp, pr.block, 0, L, L, L, false, null, 0, false);
                        phaseStore(pr.block, pr.offs, ix0, w, n, dx);
                        continue;
                    }
                    for (int k = 0; k < L; k++) { // a block at an array's end: the scalar copy
                        int start = pr.starts[k / 2];
                        for (int j = 0; start >= 0 && j < n; j++) {
                            int col = ix0 + 2 * j + k % 2;
                            if (col >= 0 && col < w) {
                                dx[start + col] = src[from + j * cp + k];
                            }
                        }
                    }
                }
            }
        }
    }

    // rows 2p, 2p + 1 of `rows` (the even and odd columns of input row p) -> interleaved -> dx at
    // offs[p] (none where offs[p] < 0), lanes whose column lies in [0, w) and whose cell is < `cells`
    private static void phaseStore(float[] rows, int[] offs, int ix0, int w, int cells, float[] dx) {
        VectorMask<Float> first = FS.indexInRange(0, Math.min(w - ix0, 2 * cells))
                .andNot(FS.indexInRange(0, Math.max(0, -ix0)));
        VectorMask<Float> second = FS.indexInRange(0, Math.min(w - ix0, 2 * cells) - L)
                .andNot(FS.indexInRange(0, Math.max(0, -ix0 - L)));
        for (int p = 0; p < 8; p++) {
            if (offs[p] < 0) {
                continue;
            }
            FloatVector even = FloatVector.fromArray(FS, rows, 2 * p * L);
            FloatVector odd = FloatVector.fromArray(FS, rows, (2 * p + 1) * L);
            even.rearrange(ZIP_FIRST, odd).intoArray(dx, offs[p], first);
            even.rearrange(ZIP_SECOND, odd).intoArray(dx, offs[p] + L, second);
        }
    }

    // 8 input rows (srcs[p] at offs[p], 2L floats each) -> their even and odd columns, rows 2p and
    // 2p + 1 of a 16 x 16 block in `rows` (lanes whose column is outside [0, w), or past `cells`, zero)
    private static void phaseRows(float[][] srcs, int[] offs, int ix0, int w, int cells, float[] rows) {
        int jlo0 = Math.max(0, Math.floorDiv(1 - ix0, 2)), jhi0 = Math.min(cells, Math.floorDiv(w - ix0 + 1, 2));
        int jlo1 = Math.max(0, Math.floorDiv(-ix0, 2)), jhi1 = Math.min(cells, Math.floorDiv(w - ix0, 2));
        // lanes whose input column ix0 + 2j + b lies outside [0, w) are zeros (padding)
        VectorMask<Float> out0 = FS.indexInRange(0, jhi0).andNot(FS.indexInRange(0, jlo0)).not();
        VectorMask<Float> out1 = FS.indexInRange(0, jhi1).andNot(FS.indexInRange(0, jlo1)).not();
        for (int p = 0; p < 8; p++) {
            FloatVector lo = FloatVector.fromArray(FS, srcs[p], offs[p]);
            FloatVector hi = FloatVector.fromArray(FS, srcs[p], offs[p] + L);
            lo.rearrange(EVEN, hi).blend(0f, out0).intoArray(rows, 2 * p * L);
            lo.rearrange(ODD, hi).blend(0f, out1).intoArray(rows, (2 * p + 1) * L);
        }
    }

    /**
     * The 16 x 16 block whose row k is {@code s[sOff + k*sStride ..]} (16 floats each, all in
     * range), transposed: row k of the result goes to {@code d[dOff + k*dStride ..]}, its first
     * {@code lanes} lanes, for {@code k < rows}; with {@code act}, as {@code Packing.unpack} computes
     * it, {@code row + bias[biasOff + k]} (0 without a bias), through ReLU when {@code relu}. One
     * method for both directions, with no calls that take or return a vector.
     */
    private static void block(float[] s, int sOff, int sStride, float[] d, int dOff, int dStride, int rows, int lanes,
                              boolean act, float[] bias, int biasOff, boolean relu) {
        FloatVector v0 = FloatVector.fromArray(FS, s, sOff + 0 * sStride);
        FloatVector v1 = FloatVector.fromArray(FS, s, sOff + 1 * sStride);
        FloatVector v2 = FloatVector.fromArray(FS, s, sOff + 2 * sStride);
        FloatVector v3 = FloatVector.fromArray(FS, s, sOff + 3 * sStride);
        FloatVector v4 = FloatVector.fromArray(FS, s, sOff + 4 * sStride);
        FloatVector v5 = FloatVector.fromArray(FS, s, sOff + 5 * sStride);
        FloatVector v6 = FloatVector.fromArray(FS, s, sOff + 6 * sStride);
        FloatVector v7 = FloatVector.fromArray(FS, s, sOff + 7 * sStride);
        FloatVector v8 = FloatVector.fromArray(FS, s, sOff + 8 * sStride);
        FloatVector v9 = FloatVector.fromArray(FS, s, sOff + 9 * sStride);
        FloatVector v10 = FloatVector.fromArray(FS, s, sOff + 10 * sStride);
        FloatVector v11 = FloatVector.fromArray(FS, s, sOff + 11 * sStride);
        FloatVector v12 = FloatVector.fromArray(FS, s, sOff + 12 * sStride);
        FloatVector v13 = FloatVector.fromArray(FS, s, sOff + 13 * sStride);
        FloatVector v14 = FloatVector.fromArray(FS, s, sOff + 14 * sStride);
        FloatVector v15 = FloatVector.fromArray(FS, s, sOff + 15 * sStride);
        // a: bit 8 of the row index swapped with bit 8 of the lane index
        FloatVector a0 = v0.rearrange(LO8, v8), a8 = v0.rearrange(HI8, v8);
        FloatVector a1 = v1.rearrange(LO8, v9), a9 = v1.rearrange(HI8, v9);
        FloatVector a2 = v2.rearrange(LO8, v10), a10 = v2.rearrange(HI8, v10);
        FloatVector a3 = v3.rearrange(LO8, v11), a11 = v3.rearrange(HI8, v11);
        FloatVector a4 = v4.rearrange(LO8, v12), a12 = v4.rearrange(HI8, v12);
        FloatVector a5 = v5.rearrange(LO8, v13), a13 = v5.rearrange(HI8, v13);
        FloatVector a6 = v6.rearrange(LO8, v14), a14 = v6.rearrange(HI8, v14);
        FloatVector a7 = v7.rearrange(LO8, v15), a15 = v7.rearrange(HI8, v15);
        // b: bit 4 of the row index swapped with bit 4 of the lane index
        FloatVector b0 = a0.rearrange(LO4, a4), b4 = a0.rearrange(HI4, a4);
        FloatVector b1 = a1.rearrange(LO4, a5), b5 = a1.rearrange(HI4, a5);
        FloatVector b2 = a2.rearrange(LO4, a6), b6 = a2.rearrange(HI4, a6);
        FloatVector b3 = a3.rearrange(LO4, a7), b7 = a3.rearrange(HI4, a7);
        FloatVector b8 = a8.rearrange(LO4, a12), b12 = a8.rearrange(HI4, a12);
        FloatVector b9 = a9.rearrange(LO4, a13), b13 = a9.rearrange(HI4, a13);
        FloatVector b10 = a10.rearrange(LO4, a14), b14 = a10.rearrange(HI4, a14);
        FloatVector b11 = a11.rearrange(LO4, a15), b15 = a11.rearrange(HI4, a15);
        // e: bit 2 of the row index swapped with bit 2 of the lane index
        FloatVector e0 = b0.rearrange(LO2, b2), e2 = b0.rearrange(HI2, b2);
        FloatVector e1 = b1.rearrange(LO2, b3), e3 = b1.rearrange(HI2, b3);
        FloatVector e4 = b4.rearrange(LO2, b6), e6 = b4.rearrange(HI2, b6);
        FloatVector e5 = b5.rearrange(LO2, b7), e7 = b5.rearrange(HI2, b7);
        FloatVector e8 = b8.rearrange(LO2, b10), e10 = b8.rearrange(HI2, b10);
        FloatVector e9 = b9.rearrange(LO2, b11), e11 = b9.rearrange(HI2, b11);
        FloatVector e12 = b12.rearrange(LO2, b14), e14 = b12.rearrange(HI2, b14);
        FloatVector e13 = b13.rearrange(LO2, b15), e15 = b13.rearrange(HI2, b15);
        // t: bit 1 of the row index swapped with bit 1 of the lane index
        FloatVector t0 = e0.rearrange(LO1, e1), t1 = e0.rearrange(HI1, e1);
        FloatVector t2 = e2.rearrange(LO1, e3), t3 = e2.rearrange(HI1, e3);
        FloatVector t4 = e4.rearrange(LO1, e5), t5 = e4.rearrange(HI1, e5);
        FloatVector t6 = e6.rearrange(LO1, e7), t7 = e6.rearrange(HI1, e7);
        FloatVector t8 = e8.rearrange(LO1, e9), t9 = e8.rearrange(HI1, e9);
        FloatVector t10 = e10.rearrange(LO1, e11), t11 = e10.rearrange(HI1, e11);
        FloatVector t12 = e12.rearrange(LO1, e13), t13 = e12.rearrange(HI1, e13);
        FloatVector t14 = e14.rearrange(LO1, e15), t15 = e14.rearrange(HI1, e15);
        VectorMask<Float> m = FS.indexInRange(0, lanes); // made here: a mask passed in would be boxed
        if (rows > 0) {
            FloatVector u = t0;
            if (act) { // Packing.unpack's arithmetic: v + b, then Math.max(v, 0)
                u = u.add(bias == null ? 0f : bias[biasOff + 0]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 0 * dStride, m);
        }
        if (rows > 1) {
            FloatVector u = t1;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 1]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 1 * dStride, m);
        }
        if (rows > 2) {
            FloatVector u = t2;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 2]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 2 * dStride, m);
        }
        if (rows > 3) {
            FloatVector u = t3;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 3]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 3 * dStride, m);
        }
        if (rows > 4) {
            FloatVector u = t4;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 4]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 4 * dStride, m);
        }
        if (rows > 5) {
            FloatVector u = t5;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 5]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 5 * dStride, m);
        }
        if (rows > 6) {
            FloatVector u = t6;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 6]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 6 * dStride, m);
        }
        if (rows > 7) {
            FloatVector u = t7;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 7]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 7 * dStride, m);
        }
        if (rows > 8) {
            FloatVector u = t8;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 8]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 8 * dStride, m);
        }
        if (rows > 9) {
            FloatVector u = t9;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 9]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 9 * dStride, m);
        }
        if (rows > 10) {
            FloatVector u = t10;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 10]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 10 * dStride, m);
        }
        if (rows > 11) {
            FloatVector u = t11;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 11]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 11 * dStride, m);
        }
        if (rows > 12) {
            FloatVector u = t12;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 12]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 12 * dStride, m);
        }
        if (rows > 13) {
            FloatVector u = t13;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 13]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 13 * dStride, m);
        }
        if (rows > 14) {
            FloatVector u = t14;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 14]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 14 * dStride, m);
        }
        if (rows > 15) {
            FloatVector u = t15;
            if (act) {
                u = u.add(bias == null ? 0f : bias[biasOff + 15]);
                if (relu) {
                    u = u.blend(0f, u.compare(VectorOperators.LE, 0f));
                }
            }
            u.intoArray(d, dOff + 15 * dStride, m);
        }
    }
}
