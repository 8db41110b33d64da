package org.cnn4j.internal.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorKernels#gemm} against its arithmetic contract (one fma chain per element, bit for
 * bit), against {@link ScalarKernels} (within rounding), and for partition and thread invariance.
 */
class VectorGemmTest {
    private static final int L = VectorGemm.L;
    private static final Kernels VECTOR = new VectorKernels();
    private static final Kernels SCALAR = new ScalarKernels();

    /** One gemm problem with padded leading dimensions, offsets, and arrays ending exactly at the data. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c0, int cOff, int ldc) {

        static Problem random(SplittableRandom rnd, boolean transA, boolean transB, int m, int n, int k, boolean pad) {
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            int aOff = pad ? 3 : 0, bOff = pad ? 5 : 0, cOff = pad ? 7 : 0;
            int lda = aCols + (pad ? 2 : 0), ldb = bCols + (pad ? 3 : 0), ldc = n + (pad ? 4 : 0);
            float[] a = randomArray(rnd, aOff + (aRows - 1) * lda + aCols);
            float[] b = randomArray(rnd, bOff + (bRows - 1) * ldb + bCols);
            float[] c = randomArray(rnd, cOff + (m - 1) * ldc + n);
            return new Problem(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }

        float opA(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float opB(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** Runs {@code kernels.gemm} on a copy of C (NaN-filled for beta 0, to prove it is ignored). */
        float[] run(Kernels kernels, float beta) {
            float[] c = cStart(beta);
            kernels.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return c;
        }

