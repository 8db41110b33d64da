package org.cnn4j.internal.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Winograd's matrices against the correlation they stand for, and the vector tile transforms
 * against their scalar twin on awkward tilings (tile rows of 1, of the vector width plus and
 * minus one, clipped edges, padding, partial tile-row ranges).
 */
class WinogradTest {
    private static final int L = VectorGemm.L;
    private static final Kernels VECTOR = new VectorKernels();
    private static final Kernels SCALAR = new ScalarKernels();
    private final SplittableRandom rnd = new SplittableRandom(5);

    @ParameterizedTest(name = "F({0}, {1})")
    @CsvSource({"2, 3", "2, 5", "4, 3", "3, 3", "2, 2", "1, 4", "3, 5", "2, 7", "4, 5", "6, 3"})
    void oneDimensionalAlgorithmIsCorrelation(int m, int r) {
        Winograd w = Winograd.of(m, r);
        double[][] at = w.at(), g = w.g(), bt = w.bt();
        int n = m + r - 1;
        for (int trial = 0; trial < 20; trial++) {
            double[] d = new double[n], f = new double[r];
            for (int i = 0; i < n; i++) {
                d[i] = rnd.nextDouble() * 2 - 1;
            }
            for (int i = 0; i < r; i++) {
                f[i] = rnd.nextDouble() * 2 - 1;
            }
            double[] prod = new double[n];
            for (int j = 0; j < n; j++) {
                double gf = 0, bd = 0;
                for (int k = 0; k < r; k++) {
                    gf += g[j][k] * f[k];
                }
                for (int k = 0; k < n; k++) {
                    bd += bt[j][k] * d[k];
                }
                prod[j] = gf * bd;
            }
            for (int i = 0; i < m; i++) {
                double y = 0, direct = 0;
                for (int j = 0; j < n; j++) {
                    y += at[i][j] * prod[j];
                }
                for (int k = 0; k < r; k++) {
                    direct += d[i + k] * f[k];
                }
                assertThat(y).as("F(%d,%d) output %d", m, r, i).isCloseTo(direct, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void knownMatricesOfF2x3() {
        // Lavin and Gray's F(2, 3), up to the sign of row/column pairs that cancel: AT, G, BT
        Winograd w = Winograd.of(2, 3);
        assertThat(w.alpha()).isEqualTo(4);
        assertThat(w.at()[0]).containsExactly(1, 1, 1, 0);
        assertThat(w.at()[1]).containsExactly(0, 1, -1, 1);
        assertThat(w.bt()[1]).containsExactly(0, 1, 1, 0);
        assertThat(w.bt()[2]).containsExactly(0, -1, 1, 0);
        assertThat(w.g()[1]).containsExactly(0.5, 0.5, 0.5);
        assertThat(w.g()[2]).containsExactly(0.5, -0.5, 0.5);
    }

    @Test
    void tooLargeTilesAreRefused() {
        assertThatThrownBy(() -> Winograd.of(4, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("F(4, 6)");
    }

    /** Input- and output-side tilings of one convolution of an h x w plane with an r x r kernel. */
    private static List<Tiling> tilings(int h, int w, int r, int m, boolean same) {
        ConvGeometry g = ConvGeometry.of(1, h, w, r, r, 1, 1, same);
        Winograd wg = Winograd.of(m, r);
        int th = (g.outH() + m - 1) / m, tw = (g.outW() + m - 1) / m;
        return List.of(
                new Tiling(h, w, g.padTop(), g.padLeft(), m, wg.alpha(), th, tw, wg.alpha(), wg.inputTransform()),
                new Tiling(g.outH(), g.outW(), 0, 0, m, m, th, tw, wg.alpha(), wg.outputTransform()));
    }

    static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>();
        // {h, w, r, m, same}
        for (int w : new int[] {1, 2, 5, 2 * L - 2, 2 * L, 2 * L + 2, 2 * L + 3, 28}) {
            s.add(new int[] {3, w, 3, 2, 1});
            s.add(new int[] {7, w, 5, 2, 1});
            s.add(new int[] {9, w, 5, 4, 1});
        }
        s.add(new int[] {28, 28, 5, 4, 1});
        s.add(new int[] {14, 14, 3, 4, 1});
        s.add(new int[] {14, 14, 3, 2, 1});
        s.add(new int[] {28, 28, 5, 2, 1});
        s.add(new int[] {9, 11, 3, 4, 1});
        s.add(new int[] {9, 11, 5, 3, 0});
        s.add(new int[] {6, 6, 4, 2, 1});
        s.add(new int[] {8, 9, 2, 2, 0});
        s.add(new int[] {5, 5, 5, 2, 0});
        return s;
    }

    private float[] random(int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Within rounding of the largest value: a transformed tile sums up to 64 terms with coefficients up to 8. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        float max = 1f;
        for (float e : expected) {
            max = Math.max(max, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            float tol = 1e-5f * max;
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    @Test
    void tilesInMatchesScalar() {
        for (int[] sh : shapes()) {
            for (Tiling t : tilings(sh[0], sh[1], sh[2], sh[3], sh[4] == 1)) {
                float[] plane = random(3 + t.height() * t.width());
                int posStride = t.tiles() + 5;
                for (int[] range : new int[][] {{0, t.tilesH()}, {t.tilesH() - 1, t.tilesH()}, {0, 1}}) {
                    float[] a = random(7 + t.n() * t.n() * posStride);
                    float[] b = a.clone();
                    SCALAR.tilesIn(t, plane, 3, range[0], range[1], a, 7, posStride);
                    VECTOR.tilesIn(t, plane, 3, range[0], range[1], b, 7, posStride);
                    assertClose(a, b, "tilesIn " + t + " rows " + range[0] + ".." + range[1]);
                }
            }
        }
    }

    @Test
    void tilesOutMatchesScalar() {
        for (int[] sh : shapes()) {
            for (Tiling t : tilings(sh[0], sh[1], sh[2], sh[3], sh[4] == 1)) {
                int posStride = t.tiles() + 3;
                // with a vector of slack after the last tile the vector path reads whole vectors;
                // without it, it must still be right (it falls back near the end of the array)
                int slack = rnd.nextBoolean() ? 64 : 0;
                float[] in = random(2 + t.n() * t.n() * posStride + slack);
                for (int[] range : new int[][] {{0, t.tilesH()}, {t.tilesH() - 1, t.tilesH()}, {0, 1}}) {
                    for (int mode = 0; mode < 3; mode++) {
                        boolean accumulate = mode == 0;
                        if (!accumulate && t.size() != t.step()) {
                            continue;
                        }
                        float[] a = random(4 + t.height() * t.width());
                        float[] b = a.clone();
                        SCALAR.tilesOut(t, in, 2, posStride, range[0], range[1], a, 4, 0.25f, mode == 2, accumulate);
                        VECTOR.tilesOut(t, in, 2, posStride, range[0], range[1], b, 4, 0.25f, mode == 2, accumulate);
                        assertClose(a, b, "tilesOut mode " + mode + " " + t + " rows " + range[0] + ".." + range[1]);
                    }
                }
            }
        }
    }

    @Test
    void tilesOutIsTheAdjointOfTilesIn() {
        // <tilesIn(x), y> == <x, tilesOut(y)>: the backward pass relies on it
        for (int[] sh : shapes()) {
            for (Tiling t : tilings(sh[0], sh[1], sh[2], sh[3], sh[4] == 1)) {
                for (Kernels k : List.of(SCALAR, VECTOR)) {
                    float[] x = random(t.height() * t.width());
                    int posStride = t.tiles();
                    float[] y = java.util.Arrays.copyOf(random(t.n() * t.n() * posStride), t.n() * t.n() * posStride + 64);
                    float[] tx = new float[y.length];
                    k.tilesIn(t, x, 0, 0, t.tilesH(), tx, 0, posStride);
                    float[] ty = new float[x.length];
                    k.tilesOut(t, y, 0, posStride, 0, t.tilesH(), ty, 0, 0f, false, true);
                    double left = 0, right = 0, scale = 0;
                    for (int i = 0; i < y.length; i++) {
                        left += (double) tx[i] * y[i];
                        scale += Math.abs((double) tx[i] * y[i]);
                    }
                    for (int i = 0; i < x.length; i++) {
                        right += (double) x[i] * ty[i];
                    }
                    assertThat(Math.abs(left - right)).as("%s %s", k.name(), t).isLessThan(1e-5 * (1 + scale));
                }
            }
        }
    }
    /** Rows and columns of a tiling's extent, for tile rows ty0 .. ty1-1. */
    private static int extentRows(Tiling t, int ty0, int ty1) {
        return (ty1 - ty0 - 1) * t.step() + t.size();
    }

    private static int extentCols(Tiling t) {
        return (t.tilesW() - 1) * t.step() + t.size();
    }

    @Test
    void tilesInPackedIsTilesInOfEachChannel() {
        for (int[] sh : shapes()) {
            for (Tiling t : tilings(sh[0], sh[1], sh[2], sh[3], sh[4] == 1)) {
                // cp = L and 2L take the vector path; 3 is not a multiple of L: the vector kernel falls back
                for (int cp : new int[] {L, 2 * L, 3}) {
                    int channels = cp == 3 ? 3 : cp - 1, hw = t.height() * t.width();
                    float[] image = random(channels * hw);
                    for (int[] range : new int[][] {{0, t.tilesH()}, {t.tilesH() - 1, t.tilesH()}, {0, 1}}) {
                        int ty0 = range[0], ty1 = range[1], tiles = (ty1 - ty0) * t.tilesW();
                        int rows = extentRows(t, ty0, ty1), cols = extentCols(t);
                        float[] packed = new float[5 + rows * cols * cp];
                        Packing.pack(image, 0, channels, t.height(), t.width(), ty0 * t.step() - t.padTop(), rows,
                                -t.padLeft(), cols, packed, 5, cp);
                        int posStride = tiles * cp + 2;
                        float[] expected = new float[t.n() * t.n() * posStride];
                        float[] plane = new float[t.n() * t.n() * tiles];
                        for (int c = 0; c < channels; c++) {
                            SCALAR.tilesIn(t, image, c * hw, ty0, ty1, plane, 0, tiles);
                            for (int pos = 0; pos < t.n() * t.n(); pos++) {
                                for (int tile = 0; tile < tiles; tile++) {
                                    expected[pos * posStride + tile * cp + c] = plane[pos * tiles + tile];
                                }
                            }
                        }
                        for (Kernels k : List.of(SCALAR, VECTOR)) {
                            float[] out = new float[expected.length];
                            k.tilesInPacked(t, cp, packed, 5, ty0, ty1, out, 0, posStride);
                            assertClose(expected, out, k.name() + " tilesInPacked cp " + cp + " " + t + " rows " + ty0
                                    + ".." + ty1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void tilesOutPackedIsTilesOutOfEachChannel() {
        for (int[] sh : shapes()) {
            for (Tiling t : tilings(sh[0], sh[1], sh[2], sh[3], sh[4] == 1)) {
                for (int cp : new int[] {L, 2 * L, 3}) {
                    int channels = cp == 3 ? 3 : cp - 1, hw = t.height() * t.width();
                    for (int[] range : new int[][] {{0, t.tilesH()}, {t.tilesH() - 1, t.tilesH()}, {0, 1}}) {
                        int ty0 = range[0], ty1 = range[1], tiles = (ty1 - ty0) * t.tilesW();
                        int rows = extentRows(t, ty0, ty1), cols = extentCols(t), posStride = tiles * cp + 1;
                        float[] in = random(3 + t.n() * t.n() * posStride);
                        for (boolean accumulate : new boolean[] {true, false}) {
                            if (!accumulate && t.size() != t.step()) {
                                continue;
                            }
                            // the definition, plane by plane: each channel's tiles added into a zero plane
                            float[] expected = new float[channels * hw];
                            float[] plane = new float[t.n() * t.n() * tiles];
                            for (int c = 0; c < channels; c++) {
                                for (int pos = 0; pos < t.n() * t.n(); pos++) {
                                    for (int tile = 0; tile < tiles; tile++) {
                                        plane[pos * tiles + tile] = in[3 + pos * posStride + tile * cp + c];
                                    }
                                }
                                SCALAR.tilesOut(t, plane, 0, tiles, ty0, ty1, expected, c * hw, 0f, false, true);
                            }
                            float[] start = accumulate ? random(rows * cols * cp) : new float[rows * cols * cp];
                            float[] scalar = null;
                            for (Kernels k : List.of(SCALAR, VECTOR)) {
                                float[] packed = start.clone();
                                k.tilesOutPacked(t, cp, in, 3, posStride, ty0, ty1, packed, 0, accumulate);
                                if (accumulate) { // take the starting values back out to compare with the definition
                                    for (int i = 0; i < packed.length; i++) {
                                        packed[i] -= start[i];
                                    }
                                }
                                float[] image = new float[channels * hw];
                                Packing.unpack(packed, 0, cp, ty0 * t.step() - t.padTop(), rows, -t.padLeft(), cols,
                                        image, 0, channels, t.height(), t.width(), null, false);
                                String what = k.name() + " tilesOutPacked cp " + cp + " accumulate " + accumulate + " " + t
                                        + " rows " + ty0 + ".." + ty1;
                                assertClose(expected, image, what);
                                if (scalar == null) {
                                    scalar = packed;
                                } else {
                                    assertClose(scalar, packed, what + " (whole extent)");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void packingRoundTripsAndAddsBiasAndRelu() {
        int channels = 3, h = 4, w = 5;
        float[] x = random(channels * h * w);
        int rows = 7, cols = 8, cp = 4; // the region sticks out of the plane on every side
        float[] packed = new float[rows * cols * cp];
        java.util.Arrays.fill(packed, Float.NaN); // stale scratch: every cell must be written
        Packing.pack(x, 0, channels, h, w, -1, rows, -2, cols, packed, 0, cp);
        for (float v : packed) {
            assertThat(v).isNotNaN();
        }
        assertThat(packed[(1 * cols + 2) * cp + 1]).isEqualTo(x[1 * h * w]); // cell (0, 0) of channel 1
        assertThat(packed[(0 * cols + 0) * cp + 1]).isZero(); // outside the plane
        assertThat(packed[(1 * cols + 2) * cp + 3]).isZero(); // channel past the image's
        float[] back = new float[x.length];
        Packing.unpack(packed, 0, cp, -1, rows, -2, cols, back, 0, channels, h, w, null, false);
        assertThat(back).isEqualTo(x);
        float[] bias = {0.5f, -10f, 0f};
        Packing.unpack(packed, 0, cp, -1, rows, -2, cols, back, 0, channels, h, w, bias, true);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h * w; i++) {
                assertThat(back[c * h * w + i]).isEqualTo(Math.max(0f, x[c * h * w + i] + bias[c]));
            }
        }
    }
}
