package org.cnn4j.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded sgemm on the Vector API: register-blocked micro-kernels of {@value #TALL_MR},
 * {@value #MR} or 4 rows by two vectors, one operand read in place and broadcast, the other packed
 * into panels.
 *
 * <h2>Arithmetic contract (why results are partition-invariant)</h2>
 * Every element is computed the same way, whatever the shape of the call, the tile it falls in,
 * the strategy chosen or the thread: starting from {@code c0} (0 when {@code beta == 0}, the old
 * {@code C[i][j]} otherwise) it runs one fused multiply-add chain in increasing {@code p}:
 * {@code c = fma(op(A)[i][p], op(B)[p][j], c)} for {@code p = 0 .. k-1}. Vector lanes are
 * {@link Math#fma} lane-wise, tails are masked vector lanes (never a separate scalar formula), rows
 * past the end of a tile are computed from a duplicated row and discarded, and a k-block boundary
 * only parks the running sum in C (an exact float store) before the next block continues the same
 * chain. Since {@code fma(a, b, c) == fma(b, a, c)} exactly, computing {@code C^T = op(B)^T op(A)^T}
 * instead of {@code C} also gives the same bits. So splitting m or n across calls, and any block
 * sizes, leave each {@code C[i][j]} bit-identical.
 *
 * <h2>Two strategies</h2>
 * The micro-kernel computes {@code D = X * Y}, one tile of 12 rows (whole tiles of an X read in
 * place over a packed panel), else 6 (or, for the last rows, 4) by {@code NR = 2 * L} columns at a
 * time ({@code L} the vector length), with one scalar broadcast of X per row and step and two
 * vector loads of a panel of Y. X is read in place when its rows run
 * along k, else packed per row block. Y is packed into zero-padded panels, except that with few
 * row tiles (conv forward, m = F <= 64) full panels of a row-major Y are read in place.
 * <ul>
 *   <li>direct: {@code X = op(A)}, {@code Y = op(B)}, {@code D = C}. Used when B is stored row-major
 *       in the needed orientation ({@code !transB}): its packing is a plain vector copy.</li>
 *   <li>swapped: {@code X = op(B)^T}, {@code Y = op(A)^T}, {@code D = C^T}, written back through a
 *       small staging tile with gather/scatter. Used for {@code transA && transB} (A^T packs as a
 *       plain copy), and for {@code transB} when A is much smaller than B: the conv weight gradient
 *       ({@code m=F} small, {@code n=CKK}, {@code k=P}) and the dense input gradient then transpose
 *       only the small operand, instead of the whole im2col matrix or weight matrix.</li>
 * </ul>
 * No allocation per call: the packing buffer and staging tile are per-thread scratch.
 */
final class VectorGemm {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final int L = FS.length();
    /**
     * Rows of the micro-kernel: 6 rows x 2 vectors = 12 independent accumulator chains, enough to
     * hide the FMA latency at 512 bits (needs 4 in flight on Zen 4) and at 256 bits (needs 8).
     */
    static final int MR = 6;
    /** Columns of a packed panel: two vectors. */
    static final int NR = 2 * L;
    /**
     * Rows of the tall micro-kernel ({@link #kernel12}), for whole tiles of an X read in place over
     * a packed panel: 24 accumulators, 2 panel vectors and a broadcast fill 27 of AVX-512's 32
     * registers. Per step it does 24 FMAs for 14 loads, against 12 for 8 in {@link #kernel}.
     */
    static final int TALL_MR = 12;
    /**
     * Whether the tall kernel is used: with 512-bit vectors, whose x86 machines have 32 registers.
     * AVX2's 16 could not hold its accumulators, which would spill to memory at every step.
     */
    static final boolean TALL = FS.vectorBitSize() >= 512;

    /**
     * Largest k block. The conv shapes (k <= 800) run as one block, as the reference micro-kernel in
     * shared/PERFORMANCE.md did; longer k (dense layers, k = 3136) is cut into equal blocks so that a
     * panel ({@code kc * NR} floats) and the X block stay in L2.
     */
    static final int KC_MAX = 1024;
    /** The swapped strategy stages its output through gathers and scatters; bigger blocks amortise it. */
    static final int KC_MAX_SWAPPED = 2048;
    /** Floats in one packed Y block ({@code kc x nc}); about 512 KiB, half of Zen 4's L2. */
    static final int PACK_FLOATS = 128 * 1024;
    /** Floats of X per row block ({@code mc x kc}), kept well inside L2. */
    static final int X_BLOCK_FLOATS = 96 * 1024;
    /** Up to this many rows of X, full panels of a row-major Y are read in place (see run). */
    static final int IN_PLACE_Y_MAX_ROWS = 64;

    /** The starting accumulators of a fresh chain; never written. */
    private static final float[] ZEROS = new float[TALL_MR * NR];

    private VectorGemm() {
    }

    /** Per-thread scratch: the packed Y block, the staging tile and gather/scatter index maps. */
    private static final class Scratch {
        float[] pack = new float[0];
        final float[] tile = new float[TALL_MR * NR];
        final IndexMap yMap = new IndexMap();
        final IndexMap cMap = new IndexMap();

        float[] xPack = new float[0];

        float[] pack(int size) {
            if (pack.length < size) {
                pack = new float[size];
            }
            return pack;
        }

        float[] xPack(int size) {
            if (xPack.length < size) {
                xPack = new float[size];
            }
            return xPack;
        }
    }

    /**
     * Index maps {@code l * stride} for gathers and scatters of {@code nv} valid lanes. The JDK checks
     * the indices of all lanes, masked or not, so lanes past {@code nv} repeat the last valid index
     * (always in bounds) and are masked off.
     */
    private static final class IndexMap {
        private final int[] full = new int[NR];
        private final int[] tail = new int[NR];
        private int fullStride = -1;
        private int tailStride = -1;
        private int tailValid = -1;

        int[] get(int stride, int nv) {
            if (nv >= NR) {
                if (fullStride != stride) {
                    fill(full, stride, NR);
                    fullStride = stride;
                }
                return full;
            }
            if (tailStride != stride || tailValid != nv) {
                fill(tail, stride, nv);
                tailStride = stride;
                tailValid = nv;
            }
            return tail;
        }

        private static void fill(int[] map, int stride, int nv) {
            for (int l = 0; l < NR; l++) {
                map[l] = Math.min(l, nv - 1) * stride;
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Strategy choices; tests force each one to check they agree bit for bit. */
    static final int AUTO = 0, DIRECT = 1, SWAPPED = 2;

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        gemm(AUTO, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    static void gemm(int strategy, boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        // Like the scalar twin: beta 0 overwrites, any other value accumulates.
        boolean accumulate = beta != 0f;
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        if (m == 1 && !transB && strategy != SWAPPED) {
            rowTimesMatrix(n, k, a, aOff, transA ? lda : 1, b, bOff, ldb, accumulate, c, cOff);
            return;
        }
        Scratch s = SCRATCH.get();
        boolean swapped;
        if (strategy != AUTO) {
            swapped = strategy == SWAPPED;
        } else if (!transB) {
            swapped = false;
        } else if (transA) {
            swapped = true;
        } else {
            // Both strategies transpose one operand while packing; the swapped one also stages
            // C through gathers/scatters (about two moves per element). Pick the cheaper.
            long direct = (long) n * k;
            long swap = (long) m * k + 2L * m * n;
            swapped = swap < direct;
        }
        if (!swapped) {
            // D = C, X = op(A), Y = op(B).
            run(m, n, k,
                    a, aOff, transA ? 1 : lda, transA ? lda : 1,
                    b, bOff, ldb, transB,
                    accumulate, c, cOff, ldc, false, s);
        } else {
            // D = C^T, X = op(B)^T, Y = op(A)^T.
            run(n, m, k,
                    b, bOff, transB ? ldb : 1, transB ? 1 : ldb,
                    a, aOff, lda, !transA,
                    accumulate, c, cOff, ldc, true, s);
        }
    }

    /**
     * {@code D = X * Y (+ D)}, X {@code rows x k} at {@code x[xOff + r*xrs + p*xcs]}, Y {@code k x cols}
     * at {@code y[yOff + p*yld + j]} or, if {@code yTrans}, {@code y[yOff + j*yld + p]}. D is
     * {@code c[cOff + r*ldc + j]}, or {@code c[cOff + j*ldc + r]} if {@code cTrans}.
     */
    private static void run(int rows, int cols, int k,
                            float[] x, int xOff, int xrs, int xcs,
                            float[] y, int yOff, int yld, boolean yTrans,
                            boolean accumulate, float[] c, int cOff, int ldc, boolean cTrans, Scratch s) {
        int kBlocks = ceilDiv(k, cTrans ? KC_MAX_SWAPPED : KC_MAX);
        int kcMax = ceilDiv(k, kBlocks);
        int ncMax = Math.max(NR, PACK_FLOATS / kcMax / NR * NR);
        ncMax = Math.min(ncMax, ceilDiv(cols, NR) * NR);
        int mcMax = Math.max(MR, X_BLOCK_FLOATS / kcMax / MR * MR);
        float[] pack = s.pack(kcMax * ncMax);
        float[] t = s.tile;
        // X read in place is fine when each row runs along p (xcs == 1): a sequential stream per row.
        // When p is the strided direction (op(A) = A^T), each step would touch a new cache line and
        // page; such X is packed per row block, tile by tile ([tile][p][row]), read sequentially.
        boolean packX = xcs != 1;
        assert !packX || xrs == 1;
        // (+MR rows: a last, partial tile is laid out at its full height)
        float[] xPack = packX ? s.xPack((Math.min(mcMax, rows) + MR) * kcMax) : null;
        // With few row tiles (conv forward: m = F <= 64 filters), each packed panel of Y would be
        // used only a few times: reading whole panels of a row-major Y in place saves a copy of
        // the whole im2col matrix per call. Many row tiles amortise packing, which then wins.
        // A row-major Y of exactly NR columns is already laid out as its one packed panel (the
        // Winograd products of 32 channels or filters): read in place, whatever the rows.
        boolean inPlaceY = !yTrans && (rows <= IN_PLACE_Y_MAX_ROWS || cols == NR && yld == NR);
        // Tall tiles (12 rows, see kernel12) index the panel by p times NR: in place only when Y's
        // rows are NR apart. Otherwise Y is packed, which costs a copy of k x n floats per call and
        // gains more than that on a few tall tiles (the Winograd weight gradients, m = 64).
        boolean tallRows = TALL && !cTrans;
        if (inPlaceY && tallRows && rows >= TALL_MR && yld != NR) {
            inPlaceY = false;
        }

        for (int pc = 0; pc < k; pc += kcMax) {
            int kc = Math.min(kcMax, k - pc);
            // The first block starts the chain from 0 or the old C; later blocks continue it from C.
            boolean load = accumulate || pc > 0;
            for (int jc = 0; jc < cols; jc += ncMax) {
                int nc = Math.min(ncMax, cols - jc);
                if (yTrans) {
                    packTransposed(y, yOff + jc * yld + pc, yld, s.yMap, kc, nc, pack);
                } else if (!inPlaceY) {
                    pack(y, yOff + pc * yld + jc, yld, kc, nc, pack);
                } else if (nc % NR != 0) {
                    // In place, except the last, partial panel: packed for its zero padding.
                    int jr = nc / NR * NR;
                    pack(y, yOff + pc * yld + jc + jr, yld, kc, nc - jr, pack);
                }
                for (int ic = 0; ic < rows; ic += mcMax) {
                    int mc = Math.min(mcMax, rows - ic);
                    if (packX && (jc == 0 || mcMax < rows)) {
                        packX(x, xOff + ic + pc * xcs, xcs, mc, kc, xPack, tallRows);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nv = Math.min(NR, nc - jr);
                        int j = jc + jr;
                        // The panel: packed (row stride NR) or, when in place, Y itself (row stride yld).
                        float[] pk = pack;
                        int po = inPlaceY ? 0 : jr * kc, pld = NR;
                        if (inPlaceY && nv == NR) {
                            pk = y;
                            po = yOff + pc * yld + j;
                            pld = yld;
                        }
                        int[] cIdx = cTrans ? s.cMap.get(ldc, nv) : null;
                        for (int ir = ic, h; ir < ic + mc; ir += h) {
                            int rem = ic + mc - ir;
                            h = tileHeight(rem, tallRows);
                            int rv = Math.min(h, rem);
                            float[] xs = x;
                            int xo = xOff + ir * xrs + pc * xcs, xr = xrs, xc = xcs;
                            if (packX) {
                                xs = xPack;
                                xo = (ir - ic) * kc;
                                xr = 1;
                                xc = h;
                            }
                            if (!cTrans && rv == h && nv == NR) {
                                // A whole tile of C: the kernel reads and writes C itself (or starts from zeros).
                                int co = cOff + ir * ldc + j;
                                float[] src = load ? c : ZEROS;
                                int so = load ? co : 0, sld = load ? ldc : NR;
                                if (h == TALL_MR && packX) {
                                    kernel12Packed(kc, xs, xo, pk, po, src, so, sld, c, co, ldc);
                                } else if (h == TALL_MR) {
                                    kernel12(kc, xs, xo, xr, pk, po, src, so, sld, c, co, ldc);
                                } else if (h == MR) {
                                    kernel(kc, xs, xo, xr, xc, rv, pk, po, pld, src, so, sld, c, co, ldc);
                                } else {
                                    kernel4(kc, xs, xo, xr, xc, rv, pk, po, pld, src, so, sld, c, co, ldc);
                                }
                                continue;
                            }
                            // Edge or transposed tile, through the accumulator tile t: C (or C^T) -> t,
                            // the kernel, t -> C, with masks (and gathers/scatters).
                            int co = cTrans ? cOff + j * ldc + ir : cOff + ir * ldc + j;
                            tileIn(load, c, co, ldc, cTrans, cIdx, rv, nv, t);
                            if (h == TALL_MR && packX) { // a last, partial panel: packed, zero-padded
                                kernel12Packed(kc, xs, xo, pk, po, t, 0, NR, t, 0, NR);
                            } else if (h == TALL_MR) {
                                kernel12(kc, xs, xo, xr, pk, po, t, 0, NR, t, 0, NR);
                            } else if (nv <= L) {
                                kernel1(kc, xs, xo, xr, xc, rv, pk, po, pld, t);
                            } else if (h == MR) {
                                kernel(kc, xs, xo, xr, xc, rv, pk, po, pld, t, 0, NR, t, 0, NR);
                            } else {
                                kernel4(kc, xs, xo, xr, xc, rv, pk, po, pld, t, 0, NR, t, 0, NR);
                            }
                            tileOut(t, c, co, ldc, cTrans, cIdx, rv, nv);
                        }
                    }
                }
            }
        }
    }

    /**
     * One row of C (a dense layer on one image): {@code C[0][j] = chain over p of op(A)[0][p] * B[p][j]}.
     * The tile kernels would compute 4 rows to keep 1 and walk B in two-vector panels, a row length
     * apart; here each row of B is read once, contiguously, by 8 vector chains of columns (then
     * one vector at a time for the last columns).
     * Each element is the same fused chain in increasing p, so the bits are those of {@link #run}.
     */
    private static void rowTimesMatrix(int n, int k, float[] a, int aOff, int acs, float[] b, int bOff, int ldb,
                                       boolean accumulate, float[] c, int cOff) {
        int j = 0;
        for (; j + 8 * L <= n; j += 8 * L) {
            rowBlock8(k, a, aOff, acs, b, bOff + j, ldb, accumulate, c, cOff + j);
        }
        for (; j < n; j += L) {
            rowBlock1(k, a, aOff, acs, b, bOff + j, ldb, Math.min(L, n - j), accumulate, c, cOff + j);
        }
    }

    /**
     * {@link #rowTimesMatrix} over 8 vectors of columns: 8 independent chains hide the FMA latency
     * (4 chains took 150-164 us for the seed's dense layer on one thread, 8 chains 132-134).
     */
    private static void rowBlock8(int k, float[] a, int ao, int acs, float[] b, int bo, int ldb,
                                  boolean accumulate, float[] c, int co) {
        float[] s = accumulate ? c : ZEROS;
        int so = accumulate ? co : 0;
        FloatVector c0 = FloatVector.fromArray(FS, s, so);
        FloatVector c1 = FloatVector.fromArray(FS, s, so + L);
        FloatVector c2 = FloatVector.fromArray(FS, s, so + 2 * L);
        FloatVector c3 = FloatVector.fromArray(FS, s, so + 3 * L);
        FloatVector c4 = FloatVector.fromArray(FS, s, so + 4 * L);
        FloatVector c5 = FloatVector.fromArray(FS, s, so + 5 * L);
        FloatVector c6 = FloatVector.fromArray(FS, s, so + 6 * L);
        FloatVector c7 = FloatVector.fromArray(FS, s, so + 7 * L);
        for (int p = 0, ap = ao, bp = bo; p < k; p++, ap += acs, bp += ldb) {
            FloatVector x = FloatVector.broadcast(FS, a[ap]);
            c0 = x.fma(FloatVector.fromArray(FS, b, bp), c0);
            c1 = x.fma(FloatVector.fromArray(FS, b, bp + L), c1);
            c2 = x.fma(FloatVector.fromArray(FS, b, bp + 2 * L), c2);
            c3 = x.fma(FloatVector.fromArray(FS, b, bp + 3 * L), c3);
            c4 = x.fma(FloatVector.fromArray(FS, b, bp + 4 * L), c4);
            c5 = x.fma(FloatVector.fromArray(FS, b, bp + 5 * L), c5);
            c6 = x.fma(FloatVector.fromArray(FS, b, bp + 6 * L), c6);
            c7 = x.fma(FloatVector.fromArray(FS, b, bp + 7 * L), c7);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + L);
        c2.intoArray(c, co + 2 * L);
        c3.intoArray(c, co + 3 * L);
        c4.intoArray(c, co + 4 * L);
        c5.intoArray(c, co + 5 * L);
        c6.intoArray(c, co + 6 * L);
        c7.intoArray(c, co + 7 * L);
    }

    /** {@link #rowTimesMatrix} over one vector of columns, the first {@code nv} valid (masked tails). */
    private static void rowBlock1(int k, float[] a, int ao, int acs, float[] b, int bo, int ldb, int nv,
                                  boolean accumulate, float[] c, int co) {
        VectorMask<Float> m = FS.indexInRange(0, nv);
        // the array is chosen, not the vector: C2 may box a vector chosen by a branch
        float[] s = accumulate ? c : ZEROS;
        int so = accumulate ? co : 0;
        FloatVector acc = FloatVector.fromArray(FS, Tails.src(s, so, nv), Tails.at(s, so), m);
        if (nv == L) {
            for (int p = 0, ap = ao, bp = bo; p < k; p++, ap += acs, bp += ldb) {
                acc = FloatVector.broadcast(FS, a[ap]).fma(FloatVector.fromArray(FS, b, bp), acc);
            }
            acc.intoArray(c, co);
            return;
        }
        for (int p = 0, ap = ao, bp = bo; p < k; p++, ap += acs, bp += ldb) {
            FloatVector y = FloatVector.fromArray(FS, Tails.src(b, bp, nv), Tails.at(b, bp), m);
            acc = FloatVector.broadcast(FS, a[ap]).fma(y, acc);
        }
        acc.intoArray(Tails.dst(c, co), Tails.at(c, co), m);
        Tails.flush(c, co, nv);
    }

    /**
     * Height of the next row tile when {@code rem} rows remain: 12 with {@code tall} while 12 rows
     * remain, else 6, except that the last rows are covered by 4-row tiles when 6-row tiles would
     * leave a mostly empty one (32 rows = 4 x 6 + 2 x 4 rather than 5 x 6 + 2 computed as 6).
     * Returns 12, 6 or 4; the tile covers {@code min(h, rem)}.
     */
    private static int tileHeight(int rem, boolean tall) {
        if (tall && rem >= TALL_MR) {
            return TALL_MR;
        }
        return rem >= 9 || rem == 6 || rem == 5 ? MR : 4;
    }

    /**
     * Packs X rows {@code [0,mc)}, steps {@code [0,kc)} tile by tile, in the same tiles as the
     * kernel loop ({@link #tileHeight}, with the same {@code tall}): element (r, p) of the tile
     * starting at row {@code ir} with height h at {@code ir*kc + p*h + r}. Only strided X is
     * packed, and strided X always has its rows adjacent ({@code xrs == 1}): each step of a tile is
     * one short masked vector copy. Unused rows of a last, partial tile are left as they are (the
     * kernel clamps to the last valid row).
     */
    private static void packX(float[] x, int xo, int xcs, int mc, int kc, float[] xp, boolean tall) {
        for (int ir = 0, h; ir < mc; ir += h) {
            int rem = mc - ir;
            h = tileHeight(rem, tall);
            int rv = Math.min(h, rem);
            int dst = ir * kc;
            int src = xo + ir;
            for (int r0 = 0; r0 < rv; r0 += L) {
                // A tile fits one vector unless vectors are shorter than it (4 lanes): then two pieces.
                for (int p = 0, d = dst, sx = src; p < kc; p++, d += h, sx += xcs) {
                    (FloatVector.fromArray(FS, Tails.src(x, sx + r0, rv - r0), Tails.at(x, sx + r0), FS.indexInRange(0, rv - r0))).intoArray(Tails.dst(xp, d + r0), Tails.at(xp, d + r0), FS.indexInRange(0, rv - r0));
                    Tails.flush(xp, d + r0, rv - r0);
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Packs Y rows {@code [0,kc)}, columns {@code [0,nc)} into panels of NR columns, zero-padded. */
    private static void pack(float[] y, int yo, int yld, int kc, int nc, float[] pack) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nv = Math.min(NR, nc - jr);
            int dst = jr * kc;
            if (nv == NR) {
                for (int p = 0; p < kc; p++, dst += NR) {
                    int src = yo + p * yld + jr;
                    FloatVector.fromArray(FS, y, src).intoArray(pack, dst);
                    FloatVector.fromArray(FS, y, src + L).intoArray(pack, dst + L);
                }
            } else {
                // Partial loads read zero in the padding lanes, so the panel is zero-padded.
                for (int p = 0; p < kc; p++, dst += NR) {
                    int src = yo + p * yld + jr;
                    FloatVector.fromArray(FS, Tails.src(y, src, nv), Tails.at(y, src), FS.indexInRange(0, nv)).intoArray(pack, dst);
                    FloatVector.fromArray(FS, Tails.src(y, src + L, nv - L), Tails.at(y, src + L), FS.indexInRange(0, nv - L)).intoArray(pack, dst + L);
                }
            }
        }
    }

    /**
     * Packs the transpose: panel element {@code [p][j] = y[yo + j*yld + p]}, one gather per vector of
     * a panel row ({@code idx[l] = l * yld}).
     */
    private static void packTransposed(float[] y, int yo, int yld, IndexMap map, int kc, int nc, float[] pack) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nv = Math.min(NR, nc - jr);
            int[] idx = map.get(yld, nv);
            VectorMask<Float> m0 = FS.indexInRange(0, nv);
            VectorMask<Float> m1 = FS.indexInRange(L, nv);
            int dst = jr * kc;
            int src = yo + jr * yld;
            for (int p = 0; p < kc; p++, dst += NR) {
                FloatVector.fromArray(FS, y, src + p, idx, 0, m0).intoArray(pack, dst);
                FloatVector.fromArray(FS, y, src + p, idx, L, m1).intoArray(pack, dst + L);
            }
        }
    }

    /**
     * Loads the accumulator tile: row r of D (valid rows and lanes only) into {@code t[r*NR ..]},
     * contiguous or, for the transposed output, gathered; zeros when the chain starts afresh. Rows
     * past {@code rv} keep whatever they held: they are computed and never stored.
     */
    private static void tileIn(boolean load, float[] d, int dOff, int ldd, boolean trans, int[] idx,
                               int rv, int nv, float[] t) {
        if (!load) {
            java.util.Arrays.fill(t, 0f);
            return;
        }
        if (trans) {
            // scalar, not a masked gather: C2 compiled the gather without its intrinsic in the
            // Winograd weight gradient and allocated ~80 MB per training step (JFR, 17:31)
            for (int r = 0; r < rv; r++) {
                int o = r * NR;
                for (int c = 0; c < NR; c++) {
                    t[o + c] = c < nv ? d[dOff + r + idx[c]] : 0f;
                }
            }
            return;
        }
        for (int r = 0; r < rv; r++) {
            FloatVector v0 = FloatVector.fromArray(FS, Tails.src(d, dOff + r * ldd, nv), Tails.at(d, dOff + r * ldd),
                    FS.indexInRange(0, nv));
            FloatVector v1 = FloatVector.fromArray(FS, Tails.src(d, dOff + r * ldd + L, nv - L),
                    Tails.at(d, dOff + r * ldd + L), FS.indexInRange(0, nv - L));
            v0.intoArray(t, r * NR);
            v1.intoArray(t, r * NR + L);
        }
    }

    /** Stores the valid rows and lanes of the accumulator tile back into D (scattered if transposed). */
    private static void tileOut(float[] t, float[] d, int dOff, int ldd, boolean trans, int[] idx, int rv, int nv) {
        if (trans) { // scalar, not a masked scatter: see tileIn
            for (int r = 0; r < rv; r++) {
                int o = r * NR;
                for (int c = 0; c < nv; c++) {
                    d[dOff + r + idx[c]] = t[o + c];
                }
            }
            return;
        }
        VectorMask<Float> m0 = FS.indexInRange(0, nv);
        VectorMask<Float> m1 = FS.indexInRange(L, nv);
        for (int r = 0; r < rv; r++) {
            FloatVector v0 = FloatVector.fromArray(FS, t, r * NR);
            if (trans) {
                v0.intoArray(d, dOff + r, idx, 0, m0);
            } else {
                (v0).intoArray(Tails.dst(d, dOff + r * ldd), Tails.at(d, dOff + r * ldd), FS.indexInRange(0, nv));
                Tails.flush(d, dOff + r * ldd, nv);
            }
            if (nv > L) {
                FloatVector v1 = FloatVector.fromArray(FS, t, r * NR + L);
                if (trans) {
                    v1.intoArray(d, dOff + r, idx, L, m1);
                } else {
                    (v1).intoArray(Tails.dst(d, dOff + r * ldd + L), Tails.at(d, dOff + r * ldd + L), FS.indexInRange(0, nv - L));
                    Tails.flush(d, dOff + r * ldd + L, nv - L);
                }
            }
        }
    }

    /**
     * The micro-kernel: {@code dst = src + X[6 rows] * panel} over {@code kc} steps, the 6 x 2-vector
     * accumulator tile (row r at {@code so + r*sld}, {@code dOff + r*dld}) held in 12 registers.
     * {@code src} and {@code dst} are either C itself (a whole tile), {@link #ZEROS} then C, or the
     * staging tile of an edge tile. Rows past {@code rv} re-read the last valid row of X (always in
     * bounds); their results are discarded by {@link #tileOut}. Columns past the valid ones
     * multiply the panel's zero padding.
     *
     * <p>Deliberately small: the C masks, gathers and scatters live in {@link #tileIn} and
     * {@link #tileOut}. A bigger method made C1 bail out ("out of virtual registers"), after which
     * HotSpot left the kernel in C1 code for good: 70x slower.
     */
    private static void kernel(int kc, float[] x, int xo, int xrs, int xcs, int rv, float[] pk, int po, int pld,
                               float[] src, int so, int sld, float[] dst, int dOff, int dld) {
        int x0 = xo;
        int x1 = xo + Math.min(1, rv - 1) * xrs;
        int x2 = xo + Math.min(2, rv - 1) * xrs;
        int x3 = xo + Math.min(3, rv - 1) * xrs;
        int x4 = xo + Math.min(4, rv - 1) * xrs;
        int x5 = xo + Math.min(5, rv - 1) * xrs;
        FloatVector c00 = FloatVector.fromArray(FS, src, so);
        FloatVector c01 = FloatVector.fromArray(FS, src, so + L);
        FloatVector c10 = FloatVector.fromArray(FS, src, so + sld);
        FloatVector c11 = FloatVector.fromArray(FS, src, so + sld + L);
        FloatVector c20 = FloatVector.fromArray(FS, src, so + 2 * sld);
        FloatVector c21 = FloatVector.fromArray(FS, src, so + 2 * sld + L);
        FloatVector c30 = FloatVector.fromArray(FS, src, so + 3 * sld);
        FloatVector c31 = FloatVector.fromArray(FS, src, so + 3 * sld + L);
        FloatVector c40 = FloatVector.fromArray(FS, src, so + 4 * sld);
        FloatVector c41 = FloatVector.fromArray(FS, src, so + 4 * sld + L);
        FloatVector c50 = FloatVector.fromArray(FS, src, so + 5 * sld);
        FloatVector c51 = FloatVector.fromArray(FS, src, so + 5 * sld + L);
        for (int p = 0, pb = po, xp = 0; p < kc; p++, pb += pld, xp += xcs) {
            FloatVector b0 = FloatVector.fromArray(FS, pk, pb);
            FloatVector b1 = FloatVector.fromArray(FS, pk, pb + L);
            FloatVector a = FloatVector.broadcast(FS, x[x0 + xp]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(FS, x[x1 + xp]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(FS, x[x2 + xp]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(FS, x[x3 + xp]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(FS, x[x4 + xp]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(FS, x[x5 + xp]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        c00.intoArray(dst, dOff);
        c01.intoArray(dst, dOff + L);
        c10.intoArray(dst, dOff + dld);
        c11.intoArray(dst, dOff + dld + L);
        c20.intoArray(dst, dOff + 2 * dld);
        c21.intoArray(dst, dOff + 2 * dld + L);
        c30.intoArray(dst, dOff + 3 * dld);
        c31.intoArray(dst, dOff + 3 * dld + L);
        c40.intoArray(dst, dOff + 4 * dld);
        c41.intoArray(dst, dOff + 4 * dld + L);
        c50.intoArray(dst, dOff + 5 * dld);
        c51.intoArray(dst, dOff + 5 * dld + L);
    }

    /**
     * The tall micro-kernel: {@code dst = src + X[12 rows] * panel} over {@code kc} steps, a whole
     * tile only, with X's rows running along p ({@code x[xo + r*xrs + p]}) and the panel packed
     * ({@code pk[po + p*NR]}). Each element is the same chain as in {@link #kernel}, so the bits are
     * the same. Every load is indexed by the loop counter times a constant, which lets C2 hoist
     * the bounds checks out of the loop: with the strides of {@link #kernel} as variables they stay
     * in it. On one core of the Intel Xeon (family 6 model 167, fp32 FMA peak 221 GFLOP/s), a
     * 120 x 32 x 32 product ran at 113 GFLOP/s with {@link #kernel}, 131 with it indexed by p, and
     * 153 with this one (a harness of the kernels alone, 2026-12-07).
     */
    private static void kernel12(int kc, float[] x, int xo, int xrs, float[] pk, int po,
                                 float[] src, int so, int sld, float[] dst, int dOff, int dld) {
        int x0 = xo;
        int x1 = xo + xrs;
        int x2 = xo + 2 * xrs;
        int x3 = xo + 3 * xrs;
        int x4 = xo + 4 * xrs;
        int x5 = xo + 5 * xrs;
        int x6 = xo + 6 * xrs;
        int x7 = xo + 7 * xrs;
        int x8 = xo + 8 * xrs;
        int x9 = xo + 9 * xrs;
        int x10 = xo + 10 * xrs;
        int x11 = xo + 11 * xrs;
        FloatVector c00 = FloatVector.fromArray(FS, src, so);
        FloatVector c01 = FloatVector.fromArray(FS, src, so + L);
        FloatVector c10 = FloatVector.fromArray(FS, src, so + sld);
        FloatVector c11 = FloatVector.fromArray(FS, src, so + sld + L);
        FloatVector c20 = FloatVector.fromArray(FS, src, so + 2 * sld);
        FloatVector c21 = FloatVector.fromArray(FS, src, so + 2 * sld + L);
        FloatVector c30 = FloatVector.fromArray(FS, src, so + 3 * sld);
        FloatVector c31 = FloatVector.fromArray(FS, src, so + 3 * sld + L);
        FloatVector c40 = FloatVector.fromArray(FS, src, so + 4 * sld);
        FloatVector c41 = FloatVector.fromArray(FS, src, so + 4 * sld + L);
        FloatVector c50 = FloatVector.fromArray(FS, src, so + 5 * sld);
        FloatVector c51 = FloatVector.fromArray(FS, src, so + 5 * sld + L);
        FloatVector c60 = FloatVector.fromArray(FS, src, so + 6 * sld);
        FloatVector c61 = FloatVector.fromArray(FS, src, so + 6 * sld + L);
        FloatVector c70 = FloatVector.fromArray(FS, src, so + 7 * sld);
        FloatVector c71 = FloatVector.fromArray(FS, src, so + 7 * sld + L);
        FloatVector c80 = FloatVector.fromArray(FS, src, so + 8 * sld);
        FloatVector c81 = FloatVector.fromArray(FS, src, so + 8 * sld + L);
        FloatVector c90 = FloatVector.fromArray(FS, src, so + 9 * sld);
        FloatVector c91 = FloatVector.fromArray(FS, src, so + 9 * sld + L);
        FloatVector c100 = FloatVector.fromArray(FS, src, so + 10 * sld);
        FloatVector c101 = FloatVector.fromArray(FS, src, so + 10 * sld + L);
        FloatVector c110 = FloatVector.fromArray(FS, src, so + 11 * sld);
        FloatVector c111 = FloatVector.fromArray(FS, src, so + 11 * sld + L);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(FS, pk, po + p * NR);
            FloatVector b1 = FloatVector.fromArray(FS, pk, po + p * NR + L);
            FloatVector a0 = FloatVector.broadcast(FS, x[x0 + p]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(FS, x[x1 + p]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(FS, x[x2 + p]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(FS, x[x3 + p]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(FS, x[x4 + p]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(FS, x[x5 + p]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(FS, x[x6 + p]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(FS, x[x7 + p]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(FS, x[x8 + p]);
            c80 = a8.fma(b0, c80);
            c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(FS, x[x9 + p]);
            c90 = a9.fma(b0, c90);
            c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(FS, x[x10 + p]);
            c100 = a10.fma(b0, c100);
            c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(FS, x[x11 + p]);
            c110 = a11.fma(b0, c110);
            c111 = a11.fma(b1, c111);
        }
        c00.intoArray(dst, dOff);
        c01.intoArray(dst, dOff + L);
        c10.intoArray(dst, dOff + dld);
        c11.intoArray(dst, dOff + dld + L);
        c20.intoArray(dst, dOff + 2 * dld);
        c21.intoArray(dst, dOff + 2 * dld + L);
        c30.intoArray(dst, dOff + 3 * dld);
        c31.intoArray(dst, dOff + 3 * dld + L);
        c40.intoArray(dst, dOff + 4 * dld);
        c41.intoArray(dst, dOff + 4 * dld + L);
        c50.intoArray(dst, dOff + 5 * dld);
        c51.intoArray(dst, dOff + 5 * dld + L);
        c60.intoArray(dst, dOff + 6 * dld);
        c61.intoArray(dst, dOff + 6 * dld + L);
        c70.intoArray(dst, dOff + 7 * dld);
        c71.intoArray(dst, dOff + 7 * dld + L);
        c80.intoArray(dst, dOff + 8 * dld);
        c81.intoArray(dst, dOff + 8 * dld + L);
        c90.intoArray(dst, dOff + 9 * dld);
        c91.intoArray(dst, dOff + 9 * dld + L);
        c100.intoArray(dst, dOff + 10 * dld);
        c101.intoArray(dst, dOff + 10 * dld + L);
        c110.intoArray(dst, dOff + 11 * dld);
        c111.intoArray(dst, dOff + 11 * dld + L);
    }

    /**
     * {@link #kernel12} over X packed by {@link #packX}: element (r, p) of the tile at
     * {@code x[xo + p*12 + r]}, the layout of an X whose steps p are its strided direction (a
     * weight gradient's {@code dYᵀ}).
     */
    private static void kernel12Packed(int kc, float[] x, int xo, float[] pk, int po,
                                       float[] src, int so, int sld, float[] dst, int dOff, int dld) {
        FloatVector c00 = FloatVector.fromArray(FS, src, so);
        FloatVector c01 = FloatVector.fromArray(FS, src, so + L);
        FloatVector c10 = FloatVector.fromArray(FS, src, so + sld);
        FloatVector c11 = FloatVector.fromArray(FS, src, so + sld + L);
        FloatVector c20 = FloatVector.fromArray(FS, src, so + 2 * sld);
        FloatVector c21 = FloatVector.fromArray(FS, src, so + 2 * sld + L);
        FloatVector c30 = FloatVector.fromArray(FS, src, so + 3 * sld);
        FloatVector c31 = FloatVector.fromArray(FS, src, so + 3 * sld + L);
        FloatVector c40 = FloatVector.fromArray(FS, src, so + 4 * sld);
        FloatVector c41 = FloatVector.fromArray(FS, src, so + 4 * sld + L);
        FloatVector c50 = FloatVector.fromArray(FS, src, so + 5 * sld);
        FloatVector c51 = FloatVector.fromArray(FS, src, so + 5 * sld + L);
        FloatVector c60 = FloatVector.fromArray(FS, src, so + 6 * sld);
        FloatVector c61 = FloatVector.fromArray(FS, src, so + 6 * sld + L);
        FloatVector c70 = FloatVector.fromArray(FS, src, so + 7 * sld);
        FloatVector c71 = FloatVector.fromArray(FS, src, so + 7 * sld + L);
        FloatVector c80 = FloatVector.fromArray(FS, src, so + 8 * sld);
        FloatVector c81 = FloatVector.fromArray(FS, src, so + 8 * sld + L);
        FloatVector c90 = FloatVector.fromArray(FS, src, so + 9 * sld);
        FloatVector c91 = FloatVector.fromArray(FS, src, so + 9 * sld + L);
        FloatVector c100 = FloatVector.fromArray(FS, src, so + 10 * sld);
        FloatVector c101 = FloatVector.fromArray(FS, src, so + 10 * sld + L);
        FloatVector c110 = FloatVector.fromArray(FS, src, so + 11 * sld);
        FloatVector c111 = FloatVector.fromArray(FS, src, so + 11 * sld + L);
        for (int p = 0; p < kc; p++) {
            int xp = xo + p * TALL_MR;
            FloatVector b0 = FloatVector.fromArray(FS, pk, po + p * NR);
            FloatVector b1 = FloatVector.fromArray(FS, pk, po + p * NR + L);
            FloatVector a0 = FloatVector.broadcast(FS, x[xp]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(FS, x[xp + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(FS, x[xp + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(FS, x[xp + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(FS, x[xp + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(FS, x[xp + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(FS, x[xp + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(FS, x[xp + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(FS, x[xp + 8]);
            c80 = a8.fma(b0, c80);
            c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(FS, x[xp + 9]);
            c90 = a9.fma(b0, c90);
            c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(FS, x[xp + 10]);
            c100 = a10.fma(b0, c100);
            c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(FS, x[xp + 11]);
            c110 = a11.fma(b0, c110);
            c111 = a11.fma(b1, c111);
        }
        c00.intoArray(dst, dOff);
        c01.intoArray(dst, dOff + L);
        c10.intoArray(dst, dOff + dld);
        c11.intoArray(dst, dOff + dld + L);
        c20.intoArray(dst, dOff + 2 * dld);
        c21.intoArray(dst, dOff + 2 * dld + L);
        c30.intoArray(dst, dOff + 3 * dld);
        c31.intoArray(dst, dOff + 3 * dld + L);
        c40.intoArray(dst, dOff + 4 * dld);
        c41.intoArray(dst, dOff + 4 * dld + L);
        c50.intoArray(dst, dOff + 5 * dld);
        c51.intoArray(dst, dOff + 5 * dld + L);
        c60.intoArray(dst, dOff + 6 * dld);
        c61.intoArray(dst, dOff + 6 * dld + L);
        c70.intoArray(dst, dOff + 7 * dld);
        c71.intoArray(dst, dOff + 7 * dld + L);
        c80.intoArray(dst, dOff + 8 * dld);
        c81.intoArray(dst, dOff + 8 * dld + L);
        c90.intoArray(dst, dOff + 9 * dld);
        c91.intoArray(dst, dOff + 9 * dld + L);
        c100.intoArray(dst, dOff + 10 * dld);
        c101.intoArray(dst, dOff + 10 * dld + L);
        c110.intoArray(dst, dOff + 11 * dld);
        c111.intoArray(dst, dOff + 11 * dld + L);
    }

    /** The 4-row variant, for the last rows when 6-row tiles would waste most of a tile. */
    private static void kernel4(int kc, float[] x, int xo, int xrs, int xcs, int rv, float[] pk, int po, int pld,
                                float[] src, int so, int sld, float[] dst, int dOff, int dld) {
        int x0 = xo;
        int x1 = xo + Math.min(1, rv - 1) * xrs;
        int x2 = xo + Math.min(2, rv - 1) * xrs;
        int x3 = xo + Math.min(3, rv - 1) * xrs;
        FloatVector c00 = FloatVector.fromArray(FS, src, so);
        FloatVector c01 = FloatVector.fromArray(FS, src, so + L);
        FloatVector c10 = FloatVector.fromArray(FS, src, so + sld);
        FloatVector c11 = FloatVector.fromArray(FS, src, so + sld + L);
        FloatVector c20 = FloatVector.fromArray(FS, src, so + 2 * sld);
        FloatVector c21 = FloatVector.fromArray(FS, src, so + 2 * sld + L);
        FloatVector c30 = FloatVector.fromArray(FS, src, so + 3 * sld);
        FloatVector c31 = FloatVector.fromArray(FS, src, so + 3 * sld + L);
        for (int p = 0, pb = po, xp = 0; p < kc; p++, pb += pld, xp += xcs) {
            FloatVector b0 = FloatVector.fromArray(FS, pk, pb);
            FloatVector b1 = FloatVector.fromArray(FS, pk, pb + L);
            FloatVector a = FloatVector.broadcast(FS, x[x0 + xp]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(FS, x[x1 + xp]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(FS, x[x2 + xp]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(FS, x[x3 + xp]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        c00.intoArray(dst, dOff);
        c01.intoArray(dst, dOff + L);
        c10.intoArray(dst, dOff + dld);
        c11.intoArray(dst, dOff + dld + L);
        c20.intoArray(dst, dOff + 2 * dld);
        c21.intoArray(dst, dOff + 2 * dld + L);
        c30.intoArray(dst, dOff + 3 * dld);
        c31.intoArray(dst, dOff + 3 * dld + L);
    }

    /** The one-vector variant, for a last panel of at most L columns: half the work of {@link #kernel}. */
    private static void kernel1(int kc, float[] x, int xo, int xrs, int xcs, int rv, float[] pk, int po, int pld,
                                float[] t) {
        int x0 = xo;
        int x1 = xo + Math.min(1, rv - 1) * xrs;
        int x2 = xo + Math.min(2, rv - 1) * xrs;
        int x3 = xo + Math.min(3, rv - 1) * xrs;
        int x4 = xo + Math.min(4, rv - 1) * xrs;
        int x5 = xo + Math.min(5, rv - 1) * xrs;
        FloatVector c0 = FloatVector.fromArray(FS, t, 0);
        FloatVector c1 = FloatVector.fromArray(FS, t, 2 * L);
        FloatVector c2 = FloatVector.fromArray(FS, t, 4 * L);
        FloatVector c3 = FloatVector.fromArray(FS, t, 6 * L);
        FloatVector c4 = FloatVector.fromArray(FS, t, 8 * L);
        FloatVector c5 = FloatVector.fromArray(FS, t, 10 * L);
        for (int p = 0, pb = po, xp = 0; p < kc; p++, pb += pld, xp += xcs) {
            FloatVector b0 = FloatVector.fromArray(FS, pk, pb);
            c0 = FloatVector.broadcast(FS, x[x0 + xp]).fma(b0, c0);
            c1 = FloatVector.broadcast(FS, x[x1 + xp]).fma(b0, c1);
            c2 = FloatVector.broadcast(FS, x[x2 + xp]).fma(b0, c2);
            c3 = FloatVector.broadcast(FS, x[x3 + xp]).fma(b0, c3);
            c4 = FloatVector.broadcast(FS, x[x4 + xp]).fma(b0, c4);
            c5 = FloatVector.broadcast(FS, x[x5 + xp]).fma(b0, c5);
        }
        c0.intoArray(t, 0);
        c1.intoArray(t, 2 * L);
        c2.intoArray(t, 4 * L);
        c3.intoArray(t, 6 * L);
        c4.intoArray(t, 8 * L);
        c5.intoArray(t, 10 * L);
    }
}
