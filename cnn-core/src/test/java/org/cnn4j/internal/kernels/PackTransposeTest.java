package org.cnn4j.internal.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Kernels#pack} and {@link Kernels#unpack}, and their strided forms
 * {@link Kernels#packPhases} and {@link Kernels#unpackPhases}: the vector kernels (16 x 16 transposes in
 * registers where vectors have 16 lanes) against their scalar twins in {@link Packing}, bit for
 * bit, on regions that hang over every side of the planes, channel counts that do not fill a
 * vector, rows narrower and wider than a vector, arrays that end right after the data (the tails),
 * and values with signed zeros, NaNs and infinities. Nothing outside the target is written.
 */
class PackTransposeTest {
    private static final Kernels VECTOR = new VectorKernels();
    private static final Kernels SCALAR = new ScalarKernels();
    private final SplittableRandom rnd = new SplittableRandom(11);

    @ParameterizedTest(name = "{0} channels of {1}x{2} in cp {3}, region {4}x{5} at ({6}, {7})")
    @CsvSource({
        "32, 28, 28, 32, 12, 32, -2, -2", // the seed's conv2d_1, first tile rows
        "32, 28, 28, 32, 8, 32, 22, -2", // its last tile rows, past the bottom
        "64, 14, 14, 64, 16, 16, -1, -1", // conv2d_3 whole
        "5, 7, 9, 16, 4, 13, 1, -3", // a part of a vector of channels
        "17, 3, 40, 32, 5, 44, -1, -2", // a row wider than two vectors
        "16, 1, 1, 16, 3, 3, -1, -1", // one cell
        "33, 6, 17, 48, 6, 17, 0, 0", // exactly the planes, three vectors of channels
        "8, 5, 5, 16, 2, 4, 7, 0", // a region below the planes: zeros only
    })
    void vectorAndScalarAgreeBitForBit(int channels, int height, int width, int cp, int rows, int cols, int row0,
                                       int col0) {
        // planes at an offset, in an array that ends right after them
        int xOff = 3;
        float[] x = new float[xOff + channels * height * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = value();
        }
        int dstOff = 5, size = dstOff + rows * cols * cp;
        float[] vector = new float[size + 4], scalar = new float[size + 4];
        Arrays.fill(vector, 42f);
        Arrays.fill(scalar, 42f);
        VECTOR.pack(x, xOff, channels, height, width, row0, rows, col0, cols, vector, dstOff, cp);
        SCALAR.pack(x, xOff, channels, height, width, row0, rows, col0, cols, scalar, dstOff, cp);
        assertThat(bits(vector)).as("pack: vector against scalar").isEqualTo(bits(scalar));
        for (int i = 0; i < dstOff; i++) {
            assertThat(vector[i]).as("float %d before the cells", i).isEqualTo(42f);
        }
        for (int i = size; i < vector.length; i++) {
            assertThat(vector[i]).as("float %d after the cells", i).isEqualTo(42f);
        }

        // unpack random cells, with and without bias and ReLU, into planes that end at the array's end
        float[] cells = new float[rows * cols * cp + 2];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = value();
        }
        float[] bias = new float[cp];
        for (int c = 0; c < cp; c++) {
            bias[c] = c % 5 == 0 ? -0f : (float) rnd.nextDouble(-1, 1);
        }
        for (int mode = 0; mode < 4; mode++) {
            float[] b = mode % 2 == 1 ? bias : null;
            boolean relu = mode >= 2;
            float[] yv = new float[xOff + channels * height * width], ys = new float[yv.length];
            Arrays.fill(yv, 7f);
            Arrays.fill(ys, 7f);
            VECTOR.unpack(cells, 2, cp, row0, rows, col0, cols, yv, xOff, channels, height, width, b, relu);
            SCALAR.unpack(cells, 2, cp, row0, rows, col0, cols, ys, xOff, channels, height, width, b, relu);
            assertThat(bits(yv)).as("unpack, bias %s, relu %s: vector against scalar", b != null, relu)
                    .isEqualTo(bits(ys));
            assertThat(yv[xOff - 1]).as("the float before the planes").isEqualTo(7f);
        }
    }

    @ParameterizedTest(name = "{0} channels of {1}x{2} in cp {3}")
    @CsvSource({"32, 28, 28, 32", "7, 5, 19, 16", "40, 9, 3, 48"})
    void unpackUndoesPack(int channels, int height, int width, int cp) {
        float[] x = new float[channels * height * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = value();
        }
        float[] cells = new float[height * width * cp];
        VECTOR.pack(x, 0, channels, height, width, 0, height, 0, width, cells, 0, cp);
        float[] back = new float[x.length];
        VECTOR.unpack(cells, 0, cp, 0, height, 0, width, back, 0, channels, height, width, null, false);
        assertThat(bits(back)).isEqualTo(bits(x));
        for (int cell = 0; cell < height * width; cell++) {
            for (int c = channels; c < cp; c++) {
                assertThat(cells[cell * cp + c]).as("cell %d, padding channel %d", cell, c).isEqualTo(0f);
            }
        }
    }

    @ParameterizedTest(name = "{0} channels of {1}x{2}, {3}x{3} window, stride {4}x{5}, same {6}")
    @CsvSource({
        "32, 24, 24, 5, 2, 2, true", // v2's conv2d_2
        "64, 8, 8, 5, 2, 2, true", // v2's conv2d_5
        "5, 13, 11, 3, 2, 2, true", // channels that do not fill a vector's group of 4
        "3, 9, 9, 5, 2, 2, false",
        "7, 10, 9, 3, 2, 1, true", // 2 phases: groups of 8 channels at 16 lanes
        "2, 11, 7, 3, 3, 3, true", // 9 phases: not a divisor of the lanes, the scalar copies
    })
    void phasesVectorAndScalarAgreeBitForBit(int channels, int height, int width, int r, int sh, int sw,
                                             boolean same) {
        ConvGeometry g = ConvGeometry.of(channels, height, width, r, r, sh, sw, same);
        int phaseH = g.outH() - 1 + (r + sh - 1) / sh, phaseW = g.outW() - 1 + (r + sw - 1) / sw;
        int cp = (channels * sh * sw + 15) / 16 * 16, xOff = 2;
        float[] x = new float[xOff + g.inSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = value();
        }
        // the whole phase image, a band of rows, a region wider than the phase planes starting inside them,
        // and one narrower than them on both sides
        int[][] regions = {{0, phaseH, 0, phaseW}, {1, 3, 0, phaseW + 2}, {phaseH - 2, 4, 1, phaseW + 17},
            {1, 2, 1, Math.max(1, phaseW - 3)}};
        for (int[] reg : regions) {
            int row0 = reg[0], rows = reg[1], col0 = reg[2], cols = reg[3], dstOff = 3;
            float[] vector = new float[dstOff + rows * cols * cp + 2], scalar = new float[vector.length];
            Arrays.fill(vector, 42f);
            Arrays.fill(scalar, 42f);
            VECTOR.packPhases(x, xOff, g, phaseH, phaseW, row0, rows, col0, cols, vector, dstOff, cp);
            SCALAR.packPhases(x, xOff, g, phaseH, phaseW, row0, rows, col0, cols, scalar, dstOff, cp);
            assertThat(bits(vector)).as("packPhases, region %s", Arrays.toString(reg)).isEqualTo(bits(scalar));

            // cells that end with the region (blocks of 16 cells run past it: the scalar way), and
            // with 16 cells of slack after it (the vector way)
            for (int slack : new int[] {0, 16 * cp}) {
                float[] cells = new float[rows * cols * cp + slack];
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = value();
                }
                float[] dv = new float[x.length + 2 * 16], ds = new float[dv.length];
                Arrays.fill(dv, 7f);
                Arrays.fill(ds, 7f);
                VECTOR.unpackPhases(cells, 0, cp, row0, rows, col0, cols, dv, xOff, g, phaseH, phaseW);
                SCALAR.unpackPhases(cells, 0, cp, row0, rows, col0, cols, ds, xOff, g, phaseH, phaseW);
                assertThat(bits(dv)).as("unpackPhases, region %s, slack %d", Arrays.toString(reg), slack)
                        .isEqualTo(bits(ds));
            }
        }
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }

    private float value() {
        return switch (rnd.nextInt(20)) {
            case 0 -> Float.NaN;
            case 1 -> Float.intBitsToFloat(0x7fc00123);
            case 2 -> 0f;
            case 3 -> -0f;
            case 4 -> Float.NEGATIVE_INFINITY;
            default -> (float) rnd.nextDouble(-2, 2);
        };
    }
}