        float[] runForced(int strategy, float beta) {
            float[] c = cStart(beta);
            VectorGemm.gemm(strategy, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return c;
        }

        float[] cStart(float beta) {
            float[] c = c0.clone();
            if (beta == 0f) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
                }
            }
            return c;
        }

        /** The contract: c = beta ? c0 : 0, then c = fma(opA(i,p), opB(p,j), c) for p = 0..k-1. */
        float[] contract(float beta) {
            float[] c = cStart(beta);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int ci = cOff + i * ldc + j;
                    float acc = beta == 0f ? 0f : c[ci];
                    for (int p = 0; p < k; p++) {
                        acc = Math.fma(opA(i, p), opB(p, j), acc);
                    }
                    c[ci] = acc;
                }
            }
            return c;
        }

        /** Per element, |c0| + sum |a||b| (in double): the scale of its rounding error. */
        double absSum(int i, int j, float beta) {
            double s = beta == 0f ? 0 : Math.abs(c0[cOff + i * ldc + j]);
            for (int p = 0; p < k; p++) {
                s += Math.abs((double) opA(i, p) * opB(p, j));
            }
            return s;
        }

        @Override
        public String toString() {
            return (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k;
        }
    }

    private static float[] randomArray(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static final boolean[] BOOLS = {false, true};

    /** Awkward sizes: single rows/columns, tails around the vector length and the 2-vector panel. */
    private static List<int[]> smallShapes() {
        int[] ms = {1, 2, 5, 6, 7, 8, 9, 10, 11, 13};
        int[] ns = {1, 3, 17, L - 1, L, L + 1, 2 * L - 1, 2 * L, 2 * L + 1, 3 * L + 5};
        int[] ks = {1, 3, 17, 40};
        List<int[]> shapes = new ArrayList<>();
        for (int m : ms) {
            for (int n : ns) {
                for (int k : ks) {
                    if (n >= 1) {
                        shapes.add(new int[] {m, n, k});
                    }
                }
            }
        }
        // Larger: k blocks (k > 1024 direct, > 2048 swapped), row blocks, several packed column blocks.
        shapes.add(new int[] {32, 100, 800});
        shapes.add(new int[] {9, 45, 1100});
        shapes.add(new int[] {7, 11, 2100});
        shapes.add(new int[] {100, 20, 1000});
        shapes.add(new int[] {20, 100, 1000});
        shapes.add(new int[] {10, 300, 1000});
        // Tall tiles (12 rows of an X read in place over a packed panel): exactly one, one and a
        // remainder, many past the in-place panel limit (64 rows) as the Winograd products have them,
        // and with k blocks.
        shapes.add(new int[] {12, 2 * L, 5});
        shapes.add(new int[] {25, 4 * L + 3, 33});
        shapes.add(new int[] {126, 2 * L, 32});
        shapes.add(new int[] {131, 4 * L, 64});
        shapes.add(new int[] {78, 2 * L + 1, 1100});
        // One row (a dense layer on one image): blocks of 8 vectors of columns, single vectors, a tail.
        shapes.add(new int[] {1, 8 * L + 4 * L + L + 5, 37});
        shapes.add(new int[] {1, 16 * L, 1100});
        shapes.add(new int[] {1, 256, 3136});
        return shapes;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    @Test
    void everyElementIsOneFmaChainInEveryStrategy() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int[] s : smallShapes()) {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    Problem pr = Problem.random(rnd, ta, tb, s[0], s[1], s[2], true);
                    for (float beta : new float[] {0f, 1f}) {
                        float[] expected = pr.contract(beta);
                        assertBitsEqual(expected, pr.run(VECTOR, beta), pr + " beta=" + beta + " auto");
                        assertBitsEqual(expected, pr.runForced(VectorGemm.DIRECT, beta), pr + " beta=" + beta + " direct");
                        assertBitsEqual(expected, pr.runForced(VectorGemm.SWAPPED, beta), pr + " beta=" + beta + " swapped");
                    }
                }
            }
        }
    }

    @Test
    void agreesWithScalarWithinRounding() {
        SplittableRandom rnd = new SplittableRandom(2);
        double u = Math.ulp(1f) / 2;
        for (int[] s : smallShapes()) {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    for (boolean pad : BOOLS) {
                        Problem pr = Problem.random(rnd, ta, tb, s[0], s[1], s[2], pad);
                        for (float beta : new float[] {0f, 1f}) {
                            float[] v = pr.run(VECTOR, beta);
                            float[] sc = pr.run(SCALAR, beta);
                            for (int i = 0; i < pr.m; i++) {
                                for (int j = 0; j < pr.n; j++) {
                                    int ci = pr.cOff + i * pr.ldc + j;
                                    double tol = 2 * (pr.k + 2) * u * pr.absSum(i, j, beta) + Float.MIN_NORMAL;
                                    if (!(Math.abs(v[ci] - sc[ci]) <= tol)) {
                                        fail(pr + " beta=" + beta + " C[" + i + "][" + j + "]: vector " + v[ci]
                                                + " scalar " + sc[ci] + " tol " + tol);
                                    }
                                    v[ci] = sc[ci];
                                }
                            }
                            // Everything outside the m x n block (gaps between rows, offset) untouched.
                            assertBitsEqual(sc, v, pr + " beta=" + beta + " outside the block");
                        }
                    }
                }
            }
        }
    }

    @Test
    void nanInOldCIsIgnoredWithBetaZero() {
        Problem pr = Problem.random(new SplittableRandom(3), false, false, 7, L + 3, 5, true);
        float[] c = pr.run(VECTOR, 0f);
        for (int i = 0; i < pr.m; i++) {
            for (int j = 0; j < pr.n; j++) {
                assertThat(c[pr.cOff + i * pr.ldc + j]).isNotNaN();
            }
        }
    }

    /**
     * NaN and infinities in A and B (a diverging layer's input) reach the same elements of C as the
     * contract's chain, in every strategy and in the one-row path: NaN where the chain meets one or
     * computes inf - inf, the same infinities elsewhere (NaNs compared as one value).
     */
    @Test
    void nanAndInfinityInputsGiveTheContractsSpecialValues() {
        SplittableRandom rnd = new SplittableRandom(8);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
        int[][] shapes = {{1, 3, 5}, {1, L + 3, 1}, {1, 8 * L + 2 * L + 7, 9}, {7, 2 * L + 1, 4}, {13, 5, 17}};
        for (int[] s : shapes) {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    Problem pr = Problem.random(rnd, ta, tb, s[0], s[1], s[2], true);
                    for (float[] x : new float[][] {pr.a, pr.b}) {
                        for (int i = 0; i < x.length; i += 1 + rnd.nextInt(7)) {
                            x[i] = specials[rnd.nextInt(specials.length)];
                        }
                    }
                    for (float beta : new float[] {0f, 1f}) {
                        float[] expected = pr.contract(beta);
                        for (int strategy : new int[] {VectorGemm.AUTO, VectorGemm.DIRECT, VectorGemm.SWAPPED}) {
                            float[] actual = pr.runForced(strategy, beta);
                            for (int i = 0; i < expected.length; i++) {
                                if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                                    fail(pr + " beta=" + beta + " strategy " + strategy + ": index " + i + " expected "
                                            + expected[i] + " but was " + actual[i]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void kZeroOverwritesWithZeroOrKeeps() {
        Problem pr = Problem.random(new SplittableRandom(4), false, true, 3, L + 1, 1, true);
        float[] c = pr.cStart(0f);
        VECTOR.gemm(false, true, 3, L + 1, 0, pr.a, pr.aOff, pr.lda, pr.b, pr.bOff, pr.ldb, 0f, c, pr.cOff, pr.ldc);
        float[] s = pr.cStart(0f);
        SCALAR.gemm(false, true, 3, L + 1, 0, pr.a, pr.aOff, pr.lda, pr.b, pr.bOff, pr.ldb, 0f, s, pr.cOff, pr.ldc);
        assertBitsEqual(s, c, "k=0 beta=0");
        c = pr.c0.clone();
        VECTOR.gemm(false, true, 3, L + 1, 0, pr.a, pr.aOff, pr.lda, pr.b, pr.bOff, pr.ldb, 1f, c, pr.cOff, pr.ldc);
        assertBitsEqual(pr.c0, c, "k=0 beta=1");
    }

    /** Callers parallelise by calling gemm on row and column blocks: every block split must agree bit for bit. */
    @Test
    void partitionInvariant() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{37, 53, 70}, {13, 3 * L + 5, 1100}, {32, 2 * L + 7, 300}, {86, 40, 2100}};
        for (int[] s : shapes) {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    Problem pr = Problem.random(rnd, ta, tb, s[0], s[1], s[2], true);
                    for (float beta : new float[] {0f, 1f}) {
                        float[] whole = pr.run(VECTOR, beta);
                        for (int trial = 0; trial < 3; trial++) {
                            int[] rowCuts = cuts(rnd, pr.m);
                            int[] colCuts = cuts(rnd, pr.n);
                            // Row blocks only, column blocks only, then a 2-D grid of blocks.
                            assertBitsEqual(whole, byBlocks(pr, beta, rowCuts, new int[] {0, pr.n}), pr + " rows " + Arrays.toString(rowCuts));
                            assertBitsEqual(whole, byBlocks(pr, beta, new int[] {0, pr.m}, colCuts), pr + " cols " + Arrays.toString(colCuts));
                            assertBitsEqual(whole, byBlocks(pr, beta, rowCuts, colCuts), pr + " grid");
                        }
                    }
                }
            }
        }
    }

    /** Sorted block boundaries {0, ..., size}, including blocks of 1. */
    private static int[] cuts(SplittableRandom rnd, int size) {
        List<Integer> c = new ArrayList<>();
        c.add(0);
        int at = 0;
        while (at < size) {
            at = Math.min(size, at + 1 + rnd.nextInt(Math.max(1, size / 2)));
            c.add(at);
        }
        return c.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] byBlocks(Problem pr, float beta, int[] rowCuts, int[] colCuts) {
        float[] c = pr.cStart(beta);
        for (int r = 0; r + 1 < rowCuts.length; r++) {
            for (int q = 0; q + 1 < colCuts.length; q++) {
                int i0 = rowCuts[r], mi = rowCuts[r + 1] - i0;
                int j0 = colCuts[q], nj = colCuts[q + 1] - j0;
                int aOff = pr.aOff + (pr.transA ? i0 : i0 * pr.lda);
                int bOff = pr.bOff + (pr.transB ? j0 * pr.ldb : j0);
                VECTOR.gemm(pr.transA, pr.transB, mi, nj, pr.k, pr.a, aOff, pr.lda, pr.b, bOff, pr.ldb,
                        beta, c, pr.cOff + i0 * pr.ldc + j0, pr.ldc);
            }
        }
        return c;
    }

    @Test
    void sameBitsOnEveryThread() throws Exception {
        Problem pr = Problem.random(new SplittableRandom(6), false, true, 32, 2 * L + 9, 784, false);
        float[] reference = pr.run(VECTOR, 1f);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> pr.run(VECTOR, 1f)));
            }
            for (Future<float[]> f : results) {
                assertBitsEqual(reference, f.get(), "other thread");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void emptyShapesDoNothing() {
        float[] c = {1f, 2f};
        VECTOR.gemm(false, false, 0, 2, 3, new float[0], 0, 3, new float[6], 0, 2, 0f, c, 0, 2);
        VECTOR.gemm(false, false, 1, 0, 3, new float[3], 0, 3, new float[0], 0, 0, 0f, c, 0, 2);
        assertThat(c).containsExactly(1f, 2f);
    }

    @Test
    void providerPicksVectorKernels() {
        assertEquals("vector(" + VectorGemm.FS.vectorBitSize() + "-bit)", VECTOR.name());
        assertThat(Kernels.get()).isInstanceOf(VectorKernels.class);
    }
}
