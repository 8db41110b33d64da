package org.cnn4j.internal.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Kernels#biasReluPacked}, which hands a convolution's output to the next convolution of an
 * inference plan in the channel-minor layout: the vector kernel against its scalar twin, and both
 * against what they stand for, unpacking the cells with bias and ReLU ({@link Packing#unpack}) and
 * packing the planes again ({@link Packing#pack}), bit for bit, on values with signed zeros, NaNs
 * and infinities. Rows of different lengths on both sides, and nothing written outside the cells.
 */
class BiasReluPackedTest {
    private static final int L = VectorGemm.L;
    private static final Kernels VECTOR = new VectorKernels();
    private static final Kernels SCALAR = new ScalarKernels();
    private final SplittableRandom rnd = new SplittableRandom(18);

    @ParameterizedTest(name = "{0} channels in {1} vectors, {2}x{3} of {4} source and {5} target columns, relu {6}")
    @CsvSource({
        "5, 1, 3, 5, 6, 9, true", "5, 1, 1, 1, 1, 1, false", "21, 2, 7, 14, 14, 16, true", "33, 3, 4, 7, 8, 9, false",
        "64, 4, 2, 14, 14, 16, true", "13, 1, 5, 11, 12, 13, true", "7, 0, 3, 3, 4, 5, true", "7, 0, 2, 3, 3, 5, false"})
    void vectorScalarAndUnpackThenPackAgreeBitForBit(int channels, int vectors, int rows, int cols, int srcCols,
                                                    int dstCols, boolean relu) {
        // cp: whole vectors (the vector path; as many as the channels need at 8 lanes), or 8 lanes that a
        // 16-lane vector does not fill (its fallback)
        int cp = vectors > 0 ? Math.max(vectors, (channels + L - 1) / L) * L : 8, off = 3, to = 5;
        float[] src = new float[off + rows * srcCols * cp + 5];
        for (int i = 0; i < src.length; i++) {
            src[i] = cell();
        }
        float[] bias = new float[cp]; // zero beyond the channels, as the caller pads it
        for (int c = 0; c < channels; c++) {
            bias[c] = rnd.nextInt(4) == 0 ? -0f : (float) rnd.nextDouble(-0.5, 0.5);
        }
        int size = to + rows * dstCols * cp + 7;
        float[] vector = new float[size], scalar = new float[size];
        Arrays.fill(vector, 42f);
        Arrays.fill(scalar, 42f);
        VECTOR.biasReluPacked(src, off, srcCols, cp, rows, cols, bias, relu, vector, to, dstCols);
        SCALAR.biasReluPacked(src, off, srcCols, cp, rows, cols, bias, relu, scalar, to, dstCols);
        assertThat(vector).as("vector against scalar").isEqualTo(scalar);
        for (int i = 0; i < size; i++) {
            int cell = (i - to) / cp, r = cell / dstCols, q = cell % dstCols;
            boolean inside = i >= to && r < rows && q < cols;
            if (!inside) {
                assertThat(vector[i]).as("float %d is outside the cells and untouched", i).isEqualTo(42f);
            }
        }

        // what it stands for: the planes [C, rows, cols] with bias and ReLU, packed again
        float[] planes = new float[channels * rows * cols];
        Packing.unpack(src, off, cp, 0, rows, 0, srcCols, planes, 0, channels, rows, cols, bias, relu);
        float[] packed = new float[rows * cols * cp];
        Packing.pack(planes, 0, channels, rows, cols, 0, rows, 0, cols, packed, 0, cp);
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                for (int c = 0; c < channels; c++) {
                    assertThat(Float.floatToRawIntBits(vector[to + (r * dstCols + q) * cp + c]))
                            .as("cell (%d, %d), channel %d", r, q, c)
                            .isEqualTo(Float.floatToRawIntBits(packed[(r * cols + q) * cp + c]));
                }
            }
        }
    }

    /** Mostly ordinary values, with both zeros, NaNs and infinities mixed in. */
    private float cell() {
        return switch (rnd.nextInt(20)) {
            case 0 -> Float.NaN;
            case 1 -> Float.intBitsToFloat(0x7fc00123); // another NaN: its bits must pass through
            case 2 -> 0f;
            case 3 -> -0f;
            case 4 -> Float.NEGATIVE_INFINITY;
            default -> (float) rnd.nextDouble(-2, 2);
        };
    }
}
