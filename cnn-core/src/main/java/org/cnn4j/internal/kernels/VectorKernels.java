package org.cnn4j.internal.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Kernels} on the Java Vector API ({@code jdk.incubator.vector}), at the platform's
 * preferred vector width ({@link FloatVector#SPECIES_PREFERRED}; never a hard-coded 512 bits, which
 * falls off a cliff on JVMs running with smaller vectors). Loaded reflectively by
 * {@link KernelProvider}, so that the rest of the library never links against the incubator module.
 *
 * <p>Every loop handles its tail with masked vector operations, so any species width works.
 *
 * <p>Agreement with {@link ScalarKernels}: all element-wise kernels (bias, ReLU, masks, RMSprop,
 * im2col/col2im, max pooling and its argmax, {@code sumColumns}, {@code sumRows} in its fixed 16
 * stripes) perform the same float operations in the same order and so return bit-identical
 * results; the copies between planes and cells ({@code pack}, {@code unpack}, {@code packPhases},
 * through {@link VectorTranspose} at 16 lanes) move the same floats. {@code gemm} uses fused multiply-adds (see {@link VectorGemm} for its exact,
 * partition-invariant arithmetic) and differs from the scalar twin in the last bits only.
 */
public final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int L = FS.length();
    /** Ints with as many lanes as {@link #FS}: argmax indices travel beside the pooled values. */
    private static final VectorSpecies<Integer> IS = FS.withLanes(int.class);
    /** Bytes with as many lanes as {@link #FS}, for dropout masks; null if no such shape exists. */
    private static final VectorSpecies<Byte> BS = byteSpecies();

    /** Longs at the preferred width, for the dropout hash (64-bit lanes: vpmullq on AVX-512). */
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    /** Bytes with as many lanes as {@link #LS}; null if no such shape exists. */
    private static final VectorSpecies<Byte> LBS = byteSpecies(LS.length());

    private static VectorSpecies<Byte> byteSpecies() {
        return byteSpecies(L);
    }

    private static VectorSpecies<Byte> byteSpecies(int lanes) {
        try {
            return VectorSpecies.of(byte.class, VectorShape.forBitSize(lanes * Byte.SIZE));
        } catch (RuntimeException e) {
            return null; // e.g. 4 lanes would need 32-bit byte vectors, which do not exist
        }
    }

    /** Public no-arg constructor, for {@link KernelProvider}. */
    public VectorKernels() {
    }

    @Override
    public String name() {
        return "vector(" + FS.vectorBitSize() + "-bit)";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        VectorGemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    // ---------------------------------------------------------------- im2col / col2im

    @Override
    public void im2col(float[] x, int xOff, ConvGeometry g, float[] col, int colOff) {
        int oh = g.outH(), ow = g.outW(), h = g.height(), w = g.width();
        int sh = g.strideH(), sw = g.strideW();
        int row = 0;
        for (int ch = 0; ch < g.channels(); ch++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    // Output columns whose input column is inside the image: [lo, hi).
                    int lo = firstInside(g.padLeft() - kx, sw);
                    int hi = Math.max(lo, Math.min(ow, firstInside(w + g.padLeft() - kx, sw)));
                    int dst = colOff + row * oh * ow;
                    for (int oy = 0; oy < oh; oy++, dst += ow) {
                        int iy = oy * sh - g.padTop() + ky;
                        if (iy < 0 || iy >= h || lo >= hi) {
                            java.util.Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, dst, dst + lo, 0f);
                        int src = xOff + (ch * h + iy) * w + lo * sw - g.padLeft() + kx;
                        if (sw == 1) {
                            // A contiguous run of the input row; arraycopy is a vectorised intrinsic.
                            System.arraycopy(x, src, col, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++, src += sw) {
                                col[dst + ox] = x[src];
                            }
                        }
                        java.util.Arrays.fill(col, dst + hi, dst + ow, 0f);
                    }
                }
            }
        }
    }

    /**
     * The first output index {@code o >= 0} with {@code o * stride >= shift}: for {@code shift =
     * pad - kx}, the first output whose input column {@code o*stride - pad + kx} is {@code >= 0}.
     */
    private static int firstInside(int shift, int stride) {
        return shift <= 0 ? 0 : (shift - 1) / stride + 1; // not (shift + stride - 1) / stride: it overflows for huge strides
    }

    @Override
    public void col2im(float[] col, int colOff, ConvGeometry g, float[] dx, int dxOff) {
        int oh = g.outH(), ow = g.outW(), h = g.height(), w = g.width();
        int sh = g.strideH(), sw = g.strideW();
        int row = 0;
        for (int ch = 0; ch < g.channels(); ch++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    int lo = firstInside(g.padLeft() - kx, sw);
                    int hi = Math.min(ow, firstInside(w + g.padLeft() - kx, sw));
                    if (lo >= hi) {
                        continue;
                    }
                    int src = colOff + row * oh * ow;
                    for (int oy = 0; oy < oh; oy++, src += ow) {
                        int iy = oy * sh - g.padTop() + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = dxOff + (ch * h + iy) * w + lo * sw - g.padLeft() + kx;
                        if (sw == 1) {
                            addInto(col, src + lo, dx, dst, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++, dst += sw) {
                                dx[dst] += col[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code y[yo+i] += x[xo+i]} for {@code i < n}. */
    private static void addInto(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = FS.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(FS, y, yo + i).add(FloatVector.fromArray(FS, x, xo + i)).intoArray(y, yo + i);
        }
        if (i < n) {
            (FloatVector.fromArray(FS, Tails.src(y, yo + i, n - i), Tails.at(y, yo + i), FS.indexInRange(0, n - i)).add(FloatVector.fromArray(FS, Tails.src(x, xo + i, n - i), Tails.at(x, xo + i), FS.indexInRange(0, n - i)))).intoArray(Tails.dst(y, yo + i), Tails.at(y, yo + i), FS.indexInRange(0, n - i));
            Tails.flush(y, yo + i, n - i);
        }
    }

    // ---------------------------------------------------------------- bias, ReLU, reductions

    @Override
    public void addRowBias(float[] y, int yOff, int rows, int cols, float[] bias, boolean relu) {
        VectorMask<Float> keep = FS.maskAll(!relu); // see reluUnless
        for (int r = 0; r < rows; r++) {
            FloatVector b = FloatVector.broadcast(FS, bias[r]);
            int o = yOff + r * cols;
            int j = 0;
            for (int bound = FS.loopBound(cols); j < bound; j += L) {
                reluUnless(FloatVector.fromArray(FS, y, o + j).add(b), keep).intoArray(y, o + j);
            }
            // the tail (v2's 26x26 and 10x10 maps leave 4): the scalar twin's formula, the same bits; a
            // masked vector here was boxed in C2-compiled code (JFR, LayerProfile v2)
            for (float bs = bias[r]; j < cols; j++) {
                float v = y[o + j] + bs;
                y[o + j] = relu ? (v > 0f ? v : 0f) : v;
            }
        }
    }

    @Override
    public void addColumnBias(float[] y, int yOff, int rows, int cols, float[] bias, boolean relu) {
        VectorMask<Float> keep = FS.maskAll(!relu); // see reluUnless
        for (int r = 0; r < rows; r++) {
            int o = yOff + r * cols;
            int j = 0;
            for (int bound = FS.loopBound(cols); j < bound; j += L) {
                FloatVector v = FloatVector.fromArray(FS, y, o + j).add(FloatVector.fromArray(FS, bias, j));
                reluUnless(v, keep).intoArray(y, o + j);
            }
            // the tail (the 10 classes of a last layer): the scalar twin's formula, as in addRowBias
            for (; j < cols; j++) {
                float v = y[o + j] + bias[j];
                y[o + j] = relu ? (v > 0f ? v : 0f) : v;
            }
        }
    }

    /**
     * ReLU, {@code v > 0 ? v : 0} exactly as the scalar twin (NaN and -0 become +0; {@code max(v, 0)}
     * would keep NaN), in the lanes outside {@code keep}, and {@code v} itself in those inside. ReLU
     * or not is a mask made once per call (all lanes or none), so that no vector is chosen by a
     * branch, which C2 may box (with this and a scalar tail, the last dense layer's 0.06 MB a pass
     * of allocation went away, LayerProfile).
     */
    private static FloatVector reluUnless(FloatVector v, VectorMask<Float> keep) {
        return FloatVector.zero(FS).blend(v, v.compare(VectorOperators.GT, 0f).or(keep));
    }

    @Override
    public void reluBackward(float[] dy, int dyOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = FS.loopBound(n); i < bound; i += L) {
            VectorMask<Float> off = FloatVector.fromArray(FS, y, yOff + i).compare(VectorOperators.GT, 0f).not();
            FloatVector.fromArray(FS, dy, dyOff + i).blend(0f, off).intoArray(dy, dyOff + i);
        }
        for (; i < n; i++) { // the scalar twin's tail: a masked vector here was boxed (see addRowBias)
            if (!(y[yOff + i] > 0f)) {
                dy[dyOff + i] = 0f;
            }
        }
    }

    /**
     * {@code sumRows} sums each row in 16 interleaved stripes ({@code stripe = j % 16}), then adds
     * the stripes in order. The grouping is fixed, not the vector width's, so the result is the
     * same bits on 128-, 256- and 512-bit machines (and in the interpreter: no reduceLanes, whose
     * order is unspecified).
     */
    private static final int STRIPES = ScalarKernels.STRIPES;
    /** Vectors per stripe group; 0 when the vector length does not divide 16 (scalar stripes then). */
    private static final int GROUP = L <= STRIPES && STRIPES % L == 0 ? STRIPES / L : 0;

    @Override
    public void sumRows(float[] dy, int off, int rows, int cols, float[] db) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            db[r] += GROUP == 0 ? ScalarKernels.stripedSum(dy, o, cols) : stripedSum(dy, o, cols);
        }
    }

    private static float stripedSum(float[] dy, int o, int n) {
        FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (; j + STRIPES <= n; j += STRIPES) {
            a0 = a0.add(FloatVector.fromArray(FS, dy, o + j));
            if (GROUP > 1) {
                a1 = a1.add(FloatVector.fromArray(FS, dy, o + j + L));
            }
            if (GROUP > 2) {
                a2 = a2.add(FloatVector.fromArray(FS, dy, o + j + 2 * L));
                a3 = a3.add(FloatVector.fromArray(FS, dy, o + j + 3 * L));
            }
        }
        if (j < n) {
            // Masked-off lanes add +0, which leaves a stripe (never -0: it starts at +0) unchanged.
            int rest = n - j;
            a0 = a0.add(FloatVector.fromArray(FS, Tails.src(dy, o + j, rest), Tails.at(dy, o + j), FS.indexInRange(0, rest)));
            if (GROUP > 1) {
                a1 = a1.add(FloatVector.fromArray(FS, Tails.src(dy, o + j + L, rest - L), Tails.at(dy, o + j + L), FS.indexInRange(0, rest - L)));
            }
            if (GROUP > 2) {
                a2 = a2.add(FloatVector.fromArray(FS, Tails.src(dy, o + j + 2 * L, rest - 2 * L), Tails.at(dy, o + j + 2 * L), FS.indexInRange(0, rest - 2 * L)));
                a3 = a3.add(FloatVector.fromArray(FS, Tails.src(dy, o + j + 3 * L, rest - 3 * L), Tails.at(dy, o + j + 3 * L), FS.indexInRange(0, rest - 3 * L)));
            }
        }
        return stripes(a0, a1, a2, a3);
    }

    // ---------------------------------------------------------------- batch normalization

    /** Whether the striped reductions run on vectors: the lanes must tile the 16 stripes, at most 4 vectors. */
    private static final boolean STRIPED = GROUP >= 1 && GROUP <= 4;

    @Override
    public float sum(float[] x, int off, int n) {
        // runs shorter than the stripes (a dense layer's units, 1x1 maps) skip the masked tail's
        // overhead: one element per stripe, the twin's bits by construction
        return STRIPED && n >= STRIPES ? stripedSum(x, off, n) : ScalarKernels.stripedSum(x, off, n);
    }

    @Override
    public float sumSquaredDeviations(float[] x, int off, int n, float mean) {
        if (!STRIPED || n < STRIPES) {
            return SCALAR_TAIL.sumSquaredDeviations(x, off, n, mean);
        }
        FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (; j + STRIPES <= n; j += STRIPES) {
            a0 = a0.add(square(FloatVector.fromArray(FS, x, off + j), mean));
            if (GROUP > 1) {
                a1 = a1.add(square(FloatVector.fromArray(FS, x, off + j + L), mean));
            }
            if (GROUP > 2) {
                a2 = a2.add(square(FloatVector.fromArray(FS, x, off + j + 2 * L), mean));
                a3 = a3.add(square(FloatVector.fromArray(FS, x, off + j + 3 * L), mean));
            }
        }
        if (j < n) {
            // masked-off lanes leave their stripe as it was ((0 - mean)² would not be 0)
            int rest = n - j;
            a0 = a0.add(square(tail(x, off + j, rest), mean), FS.indexInRange(0, rest));
            if (GROUP > 1) {
                a1 = a1.add(square(tail(x, off + j + L, rest - L), mean), FS.indexInRange(0, rest - L));
            }
            if (GROUP > 2) {
                a2 = a2.add(square(tail(x, off + j + 2 * L, rest - 2 * L), mean), FS.indexInRange(0, rest - 2 * L));
                a3 = a3.add(square(tail(x, off + j + 3 * L, rest - 3 * L), mean), FS.indexInRange(0, rest - 3 * L));
            }
        }
        return stripes(a0, a1, a2, a3);
    }

    private static FloatVector square(FloatVector v, float mean) {
        FloatVector d = v.sub(mean);
        return d.mul(d);
    }

    /** The {@code nv} valid lanes at {@code x[off..]}, zeros after (see {@link Tails}). */
    private static FloatVector tail(float[] x, int off, int nv) {
        return FloatVector.fromArray(FS, Tails.src(x, off, nv), Tails.at(x, off), FS.indexInRange(0, nv));
    }

    /** The stripes' sum, in stripe order: lanes of {@code a0}, then of {@code a1}, ... */
    private static float stripes(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
        float s = 0f;
        for (int l = 0; l < L; l++) {
            s += a0.lane(l);
        }
        if (GROUP > 1) {
            for (int l = 0; l < L; l++) {
                s += a1.lane(l);
            }
        }
        if (GROUP > 2) {
            for (int l = 0; l < L; l++) {
                s += a2.lane(l);
            }
            for (int l = 0; l < L; l++) {
                s += a3.lane(l);
            }
        }
        return s;
    }

    @Override
    public float dotNormalized(float[] dy, float[] x, int off, int n, float mean, float inv) {
        if (!STRIPED || n < STRIPES) {
            return SCALAR_TAIL.dotNormalized(dy, x, off, n, mean, inv);
        }
        FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (; j + STRIPES <= n; j += STRIPES) {
            int o = off + j;
            a0 = a0.add(FloatVector.fromArray(FS, dy, o).mul(FloatVector.fromArray(FS, x, o).sub(mean).mul(inv)));
            if (GROUP > 1) {
                a1 = a1.add(FloatVector.fromArray(FS, dy, o + L).mul(FloatVector.fromArray(FS, x, o + L).sub(mean).mul(inv)));
            }
            if (GROUP > 2) {
                a2 = a2.add(FloatVector.fromArray(FS, dy, o + 2 * L)
                        .mul(FloatVector.fromArray(FS, x, o + 2 * L).sub(mean).mul(inv)));
                a3 = a3.add(FloatVector.fromArray(FS, dy, o + 3 * L)
                        .mul(FloatVector.fromArray(FS, x, o + 3 * L).sub(mean).mul(inv)));
            }
        }
        if (j < n) {
            // masked-off lanes leave their stripe as it was (0 * ((0 - mean) * inv) could be -0 or NaN)
            int rest = n - j, o = off + j;
            a0 = a0.add(tail(dy, o, rest).mul(tail(x, o, rest).sub(mean).mul(inv)), FS.indexInRange(0, rest));
            if (GROUP > 1) {
                a1 = a1.add(tail(dy, o + L, rest - L).mul(tail(x, o + L, rest - L).sub(mean).mul(inv)),
                        FS.indexInRange(0, rest - L));
            }
            if (GROUP > 2) {
                a2 = a2.add(tail(dy, o + 2 * L, rest - 2 * L).mul(tail(x, o + 2 * L, rest - 2 * L).sub(mean).mul(inv)),
                        FS.indexInRange(0, rest - 2 * L));
                a3 = a3.add(tail(dy, o + 3 * L, rest - 3 * L).mul(tail(x, o + 3 * L, rest - 3 * L).sub(mean).mul(inv)),
                        FS.indexInRange(0, rest - 3 * L));
            }
        }
        return stripes(a0, a1, a2, a3);
    }

    @Override
    public void normalize(float[] x, int off, int n, float mean, float inv, float gamma, float beta, float[] y) {
        int i = off, end = off + n;
        for (int bound = off + FS.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(FS, x, i).sub(mean).mul(inv).mul(gamma).add(beta).intoArray(y, i);
        }
        for (; i < end; i++) { // the tail: the scalar twin's formula, the same bits
            y[i] = gamma * ((x[i] - mean) * inv) + beta;
        }
    }

    @Override
    public void normalizeBackward(float[] dy, float[] x, int off, int n, float mean, float inv, float k, float meanDy,
                                  float meanDyXhat) {
        int i = off, end = off + n;
        for (int bound = off + FS.loopBound(n); i < bound; i += L) {
            FloatVector h = FloatVector.fromArray(FS, x, i).sub(mean).mul(inv);
            FloatVector.fromArray(FS, dy, i).sub(meanDy).sub(h.mul(meanDyXhat)).mul(k).intoArray(dy, i);
        }
        for (; i < end; i++) {
            dy[i] = k * ((dy[i] - meanDy) - ((x[i] - mean) * inv) * meanDyXhat);
        }
    }

    @Override
    public void sumColumns(float[] dy, int off, int rows, int cols, float[] db) {
        // Column strips kept in a register across all rows; each db[j] still adds the rows in
        // order, so the result is the scalar twin's, bit for bit.
        int j = 0;
        for (int bound = FS.loopBound(cols); j < bound; j += L) {
            FloatVector acc = FloatVector.fromArray(FS, db, j);
            for (int r = 0; r < rows; r++) {
                acc = acc.add(FloatVector.fromArray(FS, dy, off + r * cols + j));
            }
            acc.intoArray(db, j);
        }
        if (j < cols) {
            FloatVector acc = FloatVector.fromArray(FS, Tails.src(db, j, cols - j), Tails.at(db, j), FS.indexInRange(0, cols - j));
            for (int r = 0; r < rows; r++) {
                acc = acc.add(FloatVector.fromArray(FS, Tails.src(dy, off + r * cols + j, cols - j), Tails.at(dy, off + r * cols + j), FS.indexInRange(0, cols - j)));
            }
            (acc).intoArray(Tails.dst(db, j), Tails.at(db, j), FS.indexInRange(0, cols - j));
            Tails.flush(db, j, cols - j);
        }
    }

    // ---------------------------------------------------------------- max pooling

    @Override
    public void maxPoolForward(float[] x, int xOff, ConvGeometry g, float[] y, int yOff, int[] argmax, int argOff) {
        int h = g.height(), w = g.width(), oh = g.outH(), ow = g.outW();
        int kh = g.kh(), kw = g.kw(), sh = g.strideH(), sw = g.strideW();
        // Outputs whose window lies wholly inside the image along x: [lo, hi). Their lanes are
        // pooled with vectors, one (strided) load per window cell; outputs near padding, scalar.
        int lo = firstInside(g.padLeft(), sw);
        int hi = Math.max(lo, Math.min(ow, firstInside(w + g.padLeft() - kw + 1, sw)));
        PoolMaps maps = POOL_MAPS.get();
        int[] full = maps.full(sw);
        IntVector laneIdx = IntVector.fromArray(IS, full, 0);
        // 2x2 windows at stride 2: two plain loads a row, split into even and odd columns
        boolean pairs = kh == 2 && kw == 2 && sw == 2 && L >= 2;
        int o = 0;
        for (int ch = 0; ch < g.channels(); ch++) {
            int plane = ch * h * w;
            for (int oy = 0; oy < oh; oy++, o += ow) {
                int y0 = oy * sh - g.padTop();
                if (y0 < 0 || y0 + kh > h) {
                    scalarPoolRow(x, xOff, g, plane, y0, 0, ow, y, yOff + o, argmax, argOff + o);
                    continue;
                }
                scalarPoolRow(x, xOff, g, plane, y0, 0, lo, y, yOff + o, argmax, argOff + o);
                for (int ox = lo; ox < hi; ox += L) {
                    int nv = Math.min(L, hi - ox);
                    // The JDK checks every lane's gather index, masked or not: the tail's map
                    // repeats its last valid index instead of running past the row.
                    int[] map = nv == L ? full : maps.tail(sw, nv);
                    VectorMask<Float> m = FS.indexInRange(0, nv);
                    // Input index of window cell (0,0) for lane l: base + l*sw.
                    int base = plane + y0 * w + ox * sw - g.padLeft();
                    if (pairs && xOff + base + w + 2 * L <= x.length) {
                        pool2x2Row(x, xOff, base, w, nv, y, yOff + o + ox, argmax, argOff + o + ox);
                        continue;
                    }
                    FloatVector best = poolLoad(x, xOff + base, sw, map, m, nv);
                    IntVector bestIdx = laneIdx.add(base);
                    for (int t = 1; t < kh * kw; t++) {
                        int cell = base + (t / kw) * w + t % kw;
                        FloatVector v = poolLoad(x, xOff + cell, sw, map, m, nv);
                        // As the scalar twin: strict '>' keeps the first maximum; the first NaN
                        // wins and stays.
                        VectorMask<Float> take = v.compare(VectorOperators.GT, best)
                                .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
                        best = best.blend(v, take);
                        bestIdx = bestIdx.blend(laneIdx.add(cell), take.cast(IS));
                    }
                    (best).intoArray(Tails.dst(y, yOff + o + ox), Tails.at(y, yOff + o + ox), FS.indexInRange(0, nv));
                    Tails.flush(y, yOff + o + ox, nv);
                    (bestIdx).intoArray(Tails.dstInts(argmax, argOff + o + ox), Tails.at(argmax, argOff + o + ox), IS.indexInRange(0, nv));
                    Tails.flushInts(argmax, argOff + o + ox, nv);
                }
                scalarPoolRow(x, xOff, g, plane, y0, hi, ow, y, yOff + o, argmax, argOff + o);
            }
        }
    }

    // lane i of a.rearrange(EVEN, b): element 2i of the 2L floats a then b; of ODD: element 2i + 1
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(FS, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(FS, i -> 2 * i + 1);
    private static final IntVector TWICE_LANE = IntVector.zero(IS).addIndex(2);

    /**
     * {@link #maxPoolForward}'s vector step for 2x2 windows at stride 2, without gathers: the
     * {@code nv} outputs whose windows start at {@code x[xOff + base + 2l]} (rows {@code base} and
     * {@code base + w}), each row read as two whole vectors and split into its even and odd
     * columns. The window cells are taken in the scalar twin's order, by its rule, so the same bits
     * and argmax. The caller has checked that {@code 2L} floats from the second row are in range.
     */
    private static void pool2x2Row(float[] x, int xOff, int base, int w, int nv, float[] y, int yo, int[] argmax,
                                   int ao) {
        int i0 = xOff + base, i1 = i0 + w;
        FloatVector a0 = FloatVector.fromArray(FS, x, i0), b0 = FloatVector.fromArray(FS, x, i0 + L);
        FloatVector a1 = FloatVector.fromArray(FS, x, i1), b1 = FloatVector.fromArray(FS, x, i1 + L);
        FloatVector best = a0.rearrange(EVEN, b0);
        IntVector idx = TWICE_LANE.add(base);
        FloatVector v = a0.rearrange(ODD, b0);
        VectorMask<Float> take = v.compare(VectorOperators.GT, best)
                .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
        best = best.blend(v, take);
        idx = idx.blend(TWICE_LANE.add(base + 1), take.cast(IS));
        v = a1.rearrange(EVEN, b1);
        take = v.compare(VectorOperators.GT, best)
                .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
        best = best.blend(v, take);
        idx = idx.blend(TWICE_LANE.add(base + w), take.cast(IS));
        v = a1.rearrange(ODD, b1);
        take = v.compare(VectorOperators.GT, best)
                .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
        best = best.blend(v, take);
        idx = idx.blend(TWICE_LANE.add(base + w + 1), take.cast(IS));
        best.intoArray(Tails.dst(y, yo), Tails.at(y, yo), FS.indexInRange(0, nv));
        Tails.flush(y, yo, nv);
        idx.intoArray(Tails.dstInts(argmax, ao), Tails.at(argmax, ao), IS.indexInRange(0, nv));
        Tails.flushInts(argmax, ao, nv);
    }

    /** Lanes {@code x[i + map[l]]} under {@code m} ({@code nv} lanes): a plain load for stride 1, else a gather. */
    private static FloatVector poolLoad(float[] x, int i, int stride, int[] map, VectorMask<Float> m, int nv) {
        return stride == 1 ? FloatVector.fromArray(FS, Tails.src(x, i, nv), Tails.at(x, i), FS.indexInRange(0, nv)) : FloatVector.fromArray(FS, x, i, map, 0, m);
    }

    /** Gather index maps {@code l * stride}, and a tail variant clamped to the valid lanes. */
    private static final class PoolMaps {
        private final int[] full = new int[L];
        private final int[] tail = new int[L];
        private int fullStride = -1;
        private int tailStride = -1;
        private int tailValid = -1;

        int[] full(int stride) {
            if (fullStride != stride) {
                for (int l = 0; l < L; l++) {
                    full[l] = l * stride;
                }
                fullStride = stride;
            }
            return full;
        }

        int[] tail(int stride, int nv) {
            if (tailStride != stride || tailValid != nv) {
                for (int l = 0; l < L; l++) {
                    tail[l] = Math.min(l, nv - 1) * stride;
                }
                tailStride = stride;
                tailValid = nv;
            }
            return tail;
        }
    }

    private static final ThreadLocal<PoolMaps> POOL_MAPS = ThreadLocal.withInitial(PoolMaps::new);

    /** The scalar twin's loop for outputs {@code [from, to)} of one output row. */
    private static void scalarPoolRow(float[] x, int xOff, ConvGeometry g, int plane, int y0, int from, int to,
                                      float[] y, int yo, int[] argmax, int ao) {
        ScalarKernels.poolRow(x, xOff, g, plane, y0, from, to, y, yo, argmax, ao);
    }

    @Override
    public void maxPoolBackward(float[] dy, int dyOff, int[] argmax, int argOff, int n, float[] dx, int dxOff) {
        // Scalar on purpose: overlapping windows can route several outputs to one input, and a
        // vector scatter-add would lose all but one of them. It is a small, memory-bound loop.
        for (int i = 0; i < n; i++) {
            dx[dxOff + argmax[argOff + i]] += dy[dyOff + i];
        }
    }

    // ---------------------------------------------------------------- optimiser, dropout

    @Override
    public void rmsprop(float[] w, float[] g, float[] a, int off, int n, float lr, float rho, float eps,
                        boolean epsInsideSqrt) {
        // The scalar twin's operations in its order (no fma), so results are bit-identical;
        // lane-wise SQRT is the correctly rounded float square root, as (float) Math.sqrt(double).
        // One loop per epsilon placement keeps the loop body free of branches on vectors.
        float oneMinusRho = 1f - rho;
        int i = off;
        int bound = off + FS.loopBound(n);
        if (epsInsideSqrt) {
            for (; i < bound; i += L) {
                FloatVector gi = FloatVector.fromArray(FS, g, i);
                FloatVector ai = FloatVector.fromArray(FS, a, i).mul(rho).add(gi.mul(oneMinusRho).mul(gi));
                ai.intoArray(a, i);
                FloatVector denom = ai.add(eps).sqrt();
                FloatVector.fromArray(FS, w, i).sub(gi.mul(lr).div(denom)).intoArray(w, i);
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector gi = FloatVector.fromArray(FS, g, i);
                FloatVector ai = FloatVector.fromArray(FS, a, i).mul(rho).add(gi.mul(oneMinusRho).mul(gi));
                ai.intoArray(a, i);
                FloatVector denom = ai.sqrt().add(eps);
                FloatVector.fromArray(FS, w, i).sub(gi.mul(lr).div(denom)).intoArray(w, i);
            }
        }
        // Tail: the same formula, scalar (identical arithmetic, lane for lane).
        for (; i < off + n; i++) {
            float gi = g[i];
            float ai = rho * a[i] + oneMinusRho * gi * gi;
            a[i] = ai;
            float denom = epsInsideSqrt ? (float) Math.sqrt(ai + eps) : (float) Math.sqrt(ai) + eps;
            w[i] -= lr * gi / denom;
        }
    }

    @Override
    public void dropoutMask(long seed, long first, int n, int threshold, byte[] mask, int maskOff) {
        // The scalar twin's 64-bit integer arithmetic lane by lane (wrapping multiplies, logical
        // shifts), so the masks are identical; the tail is the scalar formula itself.
        int i = 0;
        if (LBS != null) {
            int ll = LS.length();
            LongVector counter = LongVector.zero(LS).addIndex(1).add(first + 1);
            LongVector step = LongVector.broadcast(LS, (long) ll);
            for (int bound = n - n % ll; i < bound; i += ll, counter = counter.add(step)) {
                LongVector z = counter.mul(0x9E3779B97F4A7C15L).add(seed);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
                VectorMask<Long> keep = z.lanewise(VectorOperators.LSHR, 40).compare(VectorOperators.GE, (long) threshold);
                LongVector.zero(LS).blend(1L, keep).convertShape(VectorOperators.L2B, LBS, 0)
                        .reinterpretAsBytes().intoArray(mask, maskOff + i);
            }
        }
        SCALAR_TAIL.dropoutMask(seed, first + i, n - i, threshold, mask, maskOff + i);
    }

    private static final ScalarKernels SCALAR_TAIL = new ScalarKernels();

    @Override
    public void applyMask(float[] x, int xOff, byte[] mask, int maskOff, float scale, float[] y, int yOff, int n) {
        int i = 0;
        if (BS != null) {
            for (int bound = FS.loopBound(n); i < bound; i += L) {
                VectorMask<Float> keep = ByteVector.fromArray(BS, mask, maskOff + i)
                        .compare(VectorOperators.NE, (byte) 0).cast(FS);
                FloatVector.fromArray(FS, x, xOff + i).mul(scale).blend(0f, keep.not()).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) {
            y[yOff + i] = mask[maskOff + i] != 0 ? x[xOff + i] * scale : 0f;
        }
    }

    // ---------------------------------------------------------------- Winograd tiles

    @Override
    public void tilesIn(Tiling g, float[] plane, int planeOff, int ty0, int ty1, float[] out, int outOff,
                        int posStride) {
        VectorTiles.tilesIn(g, plane, planeOff, ty0, ty1, out, outOff, posStride);
    }

    @Override
    public void tilesOut(Tiling g, float[] in, int inOff, int posStride, int ty0, int ty1,
                         float[] plane, int planeOff, float bias, boolean relu, boolean accumulate) {
        VectorTiles.tilesOut(g, in, inOff, posStride, ty0, ty1, plane, planeOff, bias, relu, accumulate);
    }

    @Override
    public void tilesInPacked(Tiling g, int cp, float[] src, int srcOff, int ty0, int ty1, float[] out, int outOff,
                              int posStride) {
        VectorTiles.tilesInPacked(g, cp, src, srcOff, ty0, ty1, out, outOff, posStride);
    }

    @Override
    public void tilesOutPacked(Tiling g, int cp, float[] in, int inOff, int posStride, int ty0, int ty1,
                               float[] dst, int dstOff, boolean accumulate) {
        VectorTiles.tilesOutPacked(g, cp, in, inOff, posStride, ty0, ty1, dst, dstOff, accumulate);
    }

    // pool2x2Packed: src [rows][cols][cp] -> dst [rows/2][cols/2][cp] = max over 2x2 of act(src + bias),
    // a vector of channels at a time; the same bits as the scalar twin (see maxZero for the ReLU)
    @Override
    public void pool2x2Packed(float[] src, int srcOff, int cp, int rows, int cols, float[] bias, boolean relu,
                              float[] dst, int dstOff) {
        if (cp % L != 0) {
            SCALAR_TAIL.pool2x2Packed(src, srcOff, cp, rows, cols, bias, relu, dst, dstOff);
            return;
        }
        // Few vector operations per output: with a ReLU per cell and a four-operation NaN test per
        // step, C2 ran part of this loop on the Vector API's Java fallback at batch 1000 (out of
        // its inlining budget), allocating 1.5 bytes per convolution output byte.
        int half = cols / 2, down = cols * cp;
        for (int i = 0; i < rows / 2; i++) {
            for (int j = 0; j < half; j++) {
                int cell = srcOff + (2 * i * cols + 2 * j) * cp, to = dstOff + (i * half + j) * cp;
                for (int c = 0; c < cp; c += L) {
                    FloatVector b = FloatVector.fromArray(FS, bias, c);
                    FloatVector best = FloatVector.fromArray(FS, src, cell + c).add(b);
                    best = poolStep(best, FloatVector.fromArray(FS, src, cell + cp + c).add(b));
                    best = poolStep(best, FloatVector.fromArray(FS, src, cell + down + c).add(b));
                    best = poolStep(best, FloatVector.fromArray(FS, src, cell + down + cp + c).add(b));
                    if (relu) {
                        best = maxZero(best);
                    }
                    best.intoArray(dst, to + c);
                }
            }
        }
    }

    // biasReluPacked: src [rows][srcCols][cp] -> dst [rows][dstCols][cp] = act(src + bias), a vector of
    // channels at a time; the same bits as the scalar twin (maxZero is Math.max(v, 0) lane by lane)
    @Override
    public void biasReluPacked(float[] src, int srcOff, int srcCols, int cp, int rows, int cols, float[] bias,
                               boolean relu, float[] dst, int dstOff, int dstCols) {
        if (cp % L != 0) {
            SCALAR_TAIL.biasReluPacked(src, srcOff, srcCols, cp, rows, cols, bias, relu, dst, dstOff, dstCols);
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                int from = srcOff + (r * srcCols + q) * cp, to = dstOff + (r * dstCols + q) * cp;
                for (int c = 0; c < cp; c += L) {
                    FloatVector v = FloatVector.fromArray(FS, src, from + c).add(FloatVector.fromArray(FS, bias, c));
                    if (relu) { // not a choice between two vectors in one expression: that once kept a kernel boxed
                        v = maxZero(v);
                    }
                    v.intoArray(dst, to + c);
                }
            }
        }
    }

    /**
     * One more window cell, by {@link #maxPoolForward}'s rule (strict '>' keeps the first maximum;
     * the first NaN wins and stays), in two comparisons: take {@code v} where {@code best} is not
     * NaN and {@code v <= best} is false, which holds for {@code v > best} and for a NaN {@code v}.
     */
    private static FloatVector poolStep(FloatVector best, FloatVector v) {
        return best.blend(v, best.compare(VectorOperators.EQ, best).andNot(v.compare(VectorOperators.LE, best)));
    }

    /**
     * {@code Math.max(v, 0)} lane by lane, as {@link Packing#unpack}'s ReLU: zero where
     * {@code v <= 0} (so -0 too), NaN stays NaN (unlike {@link #reluUnless}). Taken after the maximum, it
     * gives the bits of the maximum of the ReLUs: a NaN wins either way, a positive maximum is the
     * same float, and otherwise both are +0.
     */
    static FloatVector maxZero(FloatVector v) {
        return v.blend(0f, v.compare(VectorOperators.LE, 0f));
    }

    // pack / unpack: 16 x 16 transposes in registers (VectorTranspose); the scalar copies for other
    // vector widths and channel strides
    @Override
    public void pack(float[] x, int xOff, int channels, int height, int width, int row0, int rows, int col0,
                     int cols, float[] dst, int dstOff, int cp) {
        if (VectorTranspose.AVAILABLE && cp % L == 0) {
            VectorTranspose.pack(x, xOff, channels, height, width, row0, rows, col0, cols, dst, dstOff, cp);
        } else {
            Packing.pack(x, xOff, channels, height, width, row0, rows, col0, cols, dst, dstOff, cp);
        }
    }

    @Override
    public void unpack(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols,
                       float[] y, int yOff, int channels, int height, int width, float[] bias, boolean relu) {
        if (VectorTranspose.AVAILABLE && cp % L == 0) {
            VectorTranspose.unpack(src, srcOff, cp, row0, rows, col0, cols, y, yOff, channels, height, width, bias,
                    relu);
        } else {
            Packing.unpack(src, srcOff, cp, row0, rows, col0, cols, y, yOff, channels, height, width, bias, relu);
        }
    }

    @Override
    public void packPhases(float[] x, int xOff, ConvGeometry s, int phaseH, int phaseW, int row0, int rows, int col0,
                           int cols, float[] dst, int dstOff, int cp) {
        if (VectorTranspose.takesPhases(s) && cp % L == 0) {
            VectorTranspose.packPhases(x, xOff, s, phaseH, phaseW, row0, rows, col0, cols, dst, dstOff, cp);
        } else {
            Packing.packPhases(x, xOff, s, phaseH, phaseW, row0, rows, col0, cols, dst, dstOff, cp);
        }
    }

    @Override
    public void unpackPhases(float[] src, int srcOff, int cp, int row0, int rows, int col0, int cols, float[] dx,
                             int dxOff, ConvGeometry s, int phaseH, int phaseW) {
        if (VectorTranspose.takesPhases(s) && cp % L == 0) {
            VectorTranspose.unpackPhases(src, srcOff, cp, row0, rows, col0, cols, dx, dxOff, s, phaseH, phaseW);
        } else {
            Packing.unpackPhases(src, srcOff, cp, row0, rows, col0, cols, dx, dxOff, s, phaseH, phaseW);
        }
    }
}
