package org.cnn4j.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The element-wise {@link VectorKernels} against {@link ScalarKernels}. They do the same float
 * operations in the same order, so they must agree bit for bit (NaN included).
 */
class VectorKernelsTest {
    private static final int L = VectorGemm.L;
    private static final Kernels VECTOR = new VectorKernels();
    private static final Kernels SCALAR = new ScalarKernels();
    /** Lengths around the vector width, and the awkward small ones. */
    private static final int[] LENGTHS = {1, 3, 17, L - 1, L, L + 1, 2 * L + 3, 100};

    private final SplittableRandom rnd = new SplittableRandom(11);

    private float[] random(int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Random values sprinkled with the edge cases of comparisons: NaN, -0, +0, infinities. */
    private float[] randomWithSpecials(int size) {
        float[] x = random(size);
        float[] specials = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < size; i++) {
            if (rnd.nextInt(6) == 0) {
                x[i] = specials[rnd.nextInt(specials.length)];
            }
        }
        return x;
    }

    /** Bit-exact, except that all NaNs are one (as {@link Float#floatToIntBits}); -0 and +0 differ. */
    private static void assertSameFloats(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    // ------------------------------------------------------------ im2col / col2im

    /** Stride 1 and 2, 'same' and 'valid', odd and even windows, windows as large as the image. */
    private static final List<ConvGeometry> GEOMETRIES = List.of(
            ConvGeometry.of(1, 28, 28, 5, 5, 1, 1, true),
            ConvGeometry.of(3, 14, 14, 3, 3, 1, 1, true),
            ConvGeometry.of(2, 9, 7, 3, 3, 2, 2, true),
            ConvGeometry.of(2, 8, 8, 4, 4, 1, 1, true),
            ConvGeometry.of(2, 8, 6, 2, 2, 1, 1, true),
            ConvGeometry.of(2, 9, 7, 2, 2, 2, 2, false),
            ConvGeometry.of(2, 10, 11, 3, 2, 2, 1, true),
            ConvGeometry.of(1, 5, 5, 5, 5, 1, 1, false),
            ConvGeometry.of(1, 5, 5, 5, 5, 2, 2, true),
            ConvGeometry.of(1, 1, 1, 1, 1, 1, 1, true),
            ConvGeometry.of(1, 3, 40, 3, 3, 1, 1, true),
            ConvGeometry.of(1, 6, 40, 3, 3, 2, 2, false),
            ConvGeometry.of(1, 2, 2, 3, 3, 3, 3, true),
            // explicit padding wider than the window, so some rows and columns never see the image
            new ConvGeometry(1, 4, 4, 2, 2, 1, 1, 3, 3, 9, 9),
            // strides so large that stride + shift overflows an int (a model file may hold any stride)
            ConvGeometry.of(2, 4, 5, 3, 3, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, false),
            ConvGeometry.of(2, 4, 5, 3, 2, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, true));

    @Test
    void im2colMatchesScalar() {
        for (ConvGeometry g : GEOMETRIES) {
            int xOff = 5, colOff = 3;
            float[] x = random(xOff + g.inSize() + 2);
            int colSize = colOff + g.patchSize() * g.outPixels() + 4;
            float[] expected = new float[colSize];
            float[] actual = new float[colSize];
            java.util.Arrays.fill(expected, Float.NaN);
            java.util.Arrays.fill(actual, Float.NaN);
            SCALAR.im2col(x, xOff, g, expected, colOff);
            VECTOR.im2col(x, xOff, g, actual, colOff);
            assertSameFloats(expected, actual, "im2col " + g);
        }
    }

    @Test
    void col2imMatchesScalar() {
        for (ConvGeometry g : GEOMETRIES) {
            int dxOff = 4, colOff = 6;
            float[] col = random(colOff + g.patchSize() * g.outPixels() + 1);
            float[] expected = random(dxOff + g.inSize() + 3);
            float[] actual = expected.clone();
            SCALAR.col2im(col, colOff, g, expected, dxOff);
            VECTOR.col2im(col, colOff, g, actual, dxOff);
            assertSameFloats(expected, actual, "col2im " + g);
        }
    }

    // ------------------------------------------------------------ bias, ReLU, reductions

    @Test
    void biasesWithAndWithoutReluMatchScalar() {
        for (int rows : new int[] {1, 2, 7}) {
            for (int cols : LENGTHS) {
                for (boolean relu : new boolean[] {false, true}) {
                    int off = 3;
                    float[] y = randomWithSpecials(off + rows * cols + 2);
                    float[] rowBias = randomWithSpecials(rows);
                    float[] colBias = randomWithSpecials(cols);
                    float[] e = y.clone(), a = y.clone();
                    SCALAR.addRowBias(e, off, rows, cols, rowBias, relu);
                    VECTOR.addRowBias(a, off, rows, cols, rowBias, relu);
                    assertSameFloats(e, a, "addRowBias " + rows + "x" + cols + " relu=" + relu);
                    e = y.clone();
                    a = y.clone();
                    SCALAR.addColumnBias(e, off, rows, cols, colBias, relu);
                    VECTOR.addColumnBias(a, off, rows, cols, colBias, relu);
                    assertSameFloats(e, a, "addColumnBias " + rows + "x" + cols + " relu=" + relu);
                }
            }
        }
    }

    @Test
    void reluBackwardMatchesScalar() {
        for (int n : LENGTHS) {
            float[] y = randomWithSpecials(n + 5);
            float[] dy = random(n + 7);
            float[] e = dy.clone(), a = dy.clone();
            SCALAR.reluBackward(e, 2, y, 4, n);
            VECTOR.reluBackward(a, 2, y, 4, n);
            assertSameFloats(e, a, "reluBackward n=" + n);
        }
    }

    @Test
    void sumColumnsMatchesScalarBitForBit() {
        for (int rows : new int[] {1, 3, 10}) {
            for (int cols : LENGTHS) {
                float[] dy = random(2 + rows * cols);
                float[] e = random(cols);
                float[] a = e.clone();
                SCALAR.sumColumns(dy, 2, rows, cols, e);
                VECTOR.sumColumns(dy, 2, rows, cols, a);
                assertSameFloats(e, a, "sumColumns " + rows + "x" + cols);
            }
        }
    }

    // ------------------------------------------------------------ batch normalization

    /** Runs of one channel of one sample: BatchNormalization's H·W (v2: 676, 576, 144, 100, 64, 16, 1), and odd ones. */
    private static final int[] RUNS = {1, 3, 5, 15, 16, 17, 33, 49, 64, 100, 144, 169, 676, 2 * L + 3};

    @Test
    void batchNormReductionsMatchScalarBitForBitAndADoubleSum() {
        for (int n : RUNS) {
            for (int off : new int[] {0, 3}) {
                // shifted away from 0, as activations after a ReLU are: the squared deviations see cancellation
                float[] x = random(off + n), h = random(off + n);
                for (int i = 0; i < x.length; i++) {
                    x[i] += 2.5f;
                }
                float mean = 2.4f;
                float es = SCALAR.sum(x, off, n), vs = VECTOR.sum(x, off, n);
                float eq = SCALAR.sumSquaredDeviations(x, off, n, mean), vq = VECTOR.sumSquaredDeviations(x, off, n, mean);
                float ed = SCALAR.dotNormalized(h, x, off, n, mean, 1.7f), vd = VECTOR.dotNormalized(h, x, off, n, mean, 1.7f);
                assertSameFloats(new float[] {es, eq, ed}, new float[] {vs, vq, vd}, "sum, squares, dot of " + n + " at " + off);
                double s = 0, q = 0, d = 0, scale = 0;
                for (int i = off; i < off + n; i++) {
                    s += x[i];
                    q += (x[i] - (double) mean) * (x[i] - (double) mean);
                    d += h[i] * (x[i] - (double) mean) * 1.7;
                    scale += Math.abs(h[i] * (x[i] - (double) mean) * 1.7);
                }
                assertClose(s, vs, 1e-6 * s, "sum of " + n);
                assertClose(q, vq, 1e-5 * q, "squared deviations of " + n);
                assertClose(d, vd, 1e-6 * scale, "dot of " + n);
            }
        }
    }

    private static void assertClose(double expected, float actual, double tolerance, String what) {
        if (!(Math.abs(expected - actual) <= tolerance + 1e-30)) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }

    @Test
    void batchNormElementwiseMatchesScalarBitForBit() {
        for (int n : RUNS) {
            int off = 5, size = off + n + 2;
            float[] x = randomWithSpecials(size), dy = random(size);
            float[] ey = random(size), ay = ey.clone();
            SCALAR.normalize(x, off, n, 0.3f, 1.7f, -0.8f, 0.25f, ey);
            VECTOR.normalize(x, off, n, 0.3f, 1.7f, -0.8f, 0.25f, ay);
            assertSameFloats(ey, ay, "y of " + n);
            assertSameFloats(new float[] {(x[off] - 0.3f) * 1.7f * -0.8f + 0.25f}, new float[] {ey[off]}, "y[0] by hand");
            float[] edy = dy.clone(), ady = dy.clone();
            SCALAR.normalizeBackward(edy, x, off, n, 0.3f, 1.7f, 1.3f, 0.05f, -0.2f);
            VECTOR.normalizeBackward(ady, x, off, n, 0.3f, 1.7f, 1.3f, 0.05f, -0.2f);
            assertSameFloats(edy, ady, "dx of " + n);
            float h0 = (x[off] - 0.3f) * 1.7f;
            assertSameFloats(new float[] {1.3f * ((dy[off] - 0.05f) - h0 * -0.2f)}, new float[] {edy[off]}, "dx[0] by hand");
            assertSameFloats(new float[] {dy[off - 1], dy[off + n], ey[off - 1], ey[off + n]},
                    new float[] {ady[off - 1], ady[off + n], ay[off - 1], ay[off + n]}, "values outside the run");
        }
    }

    @Test
    void sumRowsMatchesScalarBitForBit() {
        for (int rows : new int[] {1, 3, 10}) {
            for (int cols : LENGTHS) {
                float[] dy = random(2 + rows * cols);
                float[] db0 = random(rows);
                float[] e = db0.clone(), a = db0.clone();
                SCALAR.sumRows(dy, 2, rows, cols, e);
                VECTOR.sumRows(dy, 2, rows, cols, a);
                assertSameFloats(e, a, "sumRows " + rows + "x" + cols);
            }
        }
        // The fixed 16-stripe order, whatever the vector width: equal to the scalar stripes.
        for (int cols : new int[] {1, 15, 16, 17, 31, 33, 100, 784}) {
            float[] dy = random(cols + 3);
            float[] db = {0.5f};
            VECTOR.sumRows(dy, 3, 1, cols, db);
            float[] expected = {0.5f};
            SCALAR.sumRows(dy, 3, 1, cols, expected);
            assertSameFloats(expected, db, "sumRows stripes, cols=" + cols);
        }
        // Deterministic: the same input gives the same bits, call after call.
        float[] dy = random(1000);
        float[] first = new float[1];
        VECTOR.sumRows(dy, 0, 1, 1000, first);
        for (int i = 0; i < 50; i++) {
            float[] again = new float[1];
            VECTOR.sumRows(dy, 0, 1, 1000, again);
            assertSameFloats(first, again, "sumRows repeat");
        }
    }

    // ------------------------------------------------------------ max pooling

    private static final List<ConvGeometry> POOLS = List.of(
            ConvGeometry.of(3, 28, 28, 2, 2, 2, 2, false),
            ConvGeometry.of(2, 14, 14, 2, 2, 2, 2, false),
            ConvGeometry.of(2, 7, 7, 2, 2, 2, 2, true),
            ConvGeometry.of(2, 7, 7, 2, 2, 2, 2, false),
            // 2x2 stride 2 (a path of its own): block tails, odd widths, one window, a padded top row
            ConvGeometry.of(1, 4, 2 * L + 3, 2, 2, 2, 2, true),
            ConvGeometry.of(2, 3, L, 2, 2, 2, 2, false),
            ConvGeometry.of(1, 2, 3, 2, 2, 2, 2, false),
            ConvGeometry.of(1, 3, L + 2, 2, 2, 2, 2, false),
            new ConvGeometry(2, 5, 2 * L + 1, 2, 2, 2, 2, 1, 0, 3, L),
            ConvGeometry.of(2, 9, 9, 3, 3, 2, 2, true),
            ConvGeometry.of(2, 8, 8, 3, 3, 1, 1, true),
            ConvGeometry.of(1, 6, 2 * L + 5, 2, 2, 1, 1, false),
            ConvGeometry.of(1, 6, 4 * L + 3, 3, 2, 2, 2, true),
            ConvGeometry.of(1, 5, 4 * L + 1, 2, 3, 1, 2, true),
            ConvGeometry.of(1, 1, 1, 1, 1, 1, 1, true),
            ConvGeometry.of(1, 2, 3, 2, 3, 2, 3, false),
            new ConvGeometry(1, 4, 2 * L, 3, 3, 2, 2, 2, 2, 3, L + 1),
            // the seed CNN's pools, and an odd width whose last column no window covers
            ConvGeometry.of(3, 28, 28, 2, 2, 2, 2, false),
            ConvGeometry.of(2, 14, 14, 2, 2, 2, 2, false),
            ConvGeometry.of(2, 5, 2 * L + 7, 2, 2, 2, 2, false));

    @Test
    void maxPoolForwardMatchesScalarWithTiesAndSpecials() {
        for (ConvGeometry g : POOLS) {
            for (int variant = 0; variant < 3; variant++) {
                int xOff = 3, yOff = 2, aOff = 5;
                float[] x = new float[xOff + g.inSize() + 1];
                for (int i = 0; i < x.length; i++) {
                    x[i] = switch (variant) {
                        // many ties: the first maximum in row-major order must win
                        case 0 -> rnd.nextInt(3);
                        case 1 -> (float) rnd.nextDouble();
                        // ties between -0 and +0, NaNs, infinities
                        default -> new float[] {-0f, 0f, Float.NaN, 1f, Float.NEGATIVE_INFINITY}[rnd.nextInt(5)];
                    };
                }
                int outs = g.channels() * g.outPixels();
                float[] ye = new float[yOff + outs + 2], ya = ye.clone();
                int[] ae = new int[aOff + outs + 1], aa = ae.clone();
                SCALAR.maxPoolForward(x, xOff, g, ye, yOff, ae, aOff);
                VECTOR.maxPoolForward(x, xOff, g, ya, yOff, aa, aOff);
                assertSameFloats(ye, ya, "maxPool values " + g + " variant " + variant);
                assertArrayEquals(ae, aa, "maxPool argmax " + g + " variant " + variant);
            }
        }
    }

    @Test
    void maxPoolBackwardMatchesScalarWithRepeatedWinners() {
        int n = 3 * L + 5;
        int[] argmax = new int[n + 2];
        for (int i = 0; i < argmax.length; i++) {
            argmax[i] = rnd.nextInt(10); // overlapping windows: one input wins several outputs
        }
        float[] dy = random(n + 1);
        float[] e = random(14);
        float[] a = e.clone();
        SCALAR.maxPoolBackward(dy, 1, argmax, 2, n, e, 4);
        VECTOR.maxPoolBackward(dy, 1, argmax, 2, n, a, 4);
        assertSameFloats(e, a, "maxPoolBackward");
    }

    // ------------------------------------------------------------ optimiser, dropout

    @Test
    void rmspropMatchesScalarBitForBit() {
        for (int n : LENGTHS) {
            for (int off : new int[] {0, 3}) {
                for (boolean inside : new boolean[] {false, true}) {
                    // exact-size arrays (off 0) put the tail at the end of the array
                    int size = off + n + (off == 0 ? 0 : 2);
                    float[] w = random(size), g = random(size), acc = random(size);
                    for (int i = 0; i < size; i++) {
                        acc[i] = Math.abs(acc[i]) * 1e-3f;
                    }
                    g[off] = 0f; // a zero gradient with a zero accumulator: eps guards the division
                    acc[off] = 0f;
                    float[] we = w.clone(), wa = w.clone(), ae = acc.clone(), aa = acc.clone();
                    SCALAR.rmsprop(we, g, ae, off, n, 1e-3f, 0.9f, 1e-7f, inside);
                    VECTOR.rmsprop(wa, g, aa, off, n, 1e-3f, 0.9f, 1e-7f, inside);
                    String what = " n=" + n + " off=" + off + " epsInsideSqrt=" + inside;
                    assertSameFloats(we, wa, "rmsprop w" + what);
                    assertSameFloats(ae, aa, "rmsprop a" + what);
                    // outside [off, off+n) nothing moves
                    for (int i = 0; i < size; i++) {
                        if (i < off || i >= off + n) {
                            assertSameFloats(new float[] {w[i], acc[i]}, new float[] {wa[i], aa[i]}, "rmsprop outside" + what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void applyMaskMatchesScalar() {
        for (int n : LENGTHS) {
            float[] x = randomWithSpecials(n + 3);
            byte[] mask = new byte[n + 6];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = (byte) (rnd.nextInt(3) - 1); // -1 and 1 both keep, 0 drops
            }
            float[] e = random(n + 4);
            float[] a = e.clone();
            SCALAR.applyMask(x, 3, mask, 5, 2f, e, 1, n);
            VECTOR.applyMask(x, 3, mask, 5, 2f, a, 1, n);
            assertSameFloats(e, a, "applyMask n=" + n);
        }
    }

    @Test
    void dropoutMaskMatchesScalarBitForBit() {
        int ll = jdk.incubator.vector.LongVector.SPECIES_PREFERRED.length();
        int[] lengths = {1, 3, 17, ll - 1, ll, ll + 1, L - 1, L, L + 1, 2 * L + 3, 100, 1000};
        int[] thresholds = {0, 1, 1 << 22, 1 << 23, (1 << 24) - 1, 1 << 24};
        for (int n : lengths) {
            for (int threshold : thresholds) {
                for (long first : new long[] {0, 5, Long.MAX_VALUE - 3000}) {
                    long seed = rnd.nextLong();
                    for (int off : new int[] {0, 3}) {
                        // off 0: exact-size arrays, the tail ends at the array's end
                        byte[] e = new byte[off + n + (off == 0 ? 0 : 2)], a = new byte[e.length];
                        java.util.Arrays.fill(e, (byte) 7);
                        java.util.Arrays.fill(a, (byte) 7);
                        SCALAR.dropoutMask(seed, first, n, threshold, e, off);
                        VECTOR.dropoutMask(seed, first, n, threshold, a, off);
                        assertArrayEquals(e, a, "dropoutMask n=" + n + " threshold=" + threshold + " first=" + first);
                    }
                }
            }
        }
    }

    @Test
    void dropoutMaskIsTheSplitMixStreamCutAnywhere() {
        // Element j is the (j+1)-th draw of new Rng(seed), kept when nextFloat() >= rate; and a
        // range computed on its own (first > 0) equals the same range of the whole mask.
        long seed = 0x1234_5678_9ABCL;
        float rate = 0.3f;
        int threshold = (int) Math.ceil(rate * 0x1p24);
        int n = 5 * L + 7;
        for (Kernels k : List.of(SCALAR, VECTOR)) {
            byte[] whole = new byte[n];
            k.dropoutMask(seed, 0, n, threshold, whole, 0);
            org.cnn4j.init.Rng rng = new org.cnn4j.init.Rng(seed);
            int kept = 0;
            for (int j = 0; j < n; j++) {
                byte expected = (byte) (rng.nextFloat() >= rate ? 1 : 0);
                kept += expected;
                if (whole[j] != expected) {
                    fail(k.name() + ": element " + j + " is " + whole[j] + ", the stream says " + expected);
                }
            }
            if (kept == 0 || kept == n) {
                fail("a mask with rate 0.3 kept " + kept + " of " + n);
            }
            for (int from : new int[] {1, L - 1, 2 * L + 1}) {
                byte[] part = new byte[n - from];
                k.dropoutMask(seed, from, n - from, threshold, part, 0);
                assertArrayEquals(java.util.Arrays.copyOfRange(whole, from, n), part, k.name() + " from " + from);
            }
        }
    }

    /**
     * Arrays with no slack, so that every tail vector would run past the array's end: the case the
     * JDK handles on a separate path (see {@link Tails}). Results must not change there.
     */
    @Test
    void tailsAtTheEndOfExactSizeArraysMatchScalar() {
        for (int rows : new int[] {1, 2, 7}) {
            for (int cols : LENGTHS) {
                for (boolean relu : new boolean[] {false, true}) {
                    float[] y = randomWithSpecials(rows * cols), rowBias = random(rows), colBias = random(cols);
                    float[] e = y.clone(), a = y.clone();
                    SCALAR.addRowBias(e, 0, rows, cols, rowBias, relu);
                    VECTOR.addRowBias(a, 0, rows, cols, rowBias, relu);
                    assertSameFloats(e, a, "exact addRowBias " + rows + "x" + cols);
                    e = y.clone();
                    a = y.clone();
                    SCALAR.addColumnBias(e, 0, rows, cols, colBias, relu);
                    VECTOR.addColumnBias(a, 0, rows, cols, colBias, relu);
                    assertSameFloats(e, a, "exact addColumnBias " + rows + "x" + cols);
                }
                float[] dy = random(rows * cols), out = randomWithSpecials(rows * cols);
                float[] e = dy.clone(), a = dy.clone();
                SCALAR.reluBackward(e, 0, out, 0, rows * cols);
                VECTOR.reluBackward(a, 0, out, 0, rows * cols);
                assertSameFloats(e, a, "exact reluBackward " + rows + "x" + cols);
                float[] dbe = random(cols), dba = dbe.clone();
                SCALAR.sumColumns(dy, 0, rows, cols, dbe);
                VECTOR.sumColumns(dy, 0, rows, cols, dba);
                assertSameFloats(dbe, dba, "exact sumColumns " + rows + "x" + cols);
                float[] sums = new float[rows], expected = new float[rows];
                VECTOR.sumRows(dy, 0, rows, cols, sums);
                SCALAR.sumRows(dy, 0, rows, cols, expected);
                assertSameFloats(expected, sums, "exact sumRows " + rows + "x" + cols);
            }
        }
        for (ConvGeometry g : POOLS) {
            float[] x = randomWithSpecials(g.inSize());
            int outs = g.channels() * g.outPixels();
            float[] ye = new float[outs], ya = new float[outs];
            int[] ae = new int[outs], aa = new int[outs];
            SCALAR.maxPoolForward(x, 0, g, ye, 0, ae, 0);
            VECTOR.maxPoolForward(x, 0, g, ya, 0, aa, 0);
            assertSameFloats(ye, ya, "exact maxPool values " + g);
            assertArrayEquals(ae, aa, "exact maxPool argmax " + g);
        }
        for (ConvGeometry g : GEOMETRIES) {
            float[] col = random(g.patchSize() * g.outPixels());
            float[] e = random(g.inSize()), a = e.clone();
            SCALAR.col2im(col, 0, g, e, 0);
            VECTOR.col2im(col, 0, g, a, 0);
            assertSameFloats(e, a, "exact col2im " + g);
        }
    }
}
