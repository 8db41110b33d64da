package org.cnn4j.internal.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.cnn4j.internal.kernels.ConvGeometry;
import org.cnn4j.internal.kernels.Kernels;
import org.cnn4j.internal.kernels.ScalarKernels;
import org.cnn4j.internal.kernels.VectorKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two {@link PackedWinograd} convolutions handing their activations over in cells
 * ({@link CellConv#forwardCells}) give, bit for bit, the planar passes one after the other (with
 * the first one's 2x2 max pooling or not), with the vector kernels and with their scalar twin: the
 * seed CNN's shapes, and odd channel and filter counts on planes that the tiles overrun, with same
 * and valid padding. The cells outside the planes stay zero, and the planar passes after a
 * pass in cells are unchanged.
 */
class CellForwardTest {
    private final SplittableRandom rnd = new SplittableRandom(19);

    @ParameterizedTest(name = "{0}: {1}->{2}->{3} channels, {4}x{4} then {5}x{5} kernels, {6}x{7}, pooled {8}, batch {9}")
    @CsvSource({
        "vector, 32, 32, 64, 5, 3, 28, 28, true, 3", "scalar, 32, 32, 64, 5, 3, 28, 28, true, 1",
        "vector, 32, 64, 64, 3, 3, 14, 14, false, 2", "scalar, 32, 64, 64, 3, 3, 14, 14, false, 2",
        "vector, 9, 21, 11, 5, 3, 10, 18, true, 3", "scalar, 9, 21, 11, 5, 3, 10, 18, true, 1",
        "vector, 13, 17, 19, 3, 5, 9, 11, false, 2", "scalar, 13, 17, 19, 3, 5, 9, 11, false, 2",
        "vector, 17, 33, 7, 3, 3, 7, 13, false, 1", "scalar, 17, 33, 7, 3, 3, 7, 13, false, 3"})
    void cellsBetweenTwoConvolutionsGiveThePlanarBits(String kind, int c0, int c1, int c2, int r0, int r1, int h,
                                                      int w, boolean pooled, int n) {
        Kernels k = kind.equals("vector") ? new VectorKernels() : new ScalarKernels();
        ConvGeometry g0 = ConvGeometry.of(c0, h, w, r0, r0, 1, 1, true);
        PackedWinograd a = new PackedWinograd(k, g0, c1, r0 == 5 ? 4 : 2);
        int h1 = pooled ? g0.outH() / 2 : g0.outH(), w1 = pooled ? g0.outW() / 2 : g0.outW();
        // the second one with valid padding where the plane allows: no cells above or left of it
        ConvGeometry g1 = ConvGeometry.of(c1, h1, w1, r1, r1, 1, 1, h1 > 2 * r1 && !pooled ? false : true);
        PackedWinograd b = new PackedWinograd(k, g1, c2, r1 == 5 ? 4 : 2);
        float[] x = random(n * g0.inSize()), k0 = random(c1 * c0 * r0 * r0), b0 = random(c1);
        float[] k1 = random(c2 * c1 * r1 * r1), b1 = random(c2);
        for (int i = 0; i < x.length; i += 7) {
            x[i] = 0f; // some exact zeros, so that ReLU and ties matter
        }

        // planar: a's output (pooled or not) as planes, then b on those planes
        float[] mid = new float[n * c1 * h1 * w1];
        if (pooled) {
            a.forwardPooled(x, k0, b0, true, mid, n);
        } else {
            a.forward(x, k0, b0, true, mid, n);
        }
        float[] expected = new float[n * c2 * g1.outPixels()];
        b.forward(mid, k1, b1, false, expected, n);

        CellLayout cells = b.inputCells();
        assertThat(a.writes(cells, pooled)).isTrue();
        // the images from offsets (a chain runs a batch a block at a time)
        int xo = 5, bo = 7, go = 3;
        float[] xs = new float[xo + x.length];
        System.arraycopy(x, 0, xs, xo, x.length);
        float[] buf = new float[bo + n * cells.imageFloats()];
        a.forwardCells(xs, xo, false, k0, b0, true, pooled, buf, bo, cells, n);
        float[] got = new float[go + expected.length];
        java.util.Arrays.fill(got, Float.NaN); // every output must be written
        b.forwardCells(buf, bo, true, k1, b1, false, false, got, go, null, n);
        assertThat(java.util.Arrays.copyOfRange(got, go, got.length)).isEqualTo(expected);
        assertThat(got[0]).as("nothing before the offset").isNaN();

        // the cells outside the plane are never written; inside, the channels hold the planes' values
        for (int s = 0; s < n; s++) {
            for (int r = 0; r < cells.rows(); r++) {
                for (int q = 0; q < cells.cols(); q++) {
                    int pr = r - cells.top(), pq = q - cells.left();
                    boolean plane = pr >= 0 && pr < h1 && pq >= 0 && pq < w1;
                    for (int c = 0; c < c1; c++) {
                        float v = buf[bo + s * cells.imageFloats() + (r * cells.cols() + q) * cells.cp() + c];
                        float want = plane ? mid[((s * c1 + c) * h1 + pr) * w1 + pq] : 0f;
                        assertThat(Float.floatToRawIntBits(v)).as("image %d cell (%d, %d) channel %d", s, r, q, c)
                                .isEqualTo(Float.floatToRawIntBits(want));
                    }
                }
            }
        }

        // and the planar passes after passes in cells are unchanged (the call state is cleared)
        float[] again = new float[expected.length];
        b.forward(mid, k1, b1, false, again, n);
        assertThat(again).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: im2col {1}->{2} channels, {3}x{3} kernel, stride {4}, {5}x{6}, pooled {7}, then {8}, batch {9}")
    @CsvSource({
        "vector, 1, 32, 5, 1, 28, 28, false, 32, 3", "scalar, 1, 32, 5, 1, 28, 28, false, 32, 1",
        "vector, 3, 13, 3, 1, 12, 14, true, 17, 1", "scalar, 3, 13, 3, 1, 12, 14, true, 17, 2",
        "vector, 2, 19, 3, 2, 17, 21, false, 9, 1", "scalar, 2, 19, 3, 2, 17, 21, false, 9, 3",
        // cells of exactly the filters: the transposed product, split by rows for one image
        "vector, 1, 32, 5, 1, 28, 28, false, 32, 1", "scalar, 1, 32, 5, 1, 28, 28, false, 32, 1",
        "vector, 2, 16, 3, 1, 13, 11, false, 9, 1", "scalar, 2, 16, 3, 1, 13, 11, false, 9, 2",
        "vector, 1, 48, 3, 2, 17, 21, false, 7, 3", "vector, 3, 16, 4, 1, 9, 7, false, 5, 1"})
    void im2colIntoCellsGivesThePlanarBits(String kind, int c0, int c1, int r0, int stride, int h, int w,
                                           boolean pooled, int c2, int n) {
        // batch 1 splits each image across the threads: by filters (each part fills its channels of
        // the cells), or by output rows where the cells hold exactly the filters
        Kernels k = kind.equals("vector") ? new VectorKernels() : new ScalarKernels();
        ConvGeometry g0 = ConvGeometry.of(c0, h, w, r0, r0, stride, stride, true);
        Im2colConv a = new Im2colConv(k, g0, c1);
        int h1 = pooled ? g0.outH() / 2 : g0.outH(), w1 = pooled ? g0.outW() / 2 : g0.outW();
        ConvGeometry g1 = ConvGeometry.of(c1, h1, w1, 5, 5, 1, 1, true);
        PackedWinograd b = new PackedWinograd(k, g1, c2, 4);
        float[] x = random(n * g0.inSize()), k0 = random(c1 * c0 * r0 * r0), b0 = random(c1);
        float[] k1 = random(c2 * c1 * 25), b1 = random(c2);

        float[] mid = new float[n * c1 * h1 * w1];
        if (pooled) {
            a.forwardPooled(x, k0, b0, true, mid, n);
        } else {
            a.forward(x, k0, b0, true, mid, n);
        }
        float[] expected = new float[n * c2 * g1.outPixels()];
        b.forward(mid, k1, b1, true, expected, n);

        CellLayout cells = b.inputCells();
        assertThat(a.inputCells()).as("im2col reads planes only").isNull();
        assertThat(a.writes(cells, pooled)).isTrue();
        float[] buf = new float[n * cells.imageFloats()];
        a.forwardCells(x, 0, false, k0, b0, true, pooled, buf, 0, cells, n);
        float[] got = new float[expected.length];
        b.forwardCells(buf, 0, true, k1, b1, true, false, got, 0, null, n);
        assertThat(got).isEqualTo(expected);
        for (int s = 0; s < n; s++) { // every float of the cells: the plane's channels, zero elsewhere
            for (int r = 0; r < cells.rows(); r++) {
                for (int q = 0; q < cells.cols(); q++) {
                    for (int c = 0; c < cells.cp(); c++) {
                        int pr = r - cells.top(), pq = q - cells.left();
                        boolean plane = pr >= 0 && pr < h1 && pq >= 0 && pq < w1 && c < c1;
                        float want = plane ? mid[((s * c1 + c) * h1 + pr) * w1 + pq] : 0f;
                        assertThat(buf[s * cells.imageFloats() + (r * cells.cols() + q) * cells.cp() + c])
                                .as("image %d cell (%d, %d) channel %d", s, r, q, c).isEqualTo(want);
                    }
                }
            }
        }
        float[] again = new float[mid.length]; // the planar pass after one into cells is unchanged
        if (pooled) {
            a.forwardPooled(x, k0, b0, true, again, n);
        } else {
            a.forward(x, k0, b0, true, again, n);
        }
        assertThat(again).isEqualTo(mid);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"other floats per cell, 16, 0", "too few rows, 0, -1", "no room above the plane, 0, 1"})
    void refusesCellsItCannotWrite(String what, int extraCp, int shift) {
        Kernels k = new ScalarKernels();
        PackedWinograd a = new PackedWinograd(k, ConvGeometry.of(16, 8, 8, 3, 3, 1, 1, true), 16, 2);
        CellLayout ok = new CellLayout(10, 10, 16, 1, 1);
        assertThat(a.writes(ok, false)).isTrue();
        CellLayout bad = new CellLayout(ok.rows() + (shift < 0 ? -2 : 0), ok.cols(), ok.cp() + extraCp,
                shift > 0 ? 3 : 1, 1);
        assertThat(a.writes(bad, false)).as(what).isFalse();
        assertThatThrownBy(() -> a.forwardCells(new float[16 * 64], 0, false, new float[16 * 16 * 9], new float[16],
                true, false, new float[bad.imageFloats()], 0, bad, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private float[] random(int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        return a;
    }
}
